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
  async function sweep(): Promise<SweepResult> {
    const now = clock()
    lastSweep = now
    const result: SweepResult = { autoRejected: 0, deleted: 0 }
    for (const s of store.q.dueAutoReject.all(now - AUTO_REJECT_AFTER_MS)) {
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
      store.db.transaction(() => {
        if (store.q.close.run('rejected', now, 1, s.submission_id).changes === 1) {
          store.q.insertEvent.run(s.case_id, EVENT.reject, set, now)
          result.autoRejected++
        }
      })()
    }
    for (const s of store.q.dueDelete.all({
      incomplete: now - DELETE_UNCLAIMED_AFTER_MS,
      unclaimed: now - DELETE_UNCLAIMED_AFTER_MS,
      closed: now - DELETE_AFTER_PICKUP_MS,
    })) {
      const set = await hubSet(s, EVENT.delete, {})
      store.db.transaction(() => {
        const cur = store.q.getSubmission.get(s.submission_id)
        if (!cur || cur.state === 'deleted') return
        store.q.markDeleted.run(now, s.submission_id)
        store.q.deleteAttachments.run(s.submission_id)
        store.q.insertEvent.run(s.case_id, EVENT.delete, set, now)
        result.deleted++
      })()
    }
    return result
  }

  return { sweep, lastSweep: () => lastSweep }
}
