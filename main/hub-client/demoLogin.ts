/**
 * The demo sign-in without a browser: drives the authorization code flow (PKCE S256, state,
 * nonce) against the demo identity provider's login form (`username`/`password` posted to the
 * interaction URL) and exchanges the code. Used by `session.login {userId, password}` — scripts,
 * tests and the demo; a real IdP is used through the redirect sign-in instead.
 */
import * as oidc from 'openid-client'

export interface DemoLoginInput {
  issuer: string
  clientId: string
  redirectUri: string
  username: string
  password: string
  scope?: string
}

export type DemoLoginTokens = oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers

/** The provider answered the form again instead of redirecting: wrong user or password. */
export class CredentialsRefusedError extends Error {
  constructor() {
    super('Benutzername oder Kennwort ist falsch.')
    this.name = 'CredentialsRefusedError'
  }
}

/** The provider could not be reached (network) — the caller may fall back to the local verifier. */
export class IdentityProviderUnreachableError extends Error {
  constructor(cause: unknown) {
    super(
      `Der Anmeldedienst ist nicht erreichbar (${cause instanceof Error ? cause.message : String(cause)}).`,
    )
    this.name = 'IdentityProviderUnreachableError'
  }
}

const MAX_HOPS = 12

/** Discovery of an issuer; plain http is allowed only for loopback issuers (demo, tests). */
export async function discoverIssuer(
  issuer: string,
  clientId: string,
): Promise<oidc.Configuration> {
  const url = new URL(issuer)
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost'
  try {
    return await oidc.discovery(
      url,
      clientId,
      { token_endpoint_auth_method: 'none' },
      oidc.None(),
      loopback && url.protocol === 'http:' ? { execute: [oidc.allowInsecureRequests] } : {},
    )
  } catch (err) {
    if (isNetworkError(err)) throw new IdentityProviderUnreachableError(err)
    throw err
  }
}

export function isNetworkError(err: unknown): boolean {
  for (let e: unknown = err; e; e = (e as { cause?: unknown }).cause) {
    if (e instanceof TypeError && /fetch failed/i.test(e.message)) return true
    const code = (e as { code?: unknown }).code
    if (
      typeof code === 'string' &&
      /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|ETIMEDOUT|EAI_AGAIN|UND_ERR_)/.test(code)
    )
      return true
    if (e === (e as { cause?: unknown }).cause) break
  }
  return false
}

class CookieJar {
  private readonly cookies = new Map<string, string>()
  take(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';')
      const eq = pair?.indexOf('=') ?? -1
      if (!pair || eq < 1) continue
      const name = pair.slice(0, eq).trim()
      const value = pair.slice(eq + 1).trim()
      if (/expires=Thu, 01 Jan 1970/i.test(line) || value === '') this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  }
}

function formAction(html: string, pageUrl: string): string {
  const m = /<form[^>]*\baction="([^"]*)"/i.exec(html)
  const action = m?.[1]?.replace(/&amp;/g, '&')
  return new URL(action || pageUrl, pageUrl).href
}

/** Runs the code flow headlessly; resolves with the token response of the code exchange. */
export async function demoPasswordLogin(input: DemoLoginInput): Promise<DemoLoginTokens> {
  const config = await discoverIssuer(input.issuer, input.clientId)
  const verifier = oidc.randomPKCECodeVerifier()
  const state = oidc.randomState()
  const nonce = oidc.randomNonce()
  const authorize = oidc.buildAuthorizationUrl(config, {
    redirect_uri: input.redirectUri,
    scope: input.scope ?? 'openid profile offline_access',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    login_hint: input.username,
    prompt: 'login',
  })
  const callback = await driveLoginForm(
    authorize.href,
    input.redirectUri,
    input.username,
    input.password,
  )
  return oidc.authorizationCodeGrant(config, new URL(callback), {
    pkceCodeVerifier: verifier,
    expectedState: state,
    expectedNonce: nonce,
    idTokenExpected: true,
  })
}

/**
 * Fills the identity provider's login form (`username`/`password`) for an authorization URL and
 * follows the redirects until the one to `redirectUri`; resolves with that callback URL.
 */
export async function driveLoginForm(
  authorizeUrl: string,
  redirectUri: string,
  username: string,
  password: string,
): Promise<string> {
  const jar = new CookieJar()
  const go = async (url: string, init: RequestInit = {}): Promise<Response> => {
    try {
      const res = await fetch(url, {
        ...init,
        redirect: 'manual',
        headers: { ...(init.headers as Record<string, string>), cookie: jar.header() },
      })
      jar.take(res)
      return res
    } catch (err) {
      throw new IdentityProviderUnreachableError(err)
    }
  }
  let url = authorizeUrl
  let res = await go(url)
  let posted = false
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const location = res.headers.get('location')
    if (res.status >= 300 && res.status < 400 && location) {
      await res.body?.cancel()
      const next = new URL(location, url).href
      if (next.startsWith(redirectUri)) return next
      url = next
      res = await go(url)
      continue
    }
    const html = await res.text()
    if (!/name="password"/.test(html))
      throw new Error(`Unerwartete Antwort des Anmeldedienstes (HTTP ${res.status}).`)
    if (posted) throw new CredentialsRefusedError()
    posted = true
    const target = formAction(html, url)
    res = await go(target, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username, password }).toString(),
    })
    url = target
  }
  throw new Error('Der Anmeldedienst leitet zu oft weiter.')
}
