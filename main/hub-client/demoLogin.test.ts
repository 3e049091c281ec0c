// The real OpenID Connect flow against the reference hub's embedded IdP: authorization code +
// PKCE over HTTP, the German login form, the code exchanged, then the office API with the token.
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeJwt, decodeProtectedHeader } from 'jose'
import * as oidc from 'openid-client'
import { startHub, type RunningHub } from '../../hub/server'
import { createOfficeClient, isInvalidToken } from './office'
import type { HubProblemError } from './errors'
import { HubUnreachableError } from './errors'
import { DemoLoginRefused, demoPasswordLogin } from './demoLogin'

let hub: RunningHub
let dir: string
const login = (
  username: string,
  password: string,
  redirectUri = 'http://127.0.0.1:49152/callback',
) =>
  demoPasswordLogin({
    issuer: hub.issuer,
    clientId: 'aktenfluss-desk',
    redirectUri,
    username,
    password,
  })

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hub-oidc-'))
  hub = await startHub({ dataDir: dir, accessTokenTtlSeconds: 600 })
}, 60_000)
afterAll(async () => {
  await hub?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('demo sign-in at the embedded OpenID Provider', () => {
  it('code + PKCE with the login form gives an at+jwt for the office; the office API accepts it', async () => {
    const t = await login('u-lkoehler', 'demo')
    expect(decodeProtectedHeader(t.accessToken)).toMatchObject({ typ: 'at+jwt', alg: 'RS256' })
    const claims = decodeJwt(t.accessToken)
    expect(claims).toMatchObject({ sub: 'u-lkoehler', aud: 'aktenfluss-office', iss: hub.issuer })
    expect(claims.exp! - claims.iat!).toBe(600)
    expect(t.refreshToken).toBeTruthy()
    expect(t.claims).toMatchObject({ sub: 'u-lkoehler', name: 'Lukas Köhler' })
    const office = createOfficeClient({ baseUrl: hub.url, desk: hub.config.desks![0]! })
    const page = await office.changes('0', 10, { userToken: t.accessToken })
    expect(page.hasMore).toBe(false)
    const [r] = await office.mutate(
      [
        {
          mutationId: crypto.randomUUID(),
          type: 'case.register',
          caseId: crypto.randomUUID(),
          baseVersion: 0,
          at: new Date().toISOString(),
          payload: {
            submissionId: null,
            aktenzeichen: '121.4-2026-555001',
            procedureId: 'bussgeld',
            subject: 'Bußgeld',
            applicantName: 'Test',
            applicantAddress: 'Weg 1',
            receivedAt: new Date().toISOString(),
            deadline: null,
            channel: 'phone',
            formData: {},
            documents: [],
          },
        },
      ],
      { userToken: t.accessToken },
    )
    expect(r).toMatchObject({ status: 'applied' })
    expect((await office.changes('0', 10, { userToken: t.accessToken })).changes[0]).toMatchObject({
      by: 'u-lkoehler',
    })
  })

  it('any loopback port and path is a valid redirect (RFC 8252); another host is not', async () => {
    await expect(
      login('u-amueller', 'demo', 'http://127.0.0.1:61234/desk/anmeldung'),
    ).resolves.toMatchObject({
      accessToken: expect.any(String),
    })
    await expect(login('u-amueller', 'demo', 'http://evil.example/callback')).rejects.toThrow()
  })

  it('a wrong password is refused in German with the form kept', async () => {
    const err = await login('u-amueller', 'falsch').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(DemoLoginRefused)
    expect((err as Error).message).toBe('Benutzername oder Kennwort ist falsch.')
    await expect(login('u-niemand', 'demo')).rejects.toBeInstanceOf(DemoLoginRefused)
  })

  it('the login page is German, labelled, pre-filled from login_hint, under a strict CSP', async () => {
    const config = await oidc.discovery(
      new URL(hub.issuer),
      'aktenfluss-desk',
      undefined,
      oidc.None(),
      {
        execute: [oidc.allowInsecureRequests],
      },
    )
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: 'http://127.0.0.1:50000/cb',
      scope: 'openid',
      code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
      login_hint: 'u-mfuchs',
    })
    let r = await fetch(url, { redirect: 'manual' })
    const cookie = r.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ')
    r = await fetch(new URL(r.headers.get('location')!, url), { headers: { cookie } })
    const html = await r.text()
    expect(html).toContain('<html lang="de">')
    expect(html).toMatch(/<label for="username">Benutzername<\/label>/)
    expect(html).toMatch(/<label for="password">Kennwort<\/label>/)
    expect(html).toContain('value="u-mfuchs"')
    expect(html).toContain('<button type="submit">Anmelden</button>')
    expect(html).toMatch(/Kennwort aller Demo-Benutzer ist <strong>demo<\/strong>/)
    expect(html).not.toMatch(/<script/i)
    const csp = r.headers.get('content-security-policy')!
    expect(csp).toContain("default-src 'none'")
    expect(csp).not.toContain('unsafe-inline')
    // PKCE is required: without a challenge the IdP refuses before showing any form
    const noPkce = oidc.buildAuthorizationUrl(config, {
      redirect_uri: 'http://127.0.0.1:50000/cb',
      scope: 'openid',
    })
    const refused = await fetch(noPkce, { redirect: 'manual' })
    expect(refused.headers.get('location') ?? '').toMatch(/error=invalid_request/)
  })

  it('refresh tokens rotate: the new one works, the used one is refused', async () => {
    const t = await login('u-amueller', 'demo')
    const config = await oidc.discovery(
      new URL(hub.issuer),
      'aktenfluss-desk',
      undefined,
      oidc.None(),
      {
        execute: [oidc.allowInsecureRequests],
      },
    )
    const next = await oidc.refreshTokenGrant(config, t.refreshToken!)
    expect(next.refresh_token).toBeTruthy()
    expect(next.refresh_token).not.toBe(t.refreshToken)
    expect(decodeJwt(next.access_token)).toMatchObject({
      sub: 'u-amueller',
      aud: 'aktenfluss-office',
    })
    await expect(oidc.refreshTokenGrant(config, t.refreshToken!)).rejects.toThrow()
  })

  it('keeps its keys in idp-keys.json and its issuer in idp.json, both 0600', () => {
    for (const f of ['idp-keys.json', 'idp.json'])
      expect(statSync(join(dir, f)).mode & 0o777).toBe(0o600)
  })

  it('a token of the hub’s IdP that expired by the hub’s clock is refused', async () => {
    const t = await login('u-amueller', 'demo')
    const office0 = createOfficeClient({ baseUrl: hub.url, desk: hub.config.desks![0]! })
    expect((await office0.changes('0', 1, { userToken: t.accessToken })).next).toBeDefined()
    // the same data folder and port (so the same issuer), the hub's clock 11 minutes on
    const port = hub.port
    await hub.close()
    hub = await startHub({ dataDir: dir, port, clock: () => Date.now() + 11 * 60_000 })
    expect(hub.issuer).toBe(decodeJwt(t.accessToken).iss)
    const office = createOfficeClient({ baseUrl: hub.url, desk: hub.config.desks![0]! })
    const attempt = () =>
      office.changes('0', 1, { userToken: t.accessToken }).catch((e: unknown) => e)
    // the first request after the restart may meet a dead keep-alive socket
    let err = await attempt()
    if (err instanceof HubUnreachableError) err = await attempt()
    expect(isInvalidToken(err)).toBe(true)
    expect((err as HubProblemError).detail).toMatch(/expired/)
  })
})
