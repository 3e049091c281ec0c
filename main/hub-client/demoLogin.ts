// Signs in at an OpenID Provider's HTML login form without a browser: authorization code + PKCE,
// the form posted with username/password, redirects followed by hand, the code exchanged with
// openid-client. For the demo IdP of the reference hub (fields `username`, `password`), scripts
// and tests; plain fetch, no hub imports.
import * as oidc from 'openid-client'

export interface DemoLoginOptions {
  /** the issuer URL (discovery at <issuer>/.well-known/openid-configuration) */
  issuer: string
  clientId: string
  /** a loopback redirect URI; nothing needs to listen there, the code is taken from the redirect */
  redirectUri: string
  username: string
  password: string
  /** default 'openid profile offline_access' */
  scope?: string
}

export interface DemoLoginTokens {
  accessToken: string
  refreshToken: string | undefined
  idToken: string | undefined
  /** seconds */
  expiresIn: number | undefined
  /** the ID token's claims (sub, name, preferred_username …) */
  claims: Record<string, unknown> | undefined
}

/** The IdP refused the credentials (its login form came back with an error). */
export class DemoLoginRefused extends Error {
  override readonly name = 'DemoLoginRefused'
}

const MAX_REDIRECTS = 10

class CookieJar {
  private readonly cookies = new Map<string, string>()
  take(r: Response) {
    for (const c of r.headers.getSetCookie()) {
      const [pair] = c.split(';')
      const eq = pair?.indexOf('=') ?? -1
      if (!pair || eq <= 0) continue
      const name = pair.slice(0, eq).trim()
      const value = pair.slice(eq + 1).trim()
      if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(c)) this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  }
}

const decodeHtml = (s: string) =>
  s
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')

export async function demoPasswordLogin(opts: DemoLoginOptions): Promise<DemoLoginTokens> {
  const insecure = new URL(opts.issuer).protocol === 'http:'
  const config = await oidc.discovery(
    new URL(opts.issuer),
    opts.clientId,
    undefined,
    oidc.None(),
    insecure ? { execute: [oidc.allowInsecureRequests] } : undefined,
  )
  const verifier = oidc.randomPKCECodeVerifier()
  const state = oidc.randomState()
  const authUrl = oidc.buildAuthorizationUrl(config, {
    redirect_uri: opts.redirectUri,
    scope: opts.scope ?? 'openid profile offline_access',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    // OpenID Connect issues a refresh token (offline_access) only with prompt=consent
    prompt: 'consent',
    login_hint: opts.username,
  })
  const jar = new CookieJar()

  /** follows redirects until a page is shown, or until the redirect to the desk */
  async function follow(first: Response, from: URL): Promise<{ page: Response; url: URL } | URL> {
    let r = first
    let url = from
    for (let i = 0; i < MAX_REDIRECTS; i++) {
      jar.take(r)
      const location = r.headers.get('location')
      if (r.status < 300 || r.status >= 400 || !location) return { page: r, url }
      await r.body?.cancel()
      const next = new URL(location, url)
      if (next.href.startsWith(opts.redirectUri)) return next
      url = next
      r = await fetch(url, { redirect: 'manual', headers: { cookie: jar.header() } })
    }
    throw new Error('Zu viele Weiterleitungen bei der Anmeldung.')
  }

  const shown = await follow(await fetch(authUrl, { redirect: 'manual' }), authUrl)
  if (shown instanceof URL) return exchange(shown)
  const html = await shown.page.text()
  const action = /<form[^>]*\saction="([^"]+)"/i.exec(html)?.[1]
  if (!action)
    throw new Error(`Der Anmeldedienst zeigte kein Anmeldeformular (HTTP ${shown.page.status}).`)
  const posted = await fetch(new URL(decodeHtml(action), shown.url), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar.header() },
    body: new URLSearchParams({ username: opts.username, password: opts.password }).toString(),
  })
  const done = await follow(posted, shown.url)
  if (done instanceof URL) return exchange(done)
  const again = await done.page.text()
  const alert = /role="alert"[^>]*>([^<]*)</i.exec(again)?.[1]
  throw new DemoLoginRefused(
    alert
      ? decodeHtml(alert).trim()
      : `Die Anmeldung wurde nicht abgeschlossen (HTTP ${done.page.status}).`,
  )

  async function exchange(callback: URL): Promise<DemoLoginTokens> {
    const t = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
    })
    return {
      accessToken: t.access_token,
      refreshToken: t.refresh_token,
      idToken: t.id_token,
      expiresIn: t.expiresIn(),
      claims: t.claims() as Record<string, unknown> | undefined,
    }
  }
}
