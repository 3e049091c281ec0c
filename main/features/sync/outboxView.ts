// The Synchronisation screen: the open outbox entries in German, and sending refused ones again.
import { germanDate } from '../../../common/dates'
import { appendHistory } from '../../../db/repositories/history'
import {
  discardCandidate,
  discardMutation,
  outboxScreenRows,
  refusedCulprits,
  requeueMutation,
  retryCandidates,
} from '../../../db/repositories/outbox'
import type { OutboxEntryView } from '../../../preload/contract/index'
import type { AppContext } from '../../core/context'
import { ApiFailure, notFound } from '../../core/errors'
import { mutationLabel, OUTBOX_STATE_LABELS, PROBLEM_LABELS } from './labels'
import { refreshSyncState, syncCounts } from './officeState'

export function outboxView(
  ctx: AppContext,
  states: ('pending' | 'conflict' | 'rejected')[],
  limit: number,
) {
  const culprits = refusedCulprits(ctx.db)
  const entries: OutboxEntryView[] = outboxScreenRows(ctx.db, states, limit).map((r) => {
    const culprit = culprits.get(r.case_id)
    const waiting = r.state === 'pending' && culprit !== undefined && culprit.seq < r.seq
    const result = r.result
      ? (JSON.parse(r.result) as { problem?: { type: string; title: string; detail?: string } })
      : null
    return {
      seq: r.seq,
      mutationId: r.mutation_id,
      type: r.type,
      typeLabel: mutationLabel(r.type),
      caseId: r.case_id,
      aktenzeichen: r.aktenzeichen,
      state: r.state,
      stateLabel: waiting ? WAITING_LABEL : (OUTBOX_STATE_LABELS[r.state] ?? r.state),
      waitingFor: waiting
        ? `Wartet, bis die abgelehnte Änderung „${mutationLabel(culprit.type)}“ vom ${germanDate(culprit.at)} erneut gesendet oder verworfen ist.`
        : null,
      at: r.at,
      actorName:
        r.actor === 'system' ? 'Eingang (automatisch)' : (ctx.userName(r.actor) ?? r.actor),
      attempts: r.attempts,
      lastError: r.last_error,
      problem: r.state === 'rejected' && result?.problem ? germanProblem(result.problem) : null,
    }
  })
  return { entries, counts: syncCounts(ctx.db) }
}

/** the hub's title is English: the German one for its type (the hub's detail stays) */
const germanProblem = (p: { type: string; title: string; detail?: string }) => ({
  ...p,
  title: PROBLEM_LABELS[p.type.split('/').at(-1) ?? ''] ?? p.title,
})

const WAITING_LABEL = 'Wartet hinter einer abgelehnten Änderung'

/**
 * Local changes that may be dropped after the office refused them: their effect on this desk is
 * a field the office's value is shown for again, or a note that then stays on this desk only.
 * A registration (the case would exist here only) and decisions, notices and closings (their
 * records would disagree with the office) are sent again instead.
 */
const DISCARDABLE = new Set(['case.note', 'case.assign', 'case.status', 'case.followUp'])

/** Drops a refused local change for good (recorded in the Verlauf); later entries of the case go on. */
export function discardRejected(ctx: AppContext, mutationId: string): { discarded: number } {
  const user = ctx.currentUser()
  const at = ctx.clock.now().toISOString()
  ctx.db.transaction(() => {
    const row = discardCandidate(ctx.db, mutationId)
    if (!row) throw notFound('Der Eintrag')
    if (row.state !== 'rejected')
      throw new ApiFailure(
        'conflict',
        'Nur eine vom Büro abgelehnte Änderung kann verworfen werden.',
      )
    if (!DISCARDABLE.has(row.type) || row.conflicts > 0) {
      throw new ApiFailure(
        'conflict',
        `Eine abgelehnte Änderung „${mutationLabel(row.type)}“ kann nicht verworfen werden, ohne dass dieser Arbeitsplatz vom Büro abweicht; bitte korrigieren und erneut senden.`,
      )
    }
    discardMutation(ctx.db, mutationId, user.userId, at)
    const detail =
      row.type === 'case.note'
        ? 'Vermerk: wird nicht an das Büro übertragen und bleibt nur an diesem Arbeitsplatz.'
        : `${mutationLabel(row.type)}: es gilt der Stand des Büros.`
    appendHistory(ctx.db, {
      caseId: row.case_id,
      at,
      actor: user.userId,
      action: 'Lokale Änderung verworfen',
      detail,
    })
    refreshSyncState(ctx.db, row.case_id)
  })()
  return { discarded: 1 }
}

/** Puts refused entries (one, or all) back into the queue; conflicts are decided, not resent. */
export function requeueRejected(ctx: AppContext, mutationId: string | undefined): number {
  let requeued = 0
  ctx.db.transaction(() => {
    const rows = retryCandidates(ctx.db, mutationId)
    if (mutationId && rows.length === 0) throw notFound('Der Eintrag')
    for (const r of rows) {
      if (r.state === 'conflict')
        throw new ApiFailure(
          'conflict',
          'Ein Konflikt wird über „Konflikt lösen“ entschieden, nicht durch erneutes Senden.',
        )
      if (r.state !== 'rejected') continue
      requeueMutation(ctx.db, r.mutation_id)
      refreshSyncState(ctx.db, r.case_id)
      requeued++
    }
  })()
  return requeued
}
