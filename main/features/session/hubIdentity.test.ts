import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { getSetting } from '../../../db/repositories/settings'
import { createDesk } from '../../desk'
import { identityFromHubConfig } from './hubIdentity'

describe('identity settings from the hub data folder', () => {
  const desk = createDesk({ dataDir: mkdtempSync(join(tmpdir(), 'hubid-')), mode: 'browser' })
  afterAll(() => desk.close())
  const folder = (hubJson: unknown, idp?: unknown) => {
    const dir = mkdtempSync(join(tmpdir(), 'hubid-hub-'))
    writeFileSync(join(dir, 'hub.json'), JSON.stringify(hubJson))
    if (idp) writeFileSync(join(dir, 'idp.json'), JSON.stringify(idp))
    return join(dir, 'hub.json')
  }

  it('the embedded demo IdP of idp.json is marked demo (the login screen pre-fills `demo`)', () => {
    const path = folder({}, { issuer: 'http://127.0.0.1:4711/oidc', audience: 'aktenfluss-office' })
    expect(identityFromHubConfig(desk.ctx.db, path)).toBe(true)
    expect(getSetting(desk.ctx.db, 'identity')).toEqual({
      issuer: 'http://127.0.0.1:4711/oidc',
      clientId: 'aktenfluss-desk',
      scopes: 'openid profile offline_access',
      demo: true,
    })
  })

  it('an external IdP in hub.json wins over idp.json and is not the demo', () => {
    const path = folder(
      {
        identity: {
          issuer: 'https://login.example.de/realms/amt',
          userClaim: 'preferred_username',
        },
      },
      { issuer: 'http://127.0.0.1:4711/oidc' },
    )
    expect(identityFromHubConfig(desk.ctx.db, path)).toBe(true)
    expect(getSetting(desk.ctx.db, 'identity')).toEqual({
      issuer: 'https://login.example.de/realms/amt',
      clientId: 'aktenfluss-desk',
      scopes: 'openid profile offline_access',
      userClaim: 'preferred_username',
    })
  })

  it('nothing to find: false, the settings stay', () => {
    expect(identityFromHubConfig(desk.ctx.db, folder({}))).toBe(false)
    expect(getSetting(desk.ctx.db, 'identity')).toMatchObject({ userClaim: 'preferred_username' })
  })
})
