/**
 * The sign-in's vocabulary (issue #13): identity settings, limits, German messages, token shapes
 * and the provider's discovery cache. The session itself is in service.ts.
 */
import type * as oidc from 'openid-client'
import { z } from 'zod'
import { setSetting } from '../../../db/repositories/settings'
import type { Db } from '../../../db/open'
import { ApiFailure } from '../../core/errors'
import { discoverIssuer } from '../../hub-client/oidcSupport'
import type { Clock } from '../../core/clock'
import type { Directory } from '../../core/directory'
import type { AppEvents } from '../../core/events'
import type { SecretStore } from '../../core/secrets'

export const DEFAULT_SCOPES = 'openid profile offline_access'
export const DEFAULT_IDLE_LOCK_MINUTES = 15
/** the redirect URI of the headless demo sign-in (never opened; a loopback URI as RFC 8252 §7.3) */
export const HEADLESS_REDIRECT_URI = 'http://127.0.0.1/aktenfluss/callback'

export const identitySettings = z
  .object({
    issuer: z.url(),
    clientId: z.string().min(1).max(200),
    scopes: z.string().min(1).max(500).default(DEFAULT_SCOPES),
    /** the token claim that names the directory's userId (default `sub`) */
    userClaim: z.string().min(1).max(100).optional(),
    /** the reference hub's embedded demo IdP (users of the demo directory, password `demo`) */
    demo: z.boolean().optional(),
  })
  .strict()
export type IdentitySettings = z.infer<typeof identitySettings>

/** Stores the identity provider the desk signs in with (settings key `identity`). */
export function configureIdentity(db: Db, settings: z.input<typeof identitySettings>): void {
  setSetting(db, 'identity', identitySettings.parse(settings))
}

export interface SessionDeps {
  db: Db
  secrets: SecretStore
  clock: Clock
  events: AppEvents
  directory(): Directory
}

/** Where the redirect sign-in comes back to; the adapter sets it (bridge callback or loopback listener). */
export interface LoginRedirect {
  start(): Promise<{
    redirectUri: string
    /** Electron: the URL is opened in the system browser and `callback` delivers the answer */
    external?: { open(url: string): Promise<void>; callback: Promise<string>; close(): void }
  }>
}

export interface PendingLogin {
  verifier: string
  nonce: string
  redirectUri: string
  createdAt: number
}

export const unauthenticated = (message: string) => new ApiFailure('unauthenticated', message)
export const NOT_SIGNED_IN = 'Bitte melden Sie sich an.'
export const LOCKED = 'Der Arbeitsplatz ist gesperrt. Bitte entsperren Sie ihn mit Ihrem Kennwort.'
export const WRONG_CREDENTIALS =
  'Benutzername oder Kennwort ist falsch. Bitte prüfen Sie Ihre Eingabe.'
export const WRONG_PASSWORD = 'Das Kennwort ist falsch. Bitte versuchen Sie es erneut.'
export const PENDING_TTL_MS = 10 * 60_000
export const MAX_FAILURES = 5
export const FAILURE_PAUSE_MS = 30_000
/** an access token this close to its expiry is refreshed first */
export const EXPIRY_MARGIN_MS = 60_000

/** what the session keeps of a token response (demoPasswordLogin's shape) */
export interface Tokens {
  accessToken: string
  refreshToken: string | undefined
  expiresIn: number | undefined
}
export const normalise = (
  t: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers,
): Tokens => ({
  accessToken: t.access_token,
  refreshToken: t.refresh_token,
  expiresIn: t.expiresIn(),
})

export const refreshKey = (userId: string) => `session.refresh.${userId}`
export const verifierKey = (userId: string) => `session.verifier.${userId}`

/** the directory's userId from the ID token (claim `sub`, or the configured one) */
export function claimOf(
  claims: Record<string, unknown> | undefined,
  identity: IdentitySettings,
): string {
  const value = claims?.[identity.userClaim ?? 'sub']
  return typeof value === 'string' ? value : ''
}

export function unreachable(err: unknown): ApiFailure {
  console.error('[session] Anmeldedienst nicht erreichbar:', err)
  return new ApiFailure(
    'identity_unavailable',
    'Der Anmeldedienst ist nicht erreichbar. Bitte Netzwerkverbindung prüfen und erneut versuchen.',
  )
}

/** the provider's discovery, cached per issuer and client; a failed one (offline) is retried next time */
export class IssuerConfigs {
  private cache: { key: string; config: Promise<oidc.Configuration> } | undefined

  get(identity: IdentitySettings): Promise<oidc.Configuration> {
    const key = `${identity.issuer} ${identity.clientId}`
    if (this.cache?.key !== key) {
      const config = discoverIssuer(identity.issuer, identity.clientId)
      this.cache = { key, config }
      config.catch(() => {
        if (this.cache?.config === config) this.cache = undefined
      })
    }
    return this.cache.config
  }
}
