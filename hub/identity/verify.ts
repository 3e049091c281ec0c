// Verification of user access tokens at the office API: signature (the issuer's JWKS), iss, aud,
// exp against the hub's clock, typ. The embedded IdP's keys are local; an external IdP's come from
// its discovery document's jwks_uri.
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  jwtVerify,
  type JWK,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose'
import { z } from 'zod'

export interface VerifierOptions {
  /** the expected `iss` (the embedded IdP's is known only once the hub listens) */
  issuer: () => string
  audience: string
  clock: () => number
  /** the claim that names the directory user (default `sub`) */
  userClaim?: string
  /** local keys (embedded IdP); without them the JWKS is discovered from the issuer */
  keys?: JWK[]
  /** accepted `typ` headers; default only RFC 9068 `at+jwt` */
  types?: string[]
  fetch?: typeof fetch
}

export class TokenRefused extends Error {}

const discovery = z.object({ issuer: z.string(), jwks_uri: z.string().url() })

export function createTokenVerifier(opts: VerifierOptions) {
  const types = opts.types ?? ['at+jwt']
  const claim = opts.userClaim ?? 'sub'
  let keySet: JWTVerifyGetKey | undefined = opts.keys
    ? createLocalJWKSet({ keys: opts.keys })
    : undefined

  async function remoteKeys(): Promise<JWTVerifyGetKey> {
    const url = `${opts.issuer().replace(/\/+$/, '')}/.well-known/openid-configuration`
    const r = await (opts.fetch ?? fetch)(url, { signal: AbortSignal.timeout(10_000) })
    if (!r.ok) throw new Error(`discovery ${url}: HTTP ${r.status}`)
    const d = discovery.parse(await r.json())
    return createRemoteJWKSet(new URL(d.jwks_uri))
  }

  /** The user id the token names; throws TokenRefused with an (English, protocol) reason. */
  return async function verify(token: string): Promise<{ userId: string; claims: JWTPayload }> {
    keySet ??= await remoteKeys()
    let payload: JWTPayload
    let typ: string | undefined
    try {
      const r = await jwtVerify(token, keySet, {
        issuer: opts.issuer(),
        audience: opts.audience,
        currentDate: new Date(opts.clock()),
        requiredClaims: ['exp', claim],
      })
      payload = r.payload
      typ = r.protectedHeader.typ
    } catch (e) {
      if (e instanceof errors.JWTExpired) throw new TokenRefused('The access token has expired.')
      if (e instanceof errors.JWTClaimValidationFailed)
        throw new TokenRefused(`The access token's ${e.claim} claim is not accepted.`)
      if (e instanceof errors.JOSEError)
        throw new TokenRefused(`The access token is not valid (${e.code}).`)
      throw e
    }
    const normal = (t: string) => t.toLowerCase().replace(/^application\//, '')
    if (!typ || !types.map(normal).includes(normal(typ)))
      throw new TokenRefused(`The token type ${typ ?? '(none)'} is not an access token.`)
    const user = payload[claim]
    if (typeof user !== 'string' || user.length === 0 || user.length > 200)
      throw new TokenRefused(`The access token names no user (${claim}).`)
    return { userId: user, claims: payload }
  }
}

export type TokenVerifier = ReturnType<typeof createTokenVerifier>
