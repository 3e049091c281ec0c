import { randomBytes, timingSafeEqual } from 'node:crypto'
import { createReadStream, existsSync, statSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, resolve, sep } from 'node:path'
import type { EventName, Events } from '../../preload/contract/index'
import type { Dispatch } from '../api/registry'
import { CONTENT_SECURITY_POLICY } from '../csp'

export interface BridgeOptions {
  dispatch: Dispatch
  subscribe: (listener: (name: EventName, payload: Events[EventName]) => void) => () => void
  rendererDir: string
  token?: string
  port?: number
  maxBodyBytes?: number
  /** how long a browser session lives without a request (sliding; default 30 min) */
  sessionIdleMs?: number
  /** per-launch path prefix (tests); default 16 random bytes */
  pathPrefix?: string
  clock?: () => number
}

export interface Bridge {
  server: Server
  port: number
  token: string
  url: string
  /** the per-launch path the app and its cookie live under, e.g. `/s-3f…/` */
  basePath: string
  /** the redirect sign-in's callback (register `http://127.0.0.1/aktenfluss/callback`, any port) */
  callbackUrl: string
  close(): Promise<void>
}

/** the cookie carries a random session id, never the API token (issue #13) */
export const SESSION_COOKIE = 'aktenfluss_session'
export const CALLBACK_PATH = '/aktenfluss/callback'
const SESSION_IDLE_MS = 30 * 60_000
/** the cookie's Max-Age is renewed at most this often (sliding expiry without a header per request) */
const RENEW_AFTER_MS = 60_000
const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.json': 'application/json',
  '.map': 'application/json',
}
const STATUS_OF: Record<string, number> = {
  invalid_input: 400,
  invalid_json: 400,
  unauthorized: 401,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  unknown_method: 404,
  conflict: 409,
  payload_too_large: 413,
  too_many_attempts: 429,
  internal: 500,
  storage: 503,
  disk_full: 507,
}

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
}

function sameSecret(a: string | undefined, b: string): boolean {
  if (!a) return false
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

function cookieValue(req: IncomingMessage, name: string): string | undefined {
  const header = req.headers.cookie ?? ''
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=')
    if (k === name) return v.join('=')
  }
  return undefined
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
  })
  res.end(text)
}

const fail = (res: ServerResponse, status: number, code: string, message: string) =>
  sendJson(res, status, { error: { code, message } })

/** Reads the body up to `limit`; beyond it drains the rest (so the 413 reaches the client). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolveBody, reject) => {
    if (Number(req.headers['content-length'] ?? 0) > limit) {
      req.resume()
      return reject(new Error('too_large'))
    }
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size <= limit) chunks.push(c)
    })
    req.on('end', () =>
      size > limit ? reject(new Error('too_large')) : resolveBody(Buffer.concat(chunks)),
    )
    req.on('error', reject)
  })
}

/**
 * Browser mode (docs/architecture.md, "Scriptable local API"): loopback only, a per-launch token
 * for scripts (Authorization header); the browser gets a random, short-lived session id in an
 * HttpOnly cookie scoped to a per-launch path (set by the one-time URL); Host and Origin checked
 * against our own address, the same CSP as the Electron window, exactly the contract.
 */
export function startBridge(opts: BridgeOptions): Promise<Bridge> {
  const token = opts.token ?? randomBytes(24).toString('base64url')
  const rendererDir = resolve(opts.rendererDir)
  // large enough for „Antrag erfassen“ with a 20 MB attachment (base64); every method's schema bounds its own input
  const maxBody = opts.maxBodyBytes ?? 32_000_000
  let port = 0
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`])
  const allowedOrigins = () => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`])
  const sseClients = new Set<ServerResponse>()
  const now = opts.clock ?? Date.now
  const idleMs = opts.sessionIdleMs ?? SESSION_IDLE_MS
  // a per-launch random path: the app, its API and the cookie live under it, so another loopback
  // listener (cookies ignore ports) never receives the cookie — it cannot know the path
  const basePath = `/${opts.pathPrefix ?? `s-${randomBytes(16).toString('hex')}`}/`
  /** browser sessions: random id → last use (sliding expiry) and when the cookie was last renewed */
  const sessions = new Map<string, { lastUse: number; renewed: number }>()
  const cookieFor = (sid: string) =>
    `${SESSION_COOKIE}=${sid}; HttpOnly; SameSite=Strict; Path=${basePath}; Max-Age=${Math.floor(idleMs / 1000)}`

  const newSession = (): string => {
    for (const [k, v] of sessions) if (now() - v.lastUse > idleMs) sessions.delete(k)
    const sid = randomBytes(32).toString('base64url')
    sessions.set(sid, { lastUse: now(), renewed: now() })
    return sid
  }

  /** `bearer`: the script's token; `cookie`: a live browser session (the cookie to renew, if due) */
  const authorised = (
    req: IncomingMessage,
    allowCookie: boolean,
  ): { via: 'bearer' } | { via: 'cookie'; renew?: string } | undefined => {
    const auth = req.headers.authorization
    if (auth?.startsWith('Bearer '))
      return sameSecret(auth.slice(7).trim(), token) ? { via: 'bearer' } : undefined
    if (!allowCookie) return undefined
    const sid = cookieValue(req, SESSION_COOKIE)
    const s = sid ? sessions.get(sid) : undefined
    if (!sid || !s) return undefined
    if (now() - s.lastUse > idleMs) {
      sessions.delete(sid)
      return undefined
    }
    s.lastUse = now()
    if (now() - s.renewed > RENEW_AFTER_MS) {
      s.renewed = now()
      return { via: 'cookie', renew: cookieFor(sid) }
    }
    return { via: 'cookie' }
  }
  const renewHeader = (a: ReturnType<typeof authorised>): Record<string, string> =>
    a?.via === 'cookie' && a.renew ? { 'Set-Cookie': a.renew } : {}

  const serveStatic = (req: IncomingMessage, res: ServerResponse, pathname: string) => {
    let rel: string
    try {
      rel = decodeURIComponent(pathname === '/' || pathname === '' ? '/index.html' : pathname)
    } catch {
      return fail(res, 400, 'invalid_path', 'Ungültiger Pfad.')
    }
    const file = resolve(join(rendererDir, rel))
    if (!file.startsWith(rendererDir + sep) || rel.includes('\0'))
      return fail(res, 404, 'not_found', 'Nicht gefunden.')
    const isIndex = file === join(rendererDir, 'index.html')
    const auth = isIndex ? authorised(req, true) : undefined
    if (isIndex && !auth) {
      res.writeHead(401, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' })
      return res.end(
        'Nicht angemeldet oder die Sitzung ist abgelaufen. Bitte die beim Start ausgegebene Adresse mit ?token=… öffnen.',
      )
    }
    if (!existsSync(file) || !statSync(file).isFile())
      return fail(res, 404, 'not_found', 'Nicht gefunden.')
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      ...renewHeader(auth),
      'Content-Type': MIME[extname(file)] ?? 'application/octet-stream',
      'Cache-Control': isIndex ? 'no-store' : 'public, max-age=3600',
    })
    createReadStream(file).pipe(res)
  }

  const handleApi = async (
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    allowCookie: boolean,
  ) => {
    const auth = authorised(req, allowCookie)
    if (!auth) return fail(res, 401, 'unauthorized', 'Anmeldung fehlt oder Token ungültig.')
    const renew = renewHeader(auth)
    for (const [k, v] of Object.entries(renew)) res.setHeader(k, v)
    if (req.method === 'GET' && method === 'events') {
      res.writeHead(200, {
        ...SECURITY_HEADERS,
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store',
        Connection: 'keep-alive',
      })
      res.write(': verbunden\n\n')
      sseClients.add(res)
      req.on('close', () => sseClients.delete(res))
      return
    }
    if (req.method !== 'POST') return fail(res, 405, 'method_not_allowed', 'Nur POST ist erlaubt.')
    let body: Buffer
    try {
      body = await readBody(req, maxBody)
    } catch {
      return fail(res, 413, 'payload_too_large', 'Die Anfrage ist zu groß.')
    }
    let input: unknown = {}
    if (body.length) {
      try {
        input = JSON.parse(body.toString('utf8'))
      } catch {
        return fail(res, 400, 'invalid_json', 'Die Anfrage ist kein gültiges JSON.')
      }
    }
    const out = await opts.dispatch(method, input)
    if (out.ok) return sendJson(res, 200, out.value)
    return sendJson(res, STATUS_OF[out.error.code] ?? 422, { error: out.error })
  }

  /** the identity provider sends the browser back here (a cross-site navigation; state binds it) */
  const handleCallback = async (res: ServerResponse, url: URL) => {
    const out = await opts.dispatch('session.completeLogin', { callbackUrl: url.href })
    if (!out.ok) {
      res.writeHead(out.error.code === 'unauthenticated' ? 401 : 502, {
        ...SECURITY_HEADERS,
        'Content-Type': 'text/plain; charset=utf-8',
        'Cache-Control': 'no-store',
      })
      res.end(out.error.message)
      return
    }
    // not a 302: the identity provider's redirect is a cross-site navigation, and a redirect chain
    // started cross-site would not carry the SameSite=Strict cookie; a page of our own does
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
    })
    res.end(
      `<!doctype html><html lang="de"><head><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${basePath}"><title>Aktenfluss – Anmeldung</title></head><body><main><p>Sie sind angemeldet. <a href="${basePath}">Weiter zu Aktenfluss</a></p></main></body></html>`,
    )
  }

  const server = createServer((req, res) => {
    const host = req.headers.host ?? ''
    if (!allowedHosts().has(host)) return fail(res, 403, 'forbidden_host', 'Unzulässiger Host.')
    const url = new URL(req.url ?? '/', `http://${host}`)
    if (url.pathname === CALLBACK_PATH && req.method === 'GET') {
      handleCallback(res, url).catch((err: unknown) => {
        console.error('[bridge]', err)
        if (!res.headersSent) fail(res, 500, 'internal', 'Interner Fehler.')
      })
      return
    }
    const origin = req.headers.origin
    if (origin !== undefined && !allowedOrigins().has(origin))
      return fail(
        res,
        403,
        'forbidden_origin',
        'Anfragen von fremden Ursprüngen sind nicht erlaubt.',
      )
    if (req.headers['sec-fetch-site'] === 'cross-site')
      return fail(res, 403, 'forbidden_origin', 'Anfragen von fremden Seiten sind nicht erlaubt.')
    // scripts: /api/* with the Bearer token, as documented; the app: <basePath>api/* with its cookie
    const inBase = url.pathname.startsWith(basePath)
    const path = inBase ? url.pathname.slice(basePath.length - 1) : url.pathname
    if (path.startsWith('/api/')) {
      handleApi(req, res, path.slice(5), inBase).catch((err: unknown) => {
        console.error('[bridge]', err)
        if (!res.headersSent) fail(res, 500, 'internal', 'Interner Fehler.')
      })
      return
    }
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return fail(res, 405, 'method_not_allowed', 'Methode nicht erlaubt.')
    const t = url.searchParams.get('token')
    if (url.pathname === '/' && t !== null) {
      if (!sameSecret(t, token)) return fail(res, 401, 'unauthorized', 'Token ungültig.')
      res.writeHead(302, {
        ...SECURITY_HEADERS,
        'Set-Cookie': cookieFor(newSession()),
        'Cache-Control': 'no-store',
        Location: basePath,
      })
      return res.end()
    }
    if (url.pathname === basePath.slice(0, -1)) {
      res.writeHead(301, { ...SECURITY_HEADERS, Location: basePath })
      return res.end()
    }
    if (!inBase) {
      res.writeHead(401, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' })
      return res.end(
        'Nicht angemeldet oder die Sitzung ist abgelaufen. Bitte die beim Start ausgegebene Adresse mit ?token=… öffnen.',
      )
    }
    serveStatic(req, res, path)
  })

  const unsubscribe = opts.subscribe((name, payload) => {
    const frame = `event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`
    for (const c of sseClients) c.write(frame)
  })
  const keepAlive = setInterval(() => sseClients.forEach((c) => c.write(': ping\n\n')), 15_000)
  keepAlive.unref()

  return new Promise((resolveStart, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      port = (server.address() as AddressInfo).port
      resolveStart({
        server,
        port,
        token,
        url: `http://127.0.0.1:${port}/?token=${token}`,
        basePath,
        callbackUrl: `http://127.0.0.1:${port}${CALLBACK_PATH}`,
        close: () =>
          new Promise<void>((done) => {
            unsubscribe()
            clearInterval(keepAlive)
            sseClients.forEach((c) => c.end())
            server.closeAllConnections()
            server.close(() => done())
          }),
      })
    })
  })
}
