/**
 * Change-feed push (docs/hub-protocol.md, "Change feed push"; issue #14 point 7): while the desk
 * is online it keeps one server-sent-event stream to the hub open and pulls the change feed as
 * soon as the hub says a change it may see was committed. A hub without the stream (404/405) is
 * left alone for a while: the 30-second timer pulls as before.
 */
import { getCursor } from '../../../db/repositories/outbox'
import type { AppContext } from '../../core/context'
import type { UserTokenSource } from '../../core/identity'
import { HubProblemError, type OfficeClient } from '../../hub-client'
import { CHANGES_CURSOR } from './changefeed'

export interface FeedWatchOptions {
  /** after the hub lacks the stream, try it again this much later (default 10 min) */
  unsupportedRetryMs?: number
  /** first reconnect delay after a failure, doubled up to maxBackoffMs (default 1 s … 60 s) */
  backoffMs?: number
  maxBackoffMs?: number
  /** no byte for this long (before the hub named its heartbeat) ends the stream (default 45 s) */
  silenceMs?: number
  random?: () => number
}

export type FeedWatchState = 'idle' | 'streaming' | 'unsupported' | 'retrying'

export interface FeedWatch {
  stop(): Promise<void>
  state(): FeedWatchState
}

/** an event larger than this is not the hub's (it sends a seq): the stream is dropped */
const MAX_EVENT_CHARS = 64 * 1024

export function startFeedWatch(
  ctx: AppContext,
  deps: {
    office: OfficeClient
    tokens: UserTokenSource
    /** the engine's view: false while the hub is known unreachable */
    online: () => boolean
    /** the hub announced a change: pull the feed soon */
    wake: () => void
  },
  opts: FeedWatchOptions = {},
): FeedWatch {
  const stopper = new AbortController()
  let state: FeedWatchState = 'idle'
  let failures = 0
  const random = opts.random ?? Math.random

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (stopper.signal.aborted) return resolve()
      const t = setTimeout(resolve, ms)
      t.unref?.()
      stopper.signal.addEventListener(
        'abort',
        () => {
          clearTimeout(t)
          resolve()
        },
        { once: true },
      )
    })
  const backoff = () => {
    failures++
    const base = Math.min(
      opts.maxBackoffMs ?? 60_000,
      (opts.backoffMs ?? 1000) * 2 ** (failures - 1),
    )
    return base / 2 + random() * (base / 2)
  }

  /** One stream until it ends; resolves normally when the hub or the watchdog ended it. */
  async function stream(userToken: string): Promise<void> {
    const since = getCursor(ctx.db, CHANGES_CURSOR) ?? '0'
    const local = new AbortController()
    const signal = AbortSignal.any([stopper.signal, local.signal])
    const body = await deps.office.openChangeStream(since, { userToken, signal })
    state = 'streaming'
    let silence = opts.silenceMs ?? 45_000
    let watchdog: NodeJS.Timeout | undefined
    const arm = () => {
      clearTimeout(watchdog)
      watchdog = setTimeout(() => local.abort(), silence)
      watchdog.unref?.()
    }
    arm()
    const reader = body.getReader()
    const decoder = new TextDecoder()
    let buffer = ''
    try {
      for (;;) {
        const { done, value } = await reader.read()
        if (done) break
        arm()
        buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n')
        let end: number
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end)
          buffer = buffer.slice(end + 2)
          const event = /^event: ?(.*)$/m.exec(block)?.[1]
          const data = /^data: ?(.*)$/m.exec(block)?.[1]
          if (event === 'ready') {
            failures = 0
            const beat = readyHeartbeat(data)
            if (beat) silence = Math.max(3 * beat, 1000)
            arm()
          } else if (event === 'change') deps.wake()
        }
        if (buffer.length > MAX_EVENT_CHARS) throw new Error('change stream event too large')
      }
    } catch (err) {
      // our own watchdog or stop: not an error of the hub
      if (!signal.aborted) throw err
    } finally {
      clearTimeout(watchdog)
      await reader.cancel().catch(() => undefined)
    }
  }

  const loop = async () => {
    while (!stopper.signal.aborted) {
      if (!deps.online()) {
        state = 'idle'
        await sleep(2000)
        continue
      }
      const token = await deps.tokens.tokenFor(ctx.currentUser().userId).catch(() => undefined)
      if (!token) {
        // nobody signed in (or the sign-in lapsed): the feed waits anyway
        state = 'idle'
        await sleep(5000)
        continue
      }
      try {
        await stream(token)
        state = 'retrying'
        await sleep(200) // the hub ended the stream (lifetime): reconnect with a fresh token
      } catch (err) {
        if (stopper.signal.aborted) break
        if (err instanceof HubProblemError && (err.status === 404 || err.status === 405)) {
          state = 'unsupported'
          await sleep(opts.unsupportedRetryMs ?? 600_000)
          continue
        }
        state = 'retrying'
        await sleep(backoff())
      }
    }
    state = 'idle'
  }
  const running = loop()

  return {
    state: () => state,
    stop: async () => {
      stopper.abort()
      await running
    },
  }
}

function readyHeartbeat(data: string | undefined): number | undefined {
  if (!data) return undefined
  try {
    const v = (JSON.parse(data) as { heartbeatMs?: unknown }).heartbeatMs
    return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined
  } catch {
    return undefined
  }
}
