// A tiny throwaway OpenID Provider for desk session tests (tests only): the shape of the hub's
// demo IdP (client aktenfluss-desk, PKCE, JWT access tokens for aktenfluss-office, a German
// login form with username/password posting to the interaction URL, password `demo`).
// After the identity branches merge, the hub's embedded IdP replaces it.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import Provider from 'oidc-provider'

export interface TestProvider {
  issuer: string
  /** the redirect URIs the client accepts (exact match) */
  redirectUris: string[]
  /** while true every refresh request fails with invalid_grant (a revoked session) */
  refuseRefresh: boolean
  close(): Promise<void>
}

export interface TestProviderOptions {
  users: { userId: string; name: string }[]
  redirectUris: string[]
  password?: string
  accessTokenTtlSeconds?: number
  port?: number
}

// a resource indicator must be an absolute URI; the token's audience is the design's name
const RESOURCE = 'urn:aktenfluss:office'
const AUDIENCE = 'aktenfluss-office'
const SCOPES = 'openid profile offline_access'

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

function loginPage(uid: string, hint: string, error?: string): string {
  return `<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Anmeldung</title></head><body>
<main><h1>Anmeldung</h1>${error ? `<p role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/interaction/${escapeHtml(uid)}">
<label for="username">Benutzername</label><input id="username" name="username" value="${escapeHtml(hint)}">
<label for="password">Kennwort</label><input id="password" name="password" type="password">
<button type="submit">Anmelden</button></form><p>Demo: Das Kennwort ist „demo“.</p></main></body></html>`
}

function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    let body = ''
    req.on('data', (c: Buffer) => (body += c.toString('utf8')))
    req.on('end', () => resolve(new URLSearchParams(body)))
    req.on('error', reject)
  })
}

export async function startTestProvider(opts: TestProviderOptions): Promise<TestProvider> {
  const password = opts.password ?? 'demo'
  const users = new Map(opts.users.map((u) => [u.userId, u]))
  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_q, s) => s.end()
  const server: Server = createServer((req, res) => handler(req, res))
  await new Promise<void>((r) => server.listen(opts.port ?? 0, '127.0.0.1', r))
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: 'aktenfluss-desk',
        token_endpoint_auth_method: 'none',
        application_type: 'native',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: opts.redirectUris,
      },
    ],
    pkce: { required: () => true },
    cookies: { keys: ['test-provider-cookie-key'] },
    scopes: ['openid', 'profile', 'offline_access'],
    claims: { openid: ['sub'], profile: ['name', 'preferred_username'] },
    findAccount: (_ctx: unknown, id: string) => {
      const u = users.get(id)
      return u
        ? { accountId: id, claims: () => ({ sub: id, name: u.name, preferred_username: id }) }
        : undefined
    },
    features: {
      devInteractions: { enabled: false },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: SCOPES,
          audience: AUDIENCE,
          accessTokenFormat: 'jwt',
          accessTokenTTL: opts.accessTokenTtlSeconds ?? 600,
        }),
      },
    },
    issueRefreshToken: () => true,
    rotateRefreshToken: true,
    ttl: {
      AccessToken: opts.accessTokenTtlSeconds ?? 600,
      IdToken: 3600,
      RefreshToken: 14 * 24 * 3600,
      Session: 3600,
      Interaction: 600,
      Grant: 14 * 24 * 3600,
    },
  })
  const callback = provider.callback()

  handler = (req, res) => {
    const url = new URL(req.url ?? '/', issuer)
    const m = /^\/interaction\/([^/]+)$/.exec(url.pathname)
    if (!m) {
      if (url.pathname === '/token' && running.refuseRefresh && req.method === 'POST') {
        res.writeHead(400, { 'Content-Type': 'application/json' })
        res.end(JSON.stringify({ error: 'invalid_grant', error_description: 'revoked' }))
        return
      }
      callback(req, res)
      return
    }
    void (async () => {
      const details = await provider.interactionDetails(req, res)
      if (details.prompt.name === 'consent') {
        // first-party client: consent is granted without asking
        const grant = new provider.Grant({
          clientId: 'aktenfluss-desk',
          accountId: details.session?.accountId ?? '',
        })
        grant.addOIDCScope(SCOPES)
        grant.addResourceScope(RESOURCE, SCOPES)
        const grantId = await grant.save()
        await provider.interactionFinished(
          req,
          res,
          { consent: { grantId } },
          { mergeWithLastSubmission: true },
        )
        return
      }
      if (req.method === 'GET') {
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
        res.end(
          loginPage(
            details.uid,
            typeof details.params.login_hint === 'string' ? details.params.login_hint : '',
          ),
        )
        return
      }
      const form = await readForm(req)
      const username = form.get('username') ?? ''
      if (!users.has(username) || form.get('password') !== password) {
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
        res.end(loginPage(details.uid, username, 'Benutzername oder Kennwort ist falsch.'))
        return
      }
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: username } },
        { mergeWithLastSubmission: false },
      )
    })().catch((err: unknown) => {
      res.writeHead(500)
      res.end(String(err))
    })
  }

  const running: TestProvider = {
    issuer,
    redirectUris: opts.redirectUris,
    refuseRefresh: false,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections()
        server.close(() => r())
      }),
  }
  return running
}
