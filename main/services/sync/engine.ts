import type { SyncRunResult, SyncStatus } from '../../../preload/contract'
import { outboxCounts } from '../../../db/repositories/outbox'
import type { AppContext } from '../context'

export interface IntakeCounts {
  accepted: number
  rejected: number
  acknowledged: number
  total: number
}

/** One phase of a sync pass; throws a network error class when the hub is unreachable. */
export interface SyncPhases {
  intake?: (onProgress: (done: number, total: number) => void) => Promise<IntakeCounts>
}

export const isNetworkError = (err: unknown): boolean =>
  err instanceof Error && (err.name === 'HubUnreachableError' || err.name === 'AbortError' || err.name === 'TimeoutError')

/**
 * Runs sync passes one at a time (a second caller joins the running pass), observes
 * online/offline from what requests do, and publishes status for the status bar.
 */
export class SyncEngine {
  private running: Promise<SyncRunResult> | null = null
  private timer: NodeJS.Timeout | null = null
  private state: Omit<SyncStatus, 'pending' | 'conflicts'> = {
    online: null,
    running: false,
    lastSuccessAt: null,
    lastError: null,
    hubConfigured: false,
  }

  constructor(
    private readonly ctx: AppContext,
    private readonly phases: SyncPhases,
  ) {
    this.state.hubConfigured = Boolean(phases.intake)
  }

  status(): SyncStatus {
    const counts = outboxCounts(this.ctx.db)
    return { ...this.state, pending: counts.pending, conflicts: counts.conflicts }
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
      this.run().catch(() => undefined)
    }
    tick()
    this.timer = setInterval(tick, intervalMs)
    this.timer.unref()
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
    try {
      if (this.phases.intake) {
        result.intake = await this.phases.intake((done, total) =>
          this.ctx.events.emit('sync.progress', { phase: 'intake', done, total }),
        )
      }
      result.online = this.state.hubConfigured
      this.state.online = this.state.hubConfigured ? true : null
      this.state.lastError = null
      if (this.state.hubConfigured) this.state.lastSuccessAt = this.ctx.clock.now().toISOString()
    } catch (err) {
      if (isNetworkError(err)) {
        this.state.online = false
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
