// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- oidc-provider ships no types; every tsconfig that reaches this file (e2e too) needs the declaration
/// <reference path="./oidc-provider.d.ts" />
// The embedded OpenID Provider of the reference hub (oidc-provider 9), mounted under /oidc in the
// hub's fastify server. Users = the office directory, password `demo`; one public client
// `aktenfluss-desk` (PKCE, loopback redirects on any port); JWT access tokens for the office API.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { randomBytes } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import type { JWK } from 'jose'
import Provider from 'oidc-provider'
import type { OfficeUser } from '../office/directory'
import { createStorageAdapter } from './adapter'
import type { HubStorage } from '../storage/hub'
import { ACCESS_TOKEN_ALG, DESK_CLIENT_ID, OFFICE_AUDIENCE, OFFICE_RESOURCE } from './files'
import { LOGIN_CSP, loginPage } from './loginPage'

export const DEMO_PASSWORD = 'demo'
export const MOUNT = '/oidc'
const WRONG = 'Benutzername oder Kennwort ist falsch.'
const DAY = 86_400

export interface EmbeddedIdpOptions {
  storage: HubStorage
  keys: JWK[]
  users: () => OfficeUser[]
  office: string
  clock: () => number
  /** lifetime of access tokens, default 600 s */
  accessTokenTtlSeconds?: number
}

/** A loopback redirect as RFC 8252 §7.3 allows: http://127.0.0.1|[::1]|localhost, any port, any path. */
export function isLoopbackRedirect(value: string): boolean {
  let u: URL
  try {
    u = new URL(value)
  } catch {
    return false
  }
  return (
    u.protocol === 'http:' &&
    ['127.0.0.1', '[::1]', 'localhost'].includes(u.hostname) &&
    u.hash === '' &&
    u.username === '' &&
    u.password === ''
  )
}

const pageHeaders = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': LOGIN_CSP,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
}

export function createEmbeddedIdp(opts: EmbeddedIdpOptions) {
  const ttl = opts.accessTokenTtlSeconds ?? 600
  let provider: Provider | undefined
  const user = (id: string) => opts.users().find((u) => u.userId === id)

  function start(issuer: string): Provider {
    const p = new Provider(issuer, {
      adapter: createStorageAdapter(opts.storage, opts.clock),
      jwks: { keys: opts.keys },
      cookies: { keys: [randomBytes(32).toString('base64url')] },
      clients: [
        {
          client_id: DESK_CLIENT_ID,
          application_type: 'native',
          token_endpoint_auth_method: 'none',
          grant_types: ['authorization_code', 'refresh_token'],
          response_types: ['code'],
          redirect_uris: ['http://127.0.0.1/callback'],
        },
      ],
      scopes: ['openid', 'profile', 'offline_access'],
      claims: { openid: ['sub'], profile: ['name', 'preferred_username'] },
      pkce: { required: () => true },
      findAccount: (_ctx: unknown, id: string) => {
        const u = user(id)
        return u
          ? {
              accountId: u.userId,
              claims: () => ({ sub: u.userId, name: u.name, preferred_username: u.userId }),
            }
          : undefined
      },
      features: {
        devInteractions: { enabled: false },
        resourceIndicators: {
          enabled: true,
          defaultResource: () => OFFICE_RESOURCE,
          useGrantedResource: () => true,
          getResourceServerInfo: (_ctx: unknown, resource: string) => {
            if (resource !== OFFICE_RESOURCE) throw new Error('unknown resource')
            return {
              scope: 'office',
              audience: OFFICE_AUDIENCE,
              accessTokenTTL: ttl,
              accessTokenFormat: 'jwt',
              jwt: { sign: { alg: ACCESS_TOKEN_ALG } },
            }
          },
        },
      },
      ttl: {
        AccessToken: ttl,
        AuthorizationCode: 60,
        IdToken: 3600,
        Interaction: 3600,
        Session: 14 * DAY,
        Grant: 14 * DAY,
        RefreshToken: 14 * DAY,
      },
      interactions: { url: (_ctx: unknown, i: { uid: string }) => `${MOUNT}/interaction/${i.uid}` },
      renderError: (ctx: { type: string; body: string }, out: Record<string, string>) => {
        ctx.type = 'html'
        ctx.body = `<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Anmeldung nicht möglich</title></head><body><main><h1>Anmeldung nicht möglich</h1><p role="alert">Die Anmeldung konnte nicht abgeschlossen werden. Bitte starten Sie die Anmeldung am Arbeitsplatz erneut.</p><p>${String(out.error ?? '').replace(/[^a-z_]/g, '')}</p></main></body></html>`
      },
    })
    // RFC 8252 §7.3: the desk listens on whatever loopback port is free
    const allowed = p.Client.prototype.redirectUriAllowed
    p.Client.prototype.redirectUriAllowed = function (this: { clientId: string }, value: string) {
      if (this.clientId === DESK_CLIENT_ID && isLoopbackRedirect(value)) return true
      return allowed.call(this, value)
    }
    provider = p
    return p
  }

  async function grantFor(p: Provider, accountId: string, scope: string, existing?: string) {
    const grant =
      (existing ? await p.Grant.find(existing) : undefined) ??
      new p.Grant({ accountId, clientId: DESK_CLIENT_ID })
    grant.addOIDCScope(scope || 'openid')
    grant.addResourceScope(OFFICE_RESOURCE, 'office')
    return grant.save()
  }

  function mount(app: FastifyInstance): void {
    // everything under /oidc except the login page goes to the provider untouched (it parses its own bodies)
    app.addHook('onRequest', async (req, reply) => {
      const url = req.raw.url ?? ''
      if (!(url === MOUNT || url.startsWith(`${MOUNT}/`) || url.startsWith(`${MOUNT}?`))) return
      if (url.startsWith(`${MOUNT}/interaction/`)) return
      if (!provider) throw new Error('identity provider not started')
      reply.hijack()
      const raw = req.raw as IncomingMessage & { originalUrl?: string }
      raw.originalUrl = url
      raw.url = url.slice(MOUNT.length) || '/'
      provider.callback()(raw, reply.raw)
    })

    const show = (res: ServerResponse, status: number, html: string) => {
      res.writeHead(status, pageHeaders)
      res.end(html)
    }

    app.get<{ Params: { uid: string } }>(`${MOUNT}/interaction/:uid`, async (req, reply) => {
      const p = provider!
      reply.hijack()
      const details = await p.interactionDetails(req.raw, reply.raw)
      if (details.prompt.name === 'consent' && details.session?.accountId) {
        // the desk is the office's own first-party client: consent is implied
        const grantId = await grantFor(
          p,
          details.session.accountId,
          String(details.params.scope ?? ''),
          details.grantId,
        )
        await p.interactionFinished(req.raw, reply.raw, { consent: { grantId } })
        return
      }
      const hint = typeof details.params.login_hint === 'string' ? details.params.login_hint : ''
      show(
        reply.raw,
        200,
        loginPage({
          action: `${MOUNT}/interaction/${details.uid}`,
          username: hint.slice(0, 100),
          office: opts.office,
        }),
      )
    })

    app.post<{ Params: { uid: string }; Body: Record<string, unknown> }>(
      `${MOUNT}/interaction/:uid`,
      async (req, reply) => {
        const p = provider!
        reply.hijack()
        const details = await p.interactionDetails(req.raw, reply.raw)
        const body = req.body ?? {}
        const username = typeof body.username === 'string' ? body.username.trim() : ''
        const password = typeof body.password === 'string' ? body.password : ''
        const u = user(username)
        if (!u || password !== DEMO_PASSWORD) {
          show(
            reply.raw,
            401,
            loginPage({
              action: `${MOUNT}/interaction/${details.uid}`,
              username: username.slice(0, 100),
              error: WRONG,
              office: opts.office,
            }),
          )
          return
        }
        const grantId = await grantFor(
          p,
          u.userId,
          String(details.params.scope ?? ''),
          details.grantId,
        )
        await p.interactionFinished(
          req.raw,
          reply.raw,
          { login: { accountId: u.userId }, consent: { grantId } },
          { mergeWithLastSubmission: false },
        )
      },
    )
  }

  return { start, mount }
}
