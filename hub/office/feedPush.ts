// Push on the office change feed (docs/hub-protocol.md, "Change feed push"): a desk keeps one
// server-sent-event stream open and the hub wakes it when a change it may see was committed. The
// stream carries only the newest visible `seq`; the desk then pulls `/office/v1/changes` as
// always, so the cursor and need-to-know stay where they are.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { ServerResponse } from 'node:http'
import type { OfficePrincipal } from '../identity/officeAuth'
import { HttpProblem } from '../problems'

/** The PostgreSQL notification channel a commit that appended office changes notifies. */
export const OFFICE_CHANGES_CHANNEL = 'aktenfluss_office_changes'

/** What the push needs to know of a change: its position and who may see it. */
export interface FeedRow {
  seq: number
  procedureId: string
  caseDeskId: string
}

export interface FeedPushOptions {
  /** at most this many open streams; more get 503 with Retry-After (default 200) */
  maxWaiting?: number
  /** a comment line this often so proxies and the desk's watchdog see the stream alive (default 15 s) */
  heartbeatMs?: number
  /** a stream ends after this long; the desk reconnects with a fresh user token (default 5 min) */
  maxStreamMs?: number
}

export interface FeedPushDeps {
  authenticate: (req: FastifyRequest) => Promise<OfficePrincipal>
  mayRead: (p: OfficePrincipal, procedureId: string, registeringDesk: string) => boolean
  /** the changes after `since`, in seq order, at most `limit` (sync or async: the store decides) */
  readSince: (since: number, limit: number) => FeedRow[] | Promise<FeedRow[]>
  /**
   * Commits of the other hub processes (PostgreSQL LISTEN): calls onWake after each; resolves to
   * a stop function. Started when the server is ready, stopped when it closes.
   */
  listen?: (onWake: () => void) => Promise<() => Promise<void>>
}

export interface FeedPush {
  /** after a commit that appended changes: wakes the streams that may see one of them */
  notify(): void
  /** open streams (tests, metrics) */
  waiting(): number
}

interface Stream {
  principal: OfficePrincipal
  /** the newest seq this stream was told about (or started from) */
  since: number
  res: ServerResponse
  end: () => void
}

const SEQ = /^\d{0,18}$/
const SCAN = 2000

export function registerFeedPush(
  app: FastifyInstance,
  deps: FeedPushDeps,
  opts: FeedPushOptions = {},
): FeedPush {
  const maxWaiting = opts.maxWaiting ?? 200
  const heartbeatMs = opts.heartbeatMs ?? 15_000
  const maxStreamMs = opts.maxStreamMs ?? 300_000
  const streams = new Set<Stream>()
  let scanning: Promise<void> | null = null
  let again = false

  const send = (s: Stream, event: string, data: unknown) =>
    s.res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`)

  /** Tells each stream the newest change after its `since` that it may see (if any). */
  async function wake(targets: Iterable<Stream>): Promise<void> {
    const list = [...targets]
    if (list.length === 0) return
    let from = Math.min(...list.map((s) => s.since))
    const newest = new Map<Stream, number>()
    for (;;) {
      const rows = await deps.readSince(from, SCAN)
      for (const r of rows)
        for (const s of list)
          if (r.seq > s.since && deps.mayRead(s.principal, r.procedureId, r.caseDeskId))
            newest.set(s, r.seq)
      if (rows.length < SCAN) break
      from = rows.at(-1)!.seq
    }
    for (const [s, seq] of newest) {
      if (!streams.has(s)) continue
      s.since = seq
      send(s, 'change', { seq })
    }
  }

  function notify(): void {
    if (scanning) {
      again = true // one more scan after the running one: no commit is missed
      return
    }
    scanning = wake(streams)
      .catch((err: unknown) => console.error('hub: change feed push failed:', err))
      .finally(() => {
        scanning = null
        if (again) {
          again = false
          notify()
        }
      })
  }

  app.get('/office/v1/changes/stream', async (req, reply) => {
    const principal = await deps.authenticate(req)
    const since = (req.query as { since?: unknown }).since ?? '0'
    if (typeof since !== 'string' || !SEQ.test(since))
      throw new HttpProblem(400, 'validation', 'Invalid request', 'since must be a feed cursor.')
    if (streams.size >= maxWaiting)
      throw new HttpProblem(
        503,
        'too-many-waiting',
        'Too many waiting change-feed streams',
        'Pull the change feed on your timer and try the stream again later.',
        { 'retry-after': '30' },
      )
    reply.hijack()
    const res = reply.raw
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
      connection: 'keep-alive',
    })
    const beat = setInterval(() => res.write(': heartbeat\n\n'), heartbeatMs)
    const lifetime = setTimeout(() => stream.end(), maxStreamMs)
    const stream: Stream = {
      principal,
      since: Number(since || '0'),
      res,
      end: () => {
        clearInterval(beat)
        clearTimeout(lifetime)
        streams.delete(stream)
        if (!res.writableEnded) res.end()
      },
    }
    streams.add(stream)
    req.raw.on('close', stream.end)
    res.write(`retry: 2000\n`)
    send(stream, 'ready', { heartbeatMs })
    // something already waits after the desk's cursor: say so at once (no race with its last pull)
    await wake([stream])
  })

  let unlisten: (() => Promise<void>) | null = null
  const { listen } = deps
  if (listen)
    app.addHook('onReady', async () => {
      unlisten = await listen(notify)
    })

  app.addHook('onClose', async () => {
    for (const s of [...streams]) s.end()
    await unlisten?.()
    unlisten = null
  })

  return { notify, waiting: () => streams.size }
}
