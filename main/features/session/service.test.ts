import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeJwt } from 'jose'
import { createDesk, type Desk } from '../../desk'
import { manualClock } from '../../core/clock'
import { loadDemoDirectory } from '../../core/directory'
import { startTestProvider, type TestProvider } from '../../../testing/identity/testProvider'
import { configureIdentity, HEADLESS_REDIRECT_URI } from './service'
import { startLoopbackRedirect } from './loopback'
import { driveLoginForm } from '../../../testing/identity/driveLoginForm'

const users = loadDemoDirectory().users
const clerk = users.find((u) => u.role === 'clerk')!
const lead = users.find((u) => u.role === 'lead')!

async function call(desk: Desk, method: string, input: unknown = {}) {
  return desk.dispatch(method, input)
}

function newDesk(dataDir: string, issuer: string, clock = manualClock(new Date())) {
  const desk = createDesk({ dataDir, mode: 'browser', clock, requireSignIn: true })
  configureIdentity(desk.ctx.db, { issuer, clientId: 'aktenfluss-desk' })
  return { desk, clock }
}

describe('desk session (OpenID Connect sign-in, lock, tokens)', () => {
  let op: TestProvider
  const desks: Desk[] = []
  beforeAll(async () => {
    op = await startTestProvider({ users, redirectUris: [HEADLESS_REDIRECT_URI] })
  })
  afterAll(async () => {
    for (const d of desks) await d.close().catch(() => undefined)
    await op.close()
  })
  const make = (dataDir = mkdtempSync(join(tmpdir(), 'session-'))) => {
    const made = newDesk(dataDir, op.issuer)
    desks.push(made.desk)
    return { ...made, dataDir }
  }

  it('refuses every working method before sign-in, with the German reason', async () => {
    const { desk } = make()
    const r = await call(desk, 'cases.list', {})
    expect(r).toEqual({
      ok: false,
      error: { code: 'unauthenticated', message: 'Bitte melden Sie sich an.' },
    })
    // what the login screen needs stays open
    expect((await call(desk, 'session.users')).ok).toBe(true)
    expect((await call(desk, 'app.info')).ok).toBe(true)
    expect(await call(desk, 'session.status')).toMatchObject({
      ok: true,
      value: { user: null, locked: true, identity: { issuer: op.issuer } },
    })
  })

  it('refuses a wrong or missing password and signs in with the right one', async () => {
    const { desk } = make()
    for (const input of [{ userId: clerk.userId, password: 'falsch' }, { userId: clerk.userId }]) {
      const r = await call(desk, 'session.login', input)
      expect(r.ok).toBe(false)
      if (!r.ok) {
        expect(r.error.code).toBe('unauthenticated')
        expect(r.error.message).toMatch(/Benutzername oder Kennwort ist falsch/)
      }
    }
    expect((await call(desk, 'cases.list', {})).ok).toBe(false)
    const ok = await call(desk, 'session.login', { userId: clerk.userId, password: 'demo' })
    expect(ok).toEqual({
      ok: true,
      value: { id: clerk.userId, name: clerk.name, role: clerk.role },
    })
    expect((await call(desk, 'cases.list', {})).ok).toBe(true)
    expect(desk.ctx.session.signedIn()?.userId).toBe(clerk.userId)
    expect(desk.ctx.currentUser().userId).toBe(clerk.userId)
    // the office token is a JWT for the office, naming the user
    const token = await desk.userTokens.tokenFor(clerk.userId)
    expect(decodeJwt(token!)).toMatchObject({ sub: clerk.userId, aud: 'aktenfluss-office' })
    // the refresh token is kept in the secret store, not in the database
    expect(desk.secrets.get(`session.refresh.${clerk.userId}`)).toBeTruthy()
  })

  it('offline: a restarted desk starts locked and unlocks with the local verifier only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'session-offline-'))
    const first = make(dir)
    expect(
      (await call(first.desk, 'session.login', { userId: clerk.userId, password: 'demo' })).ok,
    ).toBe(true)
    await first.desk.close()
    // the identity provider is gone (no network): a second desk on the same data folder
    const offline = newDesk(dir, 'http://127.0.0.1:9/unreachable')
    desks.push(offline.desk)
    expect(await call(offline.desk, 'session.status')).toMatchObject({
      value: { user: { id: clerk.userId }, locked: true, canUnlockOffline: true },
    })
    expect(await call(offline.desk, 'cases.list', {})).toMatchObject({
      error: { code: 'unauthenticated', message: expect.stringMatching(/gesperrt/) },
    })
    const wrong = await call(offline.desk, 'session.unlock', { password: 'demo1' })
    expect(wrong).toMatchObject({ ok: false, error: { code: 'unauthenticated' } })
    expect(await call(offline.desk, 'session.unlock', { password: 'demo' })).toMatchObject({
      ok: true,
      value: { id: clerk.userId },
    })
    expect((await call(offline.desk, 'cases.list', {})).ok).toBe(true)
    // sign-in by password offline: the verifier, for the person who signed in here before
    expect(
      (await call(offline.desk, 'session.login', { userId: clerk.userId, password: 'x' })).ok,
    ).toBe(false)
    expect(
      (await call(offline.desk, 'session.login', { userId: clerk.userId, password: 'demo' })).ok,
    ).toBe(true)
    const never = await call(offline.desk, 'session.login', {
      userId: lead.userId,
      password: 'demo',
    })
    expect(never).toMatchObject({ ok: false, error: { code: 'identity_unavailable' } })
  })

  it('locks after the configured idle time; a mutation or activity ping keeps it open', async () => {
    const { desk, clock } = make()
    await call(desk, 'session.login', { userId: clerk.userId, password: 'demo' })
    expect(await call(desk, 'session.status')).toMatchObject({ value: { idleLockMinutes: 15 } })
    expect((await call(desk, 'session.setIdleLock', { minutes: 2 })).ok).toBe(true)
    clock.advance(90_000)
    expect((await call(desk, 'session.touch')).ok).toBe(true)
    clock.advance(90_000) // 3 min since sign-in, 1.5 since the ping
    expect((await call(desk, 'cases.list', {})).ok).toBe(true)
    // queries (background refetches) do not count as activity
    clock.advance(20_000) // 110 s since the ping
    expect((await call(desk, 'cases.list', {})).ok).toBe(true)
    clock.advance(11_000) // 121 s
    expect(await call(desk, 'cases.list', {})).toMatchObject({
      ok: false,
      error: { code: 'unauthenticated', message: expect.stringMatching(/gesperrt/) },
    })
    expect(await call(desk, 'session.status')).toMatchObject({
      value: { locked: true, user: { id: clerk.userId } },
    })
    expect(desk.ctx.session.signedIn()).toBeUndefined()
    expect((await call(desk, 'session.unlock', { password: 'demo' })).ok).toBe(true)
    expect((await call(desk, 'cases.list', {})).ok).toBe(true)
    // guessing: five wrong passwords in a row, then even the right one waits 30 s
    expect((await call(desk, 'session.lock')).ok).toBe(true)
    for (let i = 0; i < 5; i++)
      expect(await call(desk, 'session.unlock', { password: `rate${i}` })).toMatchObject({
        error: { code: 'unauthenticated' },
      })
    expect(await call(desk, 'session.unlock', { password: 'demo' })).toMatchObject({
      ok: false,
      error: { code: 'too_many_attempts', message: expect.stringMatching(/30 Sekunden/) },
    })
    clock.advance(31_000)
    expect((await call(desk, 'session.unlock', { password: 'demo' })).ok).toBe(true)
    // an explicit lock, then logout: the next call needs a new sign-in
    expect((await call(desk, 'session.lock')).ok).toBe(true)
    expect((await call(desk, 'cases.list', {})).ok).toBe(false)
    expect((await call(desk, 'session.logout')).ok).toBe(true)
    expect(await call(desk, 'cases.list', {})).toMatchObject({
      error: { message: 'Bitte melden Sie sich an.' },
    })
  })

  it('refreshes an expired access token; a refused refresh marks the user for a new sign-in', async () => {
    const { desk, clock } = make()
    await call(desk, 'session.login', { userId: clerk.userId, password: 'demo' })
    await call(desk, 'session.login', { userId: lead.userId, password: 'demo' })
    const t1 = await desk.userTokens.tokenFor(clerk.userId)
    expect(await desk.userTokens.tokenFor(clerk.userId)).toBe(t1) // cached
    const rt1 = desk.secrets.get(`session.refresh.${clerk.userId}`)
    clock.advance(11 * 60_000)
    // concurrent callers share one refresh (refresh tokens rotate)
    const [a, b] = await Promise.all([
      desk.userTokens.tokenFor(clerk.userId),
      desk.userTokens.tokenFor(clerk.userId),
    ])
    expect(a).toBeTruthy()
    expect(a).toBe(b)
    expect(a).not.toBe(t1)
    expect(desk.secrets.get(`session.refresh.${clerk.userId}`)).not.toBe(rt1)
    // the provider refuses the next refresh (session revoked)
    clock.advance(11 * 60_000)
    op.refuseRefresh = true
    try {
      expect(await desk.userTokens.tokenFor(clerk.userId)).toBeUndefined()
    } finally {
      op.refuseRefresh = false
    }
    expect(await call(desk, 'session.status')).toMatchObject({
      value: { user: { id: lead.userId }, reauthNeeded: false, reauthUsers: [clerk.userId] },
    })
    // the clerk's token stays unavailable (no silent retry with an old token) until they sign in
    expect(await desk.userTokens.tokenFor(clerk.userId)).toBeUndefined()
    await call(desk, 'session.login', { userId: clerk.userId, password: 'demo' })
    expect(await call(desk, 'session.status')).toMatchObject({
      value: { user: { id: clerk.userId }, reauthNeeded: false, reauthUsers: [] },
    })
    expect(await desk.userTokens.tokenFor(clerk.userId)).toBeTruthy()
  })

  it('offline refresh is not a refusal: no sign-in demanded, token again once reachable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'session-net-'))
    const { desk, clock } = make(dir)
    await call(desk, 'session.login', { userId: clerk.userId, password: 'demo' })
    clock.advance(11 * 60_000)
    // point the desk at an unreachable issuer for a moment (network down)
    configureIdentity(desk.ctx.db, { issuer: 'http://127.0.0.1:9', clientId: 'aktenfluss-desk' })
    expect(await desk.userTokens.tokenFor(clerk.userId)).toBeUndefined()
    expect(await call(desk, 'session.status')).toMatchObject({ value: { reauthUsers: [] } })
    configureIdentity(desk.ctx.db, { issuer: op.issuer, clientId: 'aktenfluss-desk' })
    expect(await desk.userTokens.tokenFor(clerk.userId)).toBeTruthy()
  })
})

describe('redirect sign-in (system browser + loopback, as in Electron)', () => {
  it('completes the code flow through the loopback listener and refuses a replayed callback', async () => {
    const users = loadDemoDirectory().users
    const op = await startTestProvider({ users, redirectUris: [HEADLESS_REDIRECT_URI] })
    const opened: string[] = []
    let callbackUrl = ''
    const desk = createDesk({
      dataDir: mkdtempSync(join(tmpdir(), 'session-redirect-')),
      mode: 'electron',
      requireSignIn: true,
      loginRedirect: {
        start: async () => {
          const loop = await startLoopbackRedirect()
          return {
            redirectUri: loop.redirectUri,
            external: {
              callback: loop.callback,
              close: () => loop.close(),
              // the "system browser": fills the provider's form, follows it back to the loopback
              open: async (url) => {
                opened.push(url)
                callbackUrl = await driveLoginForm(url, loop.redirectUri, 'u-sbaeumer', 'demo')
                await fetch(callbackUrl)
              },
            },
          }
        },
      },
    })
    try {
      configureIdentity(desk.ctx.db, { issuer: op.issuer, clientId: 'aktenfluss-desk' })
      const begun = await desk.dispatch('session.beginLogin', { loginHint: 'u-sbaeumer' })
      expect(begun).toMatchObject({ ok: true, value: { external: true } })
      const url = new URL(opened[0]!)
      expect(url.origin).toBe(op.issuer)
      expect(url.searchParams.get('code_challenge_method')).toBe('S256')
      expect(url.searchParams.get('redirect_uri')).toMatch(
        /^http:\/\/127\.0\.0\.1:\d+\/aktenfluss\/callback$/,
      )
      expect(url.searchParams.get('state')).toBeTruthy()
      expect(url.searchParams.get('nonce')).toBeTruthy()
      await expect.poll(() => desk.ctx.session.signedIn()?.userId).toBe('u-sbaeumer')
      expect(await desk.userTokens.tokenFor('u-sbaeumer')).toBeTruthy()
      // the desk never saw the password: no offline unlock until one is set
      expect(await desk.dispatch('session.status', {})).toMatchObject({
        value: { canUnlockOffline: false },
      })
      expect((await desk.dispatch('session.setUnlockPassword', { password: 'geheim1' })).ok).toBe(
        true,
      )
      expect((await desk.dispatch('session.lock', {})).ok).toBe(true)
      expect((await desk.dispatch('session.unlock', { password: 'geheim1' })).ok).toBe(true)
      // the same callback again (a replay): the flow is used up
      const replay = await desk.dispatch('session.completeLogin', { callbackUrl })
      expect(replay).toMatchObject({ ok: false, error: { code: 'unauthenticated' } })
    } finally {
      await desk.close()
      await op.close()
    }
  })
})
