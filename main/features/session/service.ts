/**
 * The desk's sign-in (issue #13): OpenID Connect against the office's identity provider
 * (authorization code + PKCE), one session per user (refresh token in the secret store), a local
 * scrypt verifier for offline unlock, the lock and the idle lock. It is also the sync engine's
 * UserTokenSource: access tokens per user, refreshed when expired; a refresh the provider refuses
 * marks that user "sign in again" and their outbox waits.
 */
import * as oidc from 'openid-client'
import { getSetting, setSetting } from '../../../db/repositories/settings'
import { ApiFailure } from '../../core/errors'
import type { User } from '../../core/directory'
import type { UserTokenSource } from '../../core/identity'
import type { SessionStatus } from '../../../preload/contract/session'
import type { DeskSession } from '../../core/session'
import { demoPasswordLogin, DemoLoginRefused } from '../../hub-client/demoLogin'
import { isNetworkError } from '../../hub-client/oidcSupport'
import { checkVerifier, makeVerifier } from './verifier'
import { TokenKeeper } from './tokens'
import {
  claimOf,
  DEFAULT_IDLE_LOCK_MINUTES,
  FAILURE_PAUSE_MS,
  HEADLESS_REDIRECT_URI,
  identitySettings,
  IssuerConfigs,
  LOCKED,
  MAX_FAILURES,
  normalise,
  NOT_SIGNED_IN,
  PENDING_TTL_MS,
  refreshKey,
  unauthenticated,
  unreachable,
  verifierKey,
  WRONG_CREDENTIALS,
  WRONG_PASSWORD,
  type IdentitySettings,
  type LoginRedirect,
  type PendingLogin,
  type SessionDeps,
} from './model'

export * from './model'

export class SessionService implements UserTokenSource, DeskSession {
  private userId: string | undefined
  private locked = true
  private lastActivity: number
  private readonly reauth = new Set<string>()
  private readonly pending = new Map<string, PendingLogin>()
  private readonly issuers = new IssuerConfigs()
  private readonly tokens = new TokenKeeper({
    identity: () => this.identity(),
    issuers: this.issuers,
    now: () => this.now(),
    secret: (name) => this.secret(name),
    setSecret: (name, value) => this.setSecret(name, value),
    setReauth: (userId, needed) => this.setReauth(userId, needed),
  })
  private redirect: LoginRedirect | undefined
  /** offline guessing: after MAX_FAILURES wrong local passwords in a row the desk waits */
  private failures = { count: 0, until: 0 }

  constructor(private readonly deps: SessionDeps) {
    this.lastActivity = deps.clock.now().getTime()
    // after a restart the last user's session is there, but locked: unlock with the password
    const last = getSetting<string>(deps.db, 'user')
    if (last && this.secret(verifierKey(last))) this.userId = last
    for (const u of getSetting<string[]>(deps.db, 'session.reauth') ?? []) this.reauth.add(u)
  }

  // ── state ────────────────────────────────────────────────────────────────────────────────────

  identity(): IdentitySettings | undefined {
    const raw = getSetting<unknown>(this.deps.db, 'identity')
    const parsed = identitySettings.safeParse(raw)
    return parsed.success ? parsed.data : undefined
  }

  idleLockMinutes(): number {
    return getSetting<number>(this.deps.db, 'session.idleLockMinutes') ?? DEFAULT_IDLE_LOCK_MINUTES
  }

  setIdleLockMinutes(minutes: number): void {
    this.require()
    setSetting(this.deps.db, 'session.idleLockMinutes', minutes)
  }

  private user(id: string | undefined): User | undefined {
    return id ? this.deps.directory().users.find((u) => u.userId === id) : undefined
  }

  private now(): number {
    return this.deps.clock.now().getTime()
  }

  /** applies the idle lock lazily: every look at the state sees it */
  private checkIdle(): void {
    if (this.userId && !this.locked) {
      if (this.now() - this.lastActivity >= this.idleLockMinutes() * 60_000) this.locked = true
    }
  }

  signedIn(): User | undefined {
    this.checkIdle()
    return this.locked ? undefined : this.user(this.userId)
  }

  /** the signed-in, unlocked user — or the German refusal the dispatcher returns */
  require(): User {
    this.checkIdle()
    const user = this.user(this.userId)
    if (!user) throw unauthenticated(NOT_SIGNED_IN)
    if (this.locked) throw unauthenticated(LOCKED)
    return user
  }

  /** a user action (mutation, or the renderer's activity ping) keeps the idle lock away */
  touch(): void {
    this.require()
    this.lastActivity = this.now()
  }

  status(): SessionStatus {
    this.checkIdle()
    const user = this.user(this.userId)
    const identity = this.identity()
    return {
      user: user ? { id: user.userId, name: user.name, role: user.role } : null,
      locked: !user || this.locked,
      reauthNeeded: !!user && this.reauth.has(user.userId),
      reauthUsers: [...this.reauth],
      idleLockMinutes: this.idleLockMinutes(),
      identity: identity
        ? { issuer: identity.issuer, clientId: identity.clientId, demo: identity.demo === true }
        : null,
      canUnlockOffline: !!user && !!this.secret(verifierKey(user.userId)),
    }
  }

  // ── sign-in ──────────────────────────────────────────────────────────────────────────────────

  /** `session.login {userId, password}`: the demo/script path (headless code flow), offline the local verifier */
  async login(userId: string, password: string | undefined): Promise<User> {
    const user = this.user(userId)
    if (!user || !password) throw unauthenticated(WRONG_CREDENTIALS)
    const identity = this.identity()
    if (identity) {
      // the offline verifier (scrypt, on the thread pool) is derived while the identity provider
      // answers, not after it: a cold start's first row waited for both in turn (bench, 1M cases)
      const fresh = makeVerifier(password)
      fresh.catch(() => undefined) // a refused sign-in discards it
      try {
        const tokens = await demoPasswordLogin({
          issuer: identity.issuer,
          clientId: identity.clientId,
          redirectUri: HEADLESS_REDIRECT_URI,
          username: userId,
          password,
          scope: identity.scopes,
        })
        if (claimOf(tokens.claims, identity) !== userId) throw unauthenticated(WRONG_CREDENTIALS)
        this.tokens.store(userId, tokens)
        this.setSecret(verifierKey(userId), await fresh)
        return this.enter(user)
      } catch (err) {
        if (err instanceof DemoLoginRefused) throw unauthenticated(WRONG_CREDENTIALS)
        if (err instanceof ApiFailure) throw err
        if (!isNetworkError(err)) {
          console.error('[session] Anmeldung fehlgeschlagen:', err)
          throw new ApiFailure(
            'identity_error',
            'Der Anmeldedienst hat die Anmeldung nicht angenommen. Bitte später erneut versuchen oder die IT verständigen.',
          )
        }
        // offline: the local verifier below
      }
    }
    const verifier = this.secret(verifierKey(userId))
    if (!verifier) {
      throw new ApiFailure(
        'identity_unavailable',
        identity
          ? 'Der Anmeldedienst ist nicht erreichbar, und diese Person war an diesem Arbeitsplatz noch nie angemeldet. Bitte Netzwerkverbindung prüfen und erneut versuchen.'
          : 'An diesem Arbeitsplatz ist kein Anmeldedienst eingerichtet. Bitte wenden Sie sich an die IT.',
      )
    }
    if (!(await this.checkLocal(verifier, password))) throw unauthenticated(WRONG_CREDENTIALS)
    return this.enter(user)
  }

  /** the local verifier, with a pause after too many wrong passwords in a row */
  private async checkLocal(verifier: string, password: string): Promise<boolean> {
    if (this.now() < this.failures.until)
      throw new ApiFailure(
        'too_many_attempts',
        'Zu viele falsche Kennwörter. Bitte warten Sie 30 Sekunden und versuchen Sie es dann erneut.',
      )
    const ok = await checkVerifier(verifier, password)
    if (ok) this.failures = { count: 0, until: 0 }
    else if (++this.failures.count >= MAX_FAILURES)
      this.failures = { count: 0, until: this.now() + FAILURE_PAUSE_MS }
    return ok
  }

  /** the redirect sign-in: returns the authorization URL; `completeLogin` takes the callback */
  async beginLogin(redirectUri: string, loginHint?: string): Promise<string> {
    const identity = this.identity()
    if (!identity)
      throw new ApiFailure(
        'identity_unavailable',
        'An diesem Arbeitsplatz ist kein Anmeldedienst eingerichtet. Bitte wenden Sie sich an die IT.',
      )
    const config = await this.issuers.get(identity).catch((err: unknown) => {
      throw unreachable(err)
    })
    const verifier = oidc.randomPKCECodeVerifier()
    const state = oidc.randomState()
    const nonce = oidc.randomNonce()
    this.prunePending()
    this.pending.set(state, { verifier, nonce, redirectUri, createdAt: this.now() })
    return oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: identity.scopes,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
      ...(loginHint ? { login_hint: loginHint } : {}),
      // oidc-provider (the hub's demo IdP) grants offline_access only with prompt=consent;
      // a municipality's IdP would show a consent page every time, so only for the demo
      ...(identity.demo ? { prompt: 'consent' } : {}),
    }).href
  }

  setLoginRedirect(redirect: LoginRedirect): void {
    this.redirect = redirect
  }

  /** `session.beginLogin`: the authorization URL; in Electron it is opened in the system browser */
  async startRedirectLogin(loginHint?: string): Promise<{ url: string; external: boolean }> {
    if (!this.redirect)
      throw new ApiFailure(
        'identity_unavailable',
        'Die Anmeldung über den Browser ist hier nicht verfügbar. Bitte melden Sie sich mit Kennwort an.',
      )
    const target = await this.redirect.start()
    let url: string
    try {
      url = await this.beginLogin(target.redirectUri, loginHint)
    } catch (err) {
      target.external?.close()
      throw err
    }
    const ext = target.external
    if (ext) {
      ext.callback
        .then((cb) => this.completeLogin(cb))
        .then(() =>
          this.deps.events.emit('changed', {
            tags: [{ type: 'Session' }, { type: 'CaseList' }, { type: 'Case' }, { type: 'Sync' }],
          }),
        )
        .catch((err: unknown) => console.error('[session] Anmeldung im Browser:', err))
      await ext.open(url)
    }
    return { url, external: !!ext }
  }

  /** the redirect came back (bridge /auth/callback or the loopback listener) */
  async completeLogin(callbackUrl: string): Promise<User> {
    const identity = this.identity()
    const url = new URL(callbackUrl)
    const state = url.searchParams.get('state') ?? ''
    const flow = this.pending.get(state)
    this.pending.delete(state)
    if (!identity || !flow || this.now() - flow.createdAt > PENDING_TTL_MS)
      throw unauthenticated('Die Anmeldung ist abgelaufen. Bitte melden Sie sich erneut an.')
    if (url.searchParams.get('error'))
      throw unauthenticated('Die Anmeldung wurde abgebrochen. Bitte melden Sie sich erneut an.')
    const config = await this.issuers.get(identity)
    const tokens = await oidc
      .authorizationCodeGrant(config, url, {
        pkceCodeVerifier: flow.verifier,
        expectedState: state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      })
      .catch((err: unknown) => {
        if (isNetworkError(err)) throw unreachable(err)
        throw unauthenticated('Die Anmeldung ist fehlgeschlagen. Bitte melden Sie sich erneut an.')
      })
    const user = this.user(claimOf(tokens.claims(), identity))
    if (!user)
      throw new ApiFailure(
        'forbidden',
        'Diese Anmeldung gehört zu keiner Person im Verzeichnis des Amtes. Bitte wenden Sie sich an die IT.',
      )
    this.tokens.store(user.userId, normalise(tokens))
    return this.enter(user)
  }

  /** after a redirect sign-in the desk never saw the password: the user sets one for offline unlock */
  async setUnlockPassword(password: string): Promise<void> {
    const user = this.require()
    this.setSecret(verifierKey(user.userId), await makeVerifier(password))
  }

  /**
   * In-process sign-in without a credential, for callers that hold the data folder anyway (unit
   * tests, the sync test harness, scripts). Not reachable through dispatch (IPC, bridge).
   */
  adopt(userId: string): User {
    const user = this.user(userId)
    if (!user) throw unauthenticated(WRONG_CREDENTIALS)
    return this.enter(user)
  }

  lock(): void {
    if (!this.user(this.userId)) throw unauthenticated(NOT_SIGNED_IN)
    this.locked = true
  }

  async unlock(password: string): Promise<User> {
    const user = this.user(this.userId)
    if (!user) throw unauthenticated(NOT_SIGNED_IN)
    const verifier = this.secret(verifierKey(user.userId))
    if (!verifier) throw unauthenticated(NOT_SIGNED_IN)
    if (!(await this.checkLocal(verifier, password))) throw unauthenticated(WRONG_PASSWORD)
    this.locked = false
    this.lastActivity = this.now()
    return user
  }

  /** ends the session of the signed-in user: tokens are forgotten, their pending changes wait */
  logout(): void {
    const id = this.userId
    if (id) {
      this.tokens.forget(id)
      this.setSecret(refreshKey(id), '')
    }
    this.userId = undefined
    this.locked = true
  }

  private enter(user: User): User {
    this.userId = user.userId
    this.locked = false
    this.lastActivity = this.now()
    setSetting(this.deps.db, 'user', user.userId)
    this.setReauth(user.userId, false)
    return user
  }

  // ── tokens (UserTokenSource) ─────────────────────────────────────────────────────────────────

  tokenFor(userId: string): Promise<string | undefined> {
    return this.tokens.tokenFor(userId)
  }

  private setReauth(userId: string, needed: boolean): void {
    if (needed === this.reauth.has(userId)) return
    if (needed) this.reauth.add(userId)
    else this.reauth.delete(userId)
    setSetting(this.deps.db, 'session.reauth', [...this.reauth])
    this.deps.events.emit('changed', { tags: [{ type: 'Session' }, { type: 'Sync' }] })
  }

  private prunePending(): void {
    for (const [k, v] of this.pending)
      if (this.now() - v.createdAt > PENDING_TTL_MS) this.pending.delete(k)
  }

  private secret(name: string): string | undefined {
    const v = this.deps.secrets.get(name)
    return v ? v : undefined
  }

  private setSecret(name: string, value: string): void {
    this.deps.secrets.set(name, value)
  }
}
