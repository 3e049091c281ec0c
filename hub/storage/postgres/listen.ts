// Cross-process wake-up on PostgreSQL: one dedicated LISTEN connection per channel and process
// (never a pooled client: a pooled one would be handed to other queries and lose its LISTEN).
// A lost connection (server restart, failover, pg_terminate_backend) is re-established with a
// growing delay; after it is back, `onWake` runs once, since a notification may have been missed.
import pg from 'pg'

export interface ListenOptions {
  /** first reconnect delay (default 250 ms), doubled up to `maxRetryMs` */
  retryMs?: number
  maxRetryMs?: number
  /** a lost or refused listening connection (default: one line on stderr) */
  onError?: (err: Error) => void
}

const IDENT = /^[a-z_][a-z0-9_]{0,62}$/

export async function listenPostgres(
  url: string,
  channel: string,
  onWake: () => void,
  opts: ListenOptions = {},
): Promise<() => Promise<void>> {
  if (!IDENT.test(channel)) throw new Error(`invalid notification channel: ${channel}`)
  const retryMs = opts.retryMs ?? 250
  const maxRetryMs = opts.maxRetryMs ?? 10_000
  const note =
    opts.onError ??
    ((e: Error) =>
      console.warn(`PostgreSQL: change-feed listener lost (${e.message}); reconnecting`))
  let stopped = false
  let client: pg.Client | null = null
  let timer: NodeJS.Timeout | null = null
  let delay = retryMs

  async function connect(): Promise<void> {
    const c = new pg.Client({ connectionString: url })
    // without an 'error' listener a dropped connection would end the hub process
    c.on('error', (err) => lost(c, err))
    c.on('end', () => lost(c, new Error('connection ended')))
    c.on('notification', (m) => {
      if (m.channel === channel) onWake()
    })
    await c.connect()
    await c.query(`LISTEN ${channel}`)
    if (stopped) {
      await c.end().catch(() => undefined)
      return
    }
    client = c
    delay = retryMs
  }

  function lost(c: pg.Client, err: Error): void {
    if (stopped || client !== c) return
    client = null
    note(err)
    c.end().catch(() => undefined)
    schedule()
  }

  function schedule(): void {
    if (stopped || timer) return
    timer = setTimeout(() => {
      timer = null
      connect().then(
        () => {
          if (!stopped) onWake() // whatever was committed while no one listened
        },
        (err: unknown) => {
          note(err as Error)
          delay = Math.min(delay * 2, maxRetryMs)
          schedule()
        },
      )
    }, delay)
    timer.unref()
  }

  await connect()
  return async () => {
    stopped = true
    if (timer) clearTimeout(timer)
    timer = null
    const c = client
    client = null
    if (c) await c.end().catch(() => undefined)
  }
}
