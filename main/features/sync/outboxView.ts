// The Synchronisation screen: the open outbox entries in German, and sending refused ones again.
import { outboxScreenRows, requeueMutation, retryCandidates } from '../../../db/repositories/outbox'
import type { OutboxEntryView } from '../../../preload/contract/index'
import type { AppContext } from '../../core/context'
import { ApiFailure, notFound } from '../../core/errors'
import { mutationLabel, OUTBOX_STATE_LABELS } from './labels'
import { refreshSyncState, syncCounts } from './officeState'

export function outboxView(ctx: AppContext, states: ('pending' | 'conflict' | 'rejected')[], limit: number) {
  const entries: OutboxEntryView[] = outboxScreenRows(ctx.db, states, limit).map((r) => {
    const result = r.result ? (JSON.parse(r.result) as { problem?: { type: string; title: string; detail?: string } }) : null
    return {
      seq: r.seq,
      mutationId: r.mutation_id,
      type: r.type,
      typeLabel: mutationLabel(r.type),
      caseId: r.case_id,
      aktenzeichen: r.aktenzeichen,
      state: r.state,
      stateLabel: OUTBOX_STATE_LABELS[r.state] ?? r.state,
      at: r.at,
      actorName: r.actor === 'system' ? 'Eingang (automatisch)' : (ctx.userName(r.actor) ?? r.actor),
      attempts: r.attempts,
      lastError: r.last_error,
      problem: r.state === 'rejected' ? (result?.problem ?? null) : null,
    }
  })
  return { entries, counts: syncCounts(ctx.db) }
}

/** Puts refused entries (one, or all) back into the queue; conflicts are decided, not resent. */
export function requeueRejected(ctx: AppContext, mutationId: string | undefined): number {
  let requeued = 0
  ctx.db.transaction(() => {
    const rows = retryCandidates(ctx.db, mutationId)
    if (mutationId && rows.length === 0) throw notFound('Der Eintrag')
    for (const r of rows) {
      if (r.state === 'conflict') throw new ApiFailure('conflict', 'Ein Konflikt wird über „Konflikt lösen“ entschieden, nicht durch erneutes Senden.')
      if (r.state !== 'rejected') continue
      requeueMutation(ctx.db, r.mutation_id)
      refreshSyncState(ctx.db, r.case_id)
      requeued++
    }
  })()
  return requeued
}
