import type { SyncRunResult, SyncStatus } from '../../../preload/contract/index'
import type { PullCounts } from './changefeed'
import { syncCounts } from './officeState'
import type { PushCounts } from './outbox'
import type { AppContext } from '../../core/context'
import { HubProblemError, HubUnreachableError, type HubClient } from '../../hub-client'
import type { HubCredentials } from './hubConnection'

export interface IntakeCounts {
  accepted: number
  rejected: number
  acknowledged: number
  total: number
}

/** One phase of a sync pass; throws a network error class when the hub is unreachable. */
export interface SyncPhases {
  intake?: (onProgress: (done: number, total: number) => void) => Promise<IntakeCounts>
  /** the hub client the phases share (office sync reuses it) */
  client?: HubClient
  credentials?: HubCredentials
  /** office face: a cheap call that proves the hub answers (brings the desk back online) */
  probe?: () => Promise<void>
  /** tops up the Aktenzeichen lease pool (before intake, which takes numbers from it) */
  leases?: () => Promise<number>
  outbox?: (onProgress: (done: number, total: number) => void) => Promise<PushCounts>
  changes?: (onProgress: (done: number, total: number) => void) => Promise<PullCounts>
}

export interface EngineOptions {
  /** [0,1) for the backoff jitter */
  random?: () => number
  /** first retry delay after a network error, doubled per failure (default 2 s, at most maxBackoffMs) */
  baseBackoffMs?: number
  maxBackoffMs?: number
}

export const isNetworkError = (err: unknown): boolean =>
  err instanceof HubUnreachableError ||
  // fetch's own abort and timeout (DOMException)
  (err instanceof DOMException && (err.name === 'AbortError' || err.name === 'TimeoutError')) ||
  // 5xx (overloaded, restarting, injected fault): transient like a network error, retried with backoff
  (err instanceof HubProblemError && err.status >= 500)

/**
 * Runs sync passes one at a time (a second caller joins the running pass), observes
 * online/offline from what requests do, and publishes status for the status bar.
 */
export class SyncEngine {
  private running: Promise<SyncRunResult> | null = null
  private timer: NodeJS.Timeout | null = null
  private failures = 0
  private state: Omit<SyncStatus, 'pending' | 'conflicts' | 'failed'> = {
    nextAttemptAt: null,
    online: null,
    running: false,
    lastSuccessAt: null,
    lastError: null,
    hubConfigured: false,
  }

  constructor(
    private readonly ctx: AppContext,
    private phases: SyncPhases,
    private readonly opts: EngineOptions = {},
  ) {
    this.state.hubConfigured = Boolean(phases.intake || phases.outbox)
  }

  /** Swaps the phases, e.g. after the desk was pointed at a hub. */
  configure(phases: SyncPhases): void {
    this.phases = phases
    this.state.hubConfigured = Boolean(phases.intake || phases.outbox)
    this.publish()
  }

  status(): SyncStatus {
    const counts = syncCounts(this.ctx.db)
    return { ...this.state, pending: counts.pending, conflicts: counts.conflicts, failed: counts.failed }
  }

  run(): Promise<SyncRunResult> {
    this.running ??= this.pass().finally(() => {
      this.running = null
    })
    return this.running
  }

  /** Background passes on an interval; the first starts immediately. */
  start(intervalMs: number): void {
    if (this.timer || !this.state.hubConfigured) return
    const tick = () => {
      // after network errors wait for the backoff; the next pass starts with the probe
      const next = this.state.nextAttemptAt
      if (next && this.ctx.clock.now().getTime() < Date.parse(next)) return
      this.run().catch(() => undefined)
    }
    tick()
    this.timer = setInterval(tick, intervalMs)
    this.timer.unref()
  }

  /** A pass now, ignoring the backoff (the clerk pressed "Jetzt synchronisieren" / "Erneut senden"). */
  retryNow(): Promise<SyncRunResult> {
    this.state.nextAttemptAt = null
    return this.run()
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    await this.running?.catch(() => undefined)
  }

  private publish(): void {
    this.ctx.events.emit('sync.status', this.status())
  }

  private async pass(): Promise<SyncRunResult> {
    const started = Date.now()
    const result: SyncRunResult = {
      intake: { accepted: 0, rejected: 0, acknowledged: 0, total: 0 },
      durationMs: 0,
      online: false,
      error: null,
    }
    this.state.running = true
    this.publish()
    const progress = (phase: 'intake' | 'outbox' | 'changes') => (done: number, total: number) =>
      this.ctx.events.emit('sync.progress', { phase, done, total })
    try {
      const p = this.phases
      if (p.probe) {
        await p.probe()
        this.state.online = true
      }
      if (p.leases) await p.leases()
      if (p.intake) result.intake = await p.intake(progress('intake'))
      if (p.outbox) result.outbox = await p.outbox(progress('outbox'))
      if (p.changes) result.changes = await p.changes(progress('changes'))
      result.online = this.state.hubConfigured
      this.state.online = this.state.hubConfigured ? true : null
      this.state.lastError = null
      this.failures = 0
      this.state.nextAttemptAt = null
      if (this.state.hubConfigured) this.state.lastSuccessAt = this.ctx.clock.now().toISOString()
    } catch (err) {
      if (isNetworkError(err)) {
        this.state.online = false
        this.failures++
        // exponential backoff with jitter: half fixed, half random, so desks do not retry in step
        const base = this.opts.baseBackoffMs ?? 2000
        const delay = Math.min(this.opts.maxBackoffMs ?? 300_000, base * 2 ** Math.min(this.failures - 1, 20))
        const wait = delay / 2 + (this.opts.random ?? Math.random)() * (delay / 2)
        this.state.nextAttemptAt = new Date(this.ctx.clock.now().getTime() + wait).toISOString()
        result.error = 'Hub nicht erreichbar – es wird später erneut versucht.'
      } else {
        result.error = err instanceof Error ? err.message : String(err)
        console.error('[sync]', err)
      }
      this.state.lastError = result.error
    } finally {
      this.state.running = false
      result.durationMs = Date.now() - started
      this.publish()
    }
    return result
  }
}
