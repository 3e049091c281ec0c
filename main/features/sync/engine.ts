import type { SyncPhaseName, SyncRunResult, SyncStatus } from '../../../preload/contract/index'
import type { PullCounts } from './changefeed'
import { syncCounts } from './officeState'
import type { PushCounts } from './outbox'
import type { AppContext } from '../../core/context'
import { HubProblemError, type HubClient } from '../../hub-client'
import { isTransientHubError } from '../../hub-client/errors'
import type { HubCredentials } from './hubConnection'
import { ApiFailure } from '../../core/errors'
import { germanReason, syncErrorMessage } from './syncMessages'
export { syncErrorMessage }

export interface IntakeCounts {
  accepted: number
  rejected: number
  acknowledged: number
  total: number
  /** submissions that could not be fetched, stored or acknowledged this pass (tried again next pass) */
  failed?: number
  /** submissions parked in the intake quarantine (skipped until „Erneut versuchen“) */
  quarantined?: number
  /** the last of those errors (the engine reports it per phase) */
  lastError?: unknown
}

/** German names of the phases in per-phase error messages. */
export const PHASE_LABELS: Record<SyncPhaseName, string> = {
  leases: 'Aktenzeichen-Kontingent',
  intake: 'Eingang',
  outbox: 'Ausgang',
  changes: 'Änderungen anderer Arbeitsplätze',
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
  /** keeps the hub's change-feed push open while online; `wake` when a change waits (feedWatch.ts) */
  watchChanges?: (hooks: { online: () => boolean; wake: () => void }) => { stop(): Promise<void> }
}

export interface EngineOptions {
  /** [0,1) for the backoff jitter */
  random?: () => number
  /** first retry delay after a network error, doubled per failure (default 2 s, at most maxBackoffMs) */
  baseBackoffMs?: number
  maxBackoffMs?: number
  /** pause before the next in-pass attempt of a phase after a transient error (default min(100 ms, base/10)), times the attempt */
  retryDelayMs?: number
  /** after a local change (the core's `changed` event) push the outbox this much later (default 1 s); only with background sync on */
  pushDelayMs?: number
  /** after the hub announced a change: pull this much later, so a burst shares one pull (default 50 ms) */
  pullDelayMs?: number
}

type OnlyPhase = 'outbox' | 'changes'

/** unreachable, reset, timeout, 5xx: transient, retried with backoff (hub-client/errors.ts) */
export const isNetworkError = isTransientHubError

/**
 * Runs sync passes one at a time (a second caller joins the running pass), observes
 * online/offline from what requests do, and publishes status for the status bar.
 */
export class SyncEngine {
  private running: Promise<SyncRunResult> | null = null
  /** set while the running pass is an outbox-only push */
  private runningOnly: OnlyPhase | undefined = undefined
  private timer: NodeJS.Timeout | null = null
  private pushTimer: NodeJS.Timeout | null = null
  private pullTimer: NodeJS.Timeout | null = null
  private watch: { stop(): Promise<void> } | null = null
  private offChanged: (() => void) | null = null
  private failures = 0
  /** per phase: network failures in a row, and when it is due again (ms) */
  private readonly phaseFailures: Partial<Record<SyncPhaseName, number>> = {}
  private readonly phaseNext: Partial<Record<SyncPhaseName, number>> = {}
  private state: Omit<SyncStatus, 'pending' | 'conflicts' | 'failed'> = {
    nextAttemptAt: null,
    online: null,
    running: false,
    lastSuccessAt: null,
    lastError: null,
    hubConfigured: false,
    failures: {},
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
    if (this.timer) this.restartWatch()
    this.publish()
  }

  /** the change-feed push of the current phases (one stream at a time) */
  private restartWatch(): void {
    const old = this.watch
    this.watch =
      this.phases.watchChanges?.({
        online: () => this.state.online !== false,
        wake: () => this.schedulePull(),
      }) ?? null
    void old?.stop()
  }

  status(): SyncStatus {
    const counts = syncCounts(this.ctx.db)
    return {
      ...this.state,
      pending: counts.pending,
      conflicts: counts.conflicts,
      failed: counts.failed,
    }
  }

  /** One pass; `force` (the default, „Jetzt synchronisieren“) ignores the per-phase backoff. */
  run(force = true): Promise<SyncRunResult> {
    // an outbox-only push does not stand in for a whole pass: that follows it
    if (this.running && this.runningOnly)
      return this.running.catch(() => undefined).then(() => this.run(force))
    this.running ??= this.startPass(undefined, force)
    return this.running
  }

  private startPass(only: OnlyPhase | undefined, force: boolean): Promise<SyncRunResult> {
    this.runningOnly = only
    return this.pass(only, force).finally(() => {
      this.running = null
      this.runningOnly = undefined
    })
  }

  /** Background passes on an interval; the first starts immediately. Local changes are pushed promptly. */
  start(intervalMs: number): void {
    if (this.timer || !this.state.hubConfigured) return
    const tick = () => {
      // after network errors wait for the backoff; the next pass starts with the probe
      const next = this.state.nextAttemptAt
      if (next && this.ctx.clock.now().getTime() < Date.parse(next)) return
      this.run(false).catch(() => undefined)
    }
    this.offChanged = this.ctx.events.on('changed', () => this.schedulePush())
    tick()
    this.timer = setInterval(tick, intervalMs)
    this.timer.unref()
    this.restartWatch()
  }

  /** The hub announced a change other desks made: a changes-only pass shortly (a burst shares it). */
  private schedulePull(): void {
    if (!this.timer || this.pullTimer || !this.phases.changes) return
    this.pullTimer = setTimeout(() => {
      this.pullTimer = null
      this.onlyPass('changes').catch(() => undefined)
    }, this.opts.pullDelayMs ?? 50)
    this.pullTimer.unref()
  }

  /**
   * After a local change: an outbox-only push about a second later instead of waiting for the
   * interval; a burst of changes shares one push (the first change starts the timer).
   */
  private schedulePush(): void {
    if (!this.timer || this.pushTimer || !this.phases.outbox) return
    this.pushTimer = setTimeout(() => {
      this.pushTimer = null
      this.onlyPass('outbox').catch(() => undefined)
    }, this.opts.pushDelayMs ?? 1000)
    this.pushTimer.unref()
  }

  /** An outbox-only push or a changes-only pull, unless the hub or that phase is backing off. */
  private async onlyPass(only: OnlyPhase): Promise<void> {
    // a running pass may be past that phase already: run after it
    if (this.running) await this.running.catch(() => undefined)
    if (!this.timer || (only === 'outbox' && syncCounts(this.ctx.db).pending === 0)) return
    const now = this.ctx.clock.now().getTime()
    const next = this.state.nextAttemptAt
    if (next && now < Date.parse(next)) return
    const due = this.phaseNext[only]
    if (due !== undefined && now < due) return
    this.running ??= this.startPass(only, false)
    await this.running
  }

  /** A pass now, ignoring the backoff (the clerk pressed "Jetzt synchronisieren" / "Erneut senden"). */
  retryNow(): Promise<SyncRunResult> {
    this.state.nextAttemptAt = null
    return this.run()
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    if (this.pushTimer) clearTimeout(this.pushTimer)
    this.pushTimer = null
    if (this.pullTimer) clearTimeout(this.pullTimer)
    this.pullTimer = null
    await this.watch?.stop()
    this.watch = null
    this.offChanged?.()
    this.offChanged = null
    await this.running?.catch(() => undefined)
  }

  private publish(): void {
    this.ctx.events.emit('sync.status', this.status())
  }

  /** exponential backoff with jitter: half fixed, half random, so desks do not retry in step */
  private backoffMs(failures: number): number {
    const base = this.opts.baseBackoffMs ?? 2000
    const delay = Math.min(
      this.opts.maxBackoffMs ?? 300_000,
      base * 2 ** Math.min(failures - 1, 20),
    )
    return delay / 2 + (this.opts.random ?? Math.random)() * (delay / 2)
  }

  /** `fn` again after a short pause while it fails transiently (5xx, reset), up to `attempts` times. */
  private async retrying<T>(fn: () => Promise<T>, attempts = 3, growing = true): Promise<T> {
    const pause = this.opts.retryDelayMs ?? Math.min(100, (this.opts.baseBackoffMs ?? 2000) / 10)
    for (let i = 1; ; i++) {
      try {
        return await fn()
      } catch (err) {
        if (i >= attempts || !isNetworkError(err)) throw err
        await new Promise((r) => setTimeout(r, growing ? pause * i : pause))
      }
    }
  }

  private async pass(only?: OnlyPhase, force = true): Promise<SyncRunResult> {
    const started = Date.now()
    const result: SyncRunResult = {
      intake: { accepted: 0, rejected: 0, acknowledged: 0, total: 0 },
      durationMs: 0,
      online: false,
      error: null,
      failures: {},
    }
    this.state.running = true
    this.publish()
    const progress = (phase: 'intake' | 'outbox' | 'changes') => (done: number, total: number) =>
      this.ctx.events.emit('sync.progress', { phase, done, total })
    const failures: Partial<Record<SyncPhaseName, string>> = {}
    const offline = new Set<SyncPhaseName>()
    let unreachable = false
    let probed = false
    const fail = (phase: SyncPhaseName, err: unknown) => {
      const network = isNetworkError(err)
      if (network) {
        unreachable = true
        offline.add(phase)
      } else console.error(`[sync] ${phase}:`, err)
      failures[phase] =
        `${PHASE_LABELS[phase]}: ${network ? 'Hub nicht erreichbar – es wird später erneut versucht.' : germanReason(err)}`
      return network
    }
    try {
      const p = this.phases
      if (p.probe && !only) {
        try {
          // a reset can leave a dead keep-alive socket that fails the next request too: a few more tries
          await this.retrying(() => p.probe!(), 5, false)
          this.state.online = true
          probed = true
        } catch (err) {
          // a 5xx means the hub answers (overloaded, restarting): the phases still try their luck
          if (!(err instanceof HubProblemError && err.status >= 500)) throw err
        }
      }
      if (p.leases && !only) {
        try {
          await this.retrying(() => p.leases!())
        } catch (err) {
          fail('leases', err)
        }
      }
      // intake, outbox and change feed are independent: each runs whatever the others did,
      // with its own retries and its own backoff after a network failure
      const now = this.ctx.clock.now().getTime()
      for (const name of only ? [only] : (['intake', 'outbox', 'changes'] as const)) {
        const phase = p[name]
        if (!phase) continue
        const due = this.phaseNext[name]
        if (!force && due !== undefined && now < due) continue
        try {
          if (name === 'intake') {
            const { lastError, ...counts } = await this.retrying(() =>
              p.intake!(progress('intake')),
            )
            result.intake = counts
            if (counts.failed)
              fail(
                'intake',
                isNetworkError(lastError)
                  ? lastError
                  : new ApiFailure(
                      'internal',
                      `${counts.failed} Einreichung(en) nicht verarbeitet (${germanReason(lastError)}) – es wird erneut versucht.`,
                    ),
              )
          } else if (name === 'outbox')
            result.outbox = await this.retrying(() => p.outbox!(progress('outbox')))
          else result.changes = await this.retrying(() => p.changes!(progress('changes')))
          if (!failures[name]) {
            this.phaseFailures[name] = 0
            delete this.phaseNext[name]
          }
        } catch (err) {
          fail(name, err)
        }
        if (offline.has(name)) {
          const n = (this.phaseFailures[name] ?? 0) + 1
          this.phaseFailures[name] = n
          this.phaseNext[name] = this.ctx.clock.now().getTime() + this.backoffMs(n)
        }
      }
      // an outbox-only push (changes-only pull) keeps what the other phases reported last
      if (only)
        for (const [k, v] of Object.entries(this.state.failures ?? {}) as [SyncPhaseName, string][])
          if (k !== only && !failures[k]) failures[k] = v
      result.failures = failures
      // the hub answered the probe: online, even if a phase failed (that phase backs off on its own
      // and says so in `failures`); without a probe (FIT-Connect only) the phases tell
      const answered = this.state.hubConfigured && (probed || !unreachable)
      result.online = answered
      this.state.online = this.state.hubConfigured ? answered : null
      const messages = Object.values(failures)
      result.error = messages.length > 0 ? messages.join(' ') : null
      this.state.lastError = result.error
      this.state.failures = failures
      // the next whole pass is not held back by one phase's backoff, only by an unreachable hub
      this.failures = 0
      this.state.nextAttemptAt = null
      if (this.state.hubConfigured && messages.length === 0 && !only)
        this.state.lastSuccessAt = this.ctx.clock.now().toISOString()
    } catch (err) {
      if (isNetworkError(err)) {
        this.state.online = false
        this.failures++
        const wait = this.backoffMs(this.failures)
        this.state.nextAttemptAt = new Date(this.ctx.clock.now().getTime() + wait).toISOString()
        result.error = 'Hub nicht erreichbar – es wird später erneut versucht.'
      } else {
        // the status bar shows this: German, never the network layer's English (that goes to the log)
        result.error = syncErrorMessage(err)
        console.error('[sync]', err)
      }
      this.state.lastError = result.error
      this.state.failures = {}
    } finally {
      this.state.running = false
      result.durationMs = Date.now() - started
      this.publish()
    }
    return result
  }
}
