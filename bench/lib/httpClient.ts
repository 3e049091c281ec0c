/**
 * The bench's JSON client for the desk's bridge (`POST /api/<method>` with the bearer token) over
 * keep-alive connections.
 *
 * Why it does not simply reuse every idle socket: the bench runs its raw references
 * synchronously in this process (better-sqlite3), and at 1,000,000 encrypted cases one of them
 * (a grouped scan, a LIKE over the FTS text) blocks the event loop for longer than the server's
 * keep-alive timeout (Node's default 5 s). The server closes the idle socket meanwhile, but this
 * process only learns of it after the block; Node's Agent then hands the dead socket to the next
 * request, which fails with "socket hang up" (ECONNRESET). So the client reads the server's
 * `Keep-Alive: timeout=N` and, before each request, drops idle sockets that are older than that
 * minus a margin, measured with the clock rather than with timers (which cannot fire while the
 * loop is blocked).
 */
import { Agent, request, type IncomingMessage } from 'node:http'
import type { Socket } from 'node:net'

/** when the server announces no timeout: Node's default keepAliveTimeout (5 s) */
const DEFAULT_SERVER_IDLE_MS = 5000
/** a socket is given up this long before the server would close it */
const MARGIN_MS = 1000

export interface JsonClient {
  call<T = unknown>(method: string, input?: unknown): Promise<T>
  /** the local port of the connection the last response came on (tests: reuse) */
  lastLocalPort(): number | undefined
  close(): void
}

export interface JsonClientOptions {
  port: number
  token: string
  host?: string
  /** called when a request fails at the socket level; its text is appended (e.g. the desk's exit) */
  explainFailure?: () => string
}

/** `Keep-Alive: timeout=5, max=1000` → 5000 */
export function keepAliveTimeoutMs(header: string | string[] | undefined): number | undefined {
  const text = Array.isArray(header) ? header.join(',') : header
  const m = text ? /(?:^|[,\s])timeout=(\d+)/i.exec(text) : null
  return m?.[1] ? Number(m[1]) * 1000 : undefined
}

export function jsonClient(opts: JsonClientOptions): JsonClient {
  const host = opts.host ?? '127.0.0.1'
  const agent = new Agent({ keepAlive: true, maxSockets: 4 })
  const idleSince = new WeakMap<Socket, number>()
  let serverIdleMs = DEFAULT_SERVER_IDLE_MS
  let lastPort: number | undefined
  agent.on('free', (socket: Socket) => idleSince.set(socket, performance.now()))

  const dropStaleSockets = () => {
    const limit = Math.max(0, serverIdleMs - MARGIN_MS)
    const now = performance.now()
    for (const list of Object.values(agent.freeSockets))
      for (const socket of list ?? []) {
        const since = idleSince.get(socket)
        // destroyed synchronously: the Agent skips destroyed free sockets
        if (since !== undefined && now - since >= limit) socket.destroy()
      }
  }

  const call = <T>(method: string, input: unknown = {}): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      dropStaleSockets()
      const body = JSON.stringify(input)
      const req = request(
        {
          host,
          port: opts.port,
          path: `/api/${method}`,
          method: 'POST',
          agent,
          headers: {
            Authorization: `Bearer ${opts.token}`,
            'Content-Type': 'application/json',
            'Content-Length': Buffer.byteLength(body),
          },
        },
        (res: IncomingMessage) => {
          const announced = keepAliveTimeoutMs(res.headers['keep-alive'])
          if (announced !== undefined) serverIdleMs = announced
          lastPort = res.socket.localPort
          const chunks: Buffer[] = []
          res.on('data', (c: Buffer) => chunks.push(c))
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8')
            let parsed: unknown
            try {
              parsed = JSON.parse(text)
            } catch {
              return reject(new Error(`${method}: ${res.statusCode} non-JSON response`))
            }
            if (res.statusCode !== 200) {
              const msg = (parsed as { error?: { message?: string } }).error?.message ?? ''
              return reject(new Error(`${method}: ${res.statusCode} ${msg}`))
            }
            resolve(parsed as T)
          })
          res.on('error', reject)
        },
      )
      req.on('error', (err: Error & { code?: string }) => {
        const extra = opts.explainFailure?.() ?? ''
        reject(
          new Error(
            `${method}: ${err.message}${err.code ? ` (${err.code})` : ''}${req.reusedSocket ? ' on a reused connection' : ''}${extra ? `; ${extra}` : ''}`,
            { cause: err },
          ),
        )
      })
      req.end(body)
    })
  return { call, lastLocalPort: () => lastPort, close: () => agent.destroy() }
}
