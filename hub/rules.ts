// The hub's time rules (docs/hub-protocol.md): auto-reject after 14 days, delete unclaimed after
// 21, delete 7 days after pickup. Run lazily before /v1 requests and by `RunningHub.sweep()`.
import type { Store, SubmissionRow } from './store'
import { EVENT } from './sets'
import type { Clock } from './runtime'

export const DAY_MS = 86_400_000
export const AUTO_REJECT_AFTER_MS = 14 * DAY_MS
export const DELETE_UNCLAIMED_AFTER_MS = 21 * DAY_MS
export const DELETE_AFTER_PICKUP_MS = 7 * DAY_MS

export interface SweepResult {
  autoRejected: number
  deleted: number
}

type HubSet = (
  s: Pick<SubmissionRow, 'submission_id' | 'case_id'>,
  event: string,
  payload: Record<string, unknown>,
) => Promise<string>

export function createSweep(
  store: Store,
  clock: Clock,
  hubSet: HubSet,
): { sweep: () => Promise<SweepResult>; lastSweep: () => number } {
  let lastSweep = Number.NEGATIVE_INFINITY
  /** one process at a time sweeps (an advisory lock on PostgreSQL); the others skip this round */
  async function sweep(): Promise<SweepResult> {
    const now = clock()
    lastSweep = now
    const r = await store.storage.lock('hub.retention-sweep', () => sweepNow(now), { wait: false })
    return r.ran ? r.value : { autoRejected: 0, deleted: 0 }
  }
  async function sweepNow(now: number): Promise<SweepResult> {
    const result: SweepResult = { autoRejected: 0, deleted: 0 }
    for (const s of await store.q.dueAutoReject.all(now - AUTO_REJECT_AFTER_MS)) {
      const set = await hubSet(s, EVENT.reject, {
        problems: [
          {
            type: 'https://schema.fitko.de/fit-connect/events/problems/submission-expired',
            title: 'Einreichung nicht abgeholt',
            detail:
              'Die Einreichung wurde nicht innerhalb von 14 Tagen abgeholt und automatisch zurückgewiesen.',
          },
        ],
      })
      await store.transaction(async () => {
        if ((await store.q.close.run('rejected', now, 1, s.submission_id)).changes === 1) {
          await store.q.insertEvent.run(s.case_id, EVENT.reject, set, now)
          result.autoRejected++
        }
      })
    }
    for (const s of await store.q.dueDelete.all({
      incomplete: now - DELETE_UNCLAIMED_AFTER_MS,
      unclaimed: now - DELETE_UNCLAIMED_AFTER_MS,
      closed: now - DELETE_AFTER_PICKUP_MS,
    })) {
      const set = await hubSet(s, EVENT.delete, {})
      await store.transaction(async () => {
        const cur = await store.q.getSubmission.get(s.submission_id)
        if (!cur || cur.state === 'deleted') return
        // the state moves first: a concurrent sweep of another process waits on the row, then skips
        const marked = await store.q.markDeleted.run(now, s.submission_id)
        if (marked.changes !== 1) return
        await store.q.deleteAttachments.run(s.submission_id)
        await store.q.insertEvent.run(s.case_id, EVENT.delete, set, now)
        result.deleted++
      })
    }
    return result
  }

  return { sweep, lastSweep: () => lastSweep }
}
