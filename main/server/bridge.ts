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
}

export interface Bridge {
  server: Server
  port: number
  token: string
  url: string
  close(): Promise<void>
}

const COOKIE = 'aktenfluss_token'
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
  forbidden: 403,
  not_found: 404,
  unknown_method: 404,
  conflict: 409,
  payload_too_large: 413,
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

function cookieToken(req: IncomingMessage): string | undefined {
  const header = req.headers.cookie ?? ''
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=')
    if (k === COOKIE) return v.join('=')
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
 * (Authorization header or the HttpOnly cookie set by the one-time URL), Host and Origin
 * checked against our own address, the same CSP as the Electron window, exactly the contract.
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

  const authorised = (req: IncomingMessage): boolean => {
    const auth = req.headers.authorization
    if (auth?.startsWith('Bearer ')) return sameSecret(auth.slice(7).trim(), token)
    return sameSecret(cookieToken(req), token)
  }

  const serveStatic = (req: IncomingMessage, res: ServerResponse, pathname: string) => {
    let rel: string
    try {
      rel = decodeURIComponent(pathname === '/' ? '/index.html' : pathname)
    } catch {
      return fail(res, 400, 'invalid_path', 'Ungültiger Pfad.')
    }
    const file = resolve(join(rendererDir, rel))
    if (!file.startsWith(rendererDir + sep) || rel.includes('\0'))
      return fail(res, 404, 'not_found', 'Nicht gefunden.')
    const isIndex = file === join(rendererDir, 'index.html')
    if (isIndex && !authorised(req)) {
      res.writeHead(401, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' })
      return res.end(
        'Nicht angemeldet. Bitte die beim Start ausgegebene Adresse mit ?token=… öffnen.',
      )
    }
    if (!existsSync(file) || !statSync(file).isFile())
      return fail(res, 404, 'not_found', 'Nicht gefunden.')
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': MIME[extname(file)] ?? 'application/octet-stream',
      'Cache-Control': isIndex ? 'no-store' : 'public, max-age=3600',
    })
    createReadStream(file).pipe(res)
  }

  const handleApi = async (req: IncomingMessage, res: ServerResponse, method: string) => {
    if (!authorised(req))
      return fail(res, 401, 'unauthorized', 'Anmeldung fehlt oder Token ungültig.')
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

  const server = createServer((req, res) => {
    const host = req.headers.host ?? ''
    if (!allowedHosts().has(host)) return fail(res, 403, 'forbidden_host', 'Unzulässiger Host.')
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
    const url = new URL(req.url ?? '/', `http://${host}`)
    if (url.pathname.startsWith('/api/')) {
      handleApi(req, res, url.pathname.slice(5)).catch((err: unknown) => {
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
        'Set-Cookie': `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        Location: '/',
      })
      return res.end()
    }
    serveStatic(req, res, url.pathname)
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
