import { describe, expect, it } from 'vitest'
import { startLoopbackRedirect } from './loopback'

describe('loopback redirect (Electron sign-in, RFC 8252)', () => {
  it('takes exactly one callback on 127.0.0.1 at the fixed path, then stops listening', async () => {
    const loop = await startLoopbackRedirect()
    expect(loop.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/aktenfluss\/callback$/)
    const other = await fetch(loop.redirectUri.replace('/aktenfluss/callback', '/anders'))
    expect(other.status).toBe(404)
    const res = await fetch(`${loop.redirectUri}?code=c1&state=s1`)
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('Die Anmeldung ist abgeschlossen')
    expect(await loop.callback).toBe(`${loop.redirectUri}?code=c1&state=s1`)
    await expect(fetch(`${loop.redirectUri}?code=c2&state=s2`)).rejects.toThrow()
  })

  it('gives up after its timeout', async () => {
    const loop = await startLoopbackRedirect(50)
    await expect(loop.callback).rejects.toThrow(/nicht rechtzeitig/)
  })
})
