import { describe, expect, it } from 'vitest'
import { PublicUrlError, parsePublicUrl } from './publicUrl'

describe('--public-url', () => {
  it('keeps scheme, host, port and path; drops a trailing slash', () => {
    expect(parsePublicUrl('https://hub.kreis.example/')).toBe('https://hub.kreis.example')
    expect(parsePublicUrl('http://127.0.0.1:8443/akte//')).toBe('http://127.0.0.1:8443/akte')
  })
  it('refuses what cannot be an issuer, with a German message', () => {
    for (const bad of [
      'hub.example',
      'ftp://hub.example',
      'https://u:p@hub.example',
      'https://hub.example/?x=1',
      'https://hub.example/#a',
    ])
      expect(() => parsePublicUrl(bad), bad).toThrow(PublicUrlError)
    expect(() => parsePublicUrl('ftp://x')).toThrow(/Die öffentliche Adresse/)
  })
})
