import { getCase } from '../../../db/repositories/cases'
import { outboxScreenRows, requeueMutation, retryCandidates } from '../../../db/repositories/outbox'
import type { OutboxEntryView } from '../../../preload/contract/index'
import { createCase } from '../intake/createCase'
import { openConflicts, resolveConflict } from './conflicts'
import type { SyncEngine } from './engine'
import { mutationLabel, OUTBOX_STATE_LABELS } from './labels'
import { refreshSyncState, syncCounts } from './officeState'
import { ApiFailure, notFound } from '../../core/errors'
import type { HandlerSlice } from '../../api/registry'

/** The Synchronisation screen, conflict dialog and „Antrag erfassen“ (office sync). */
export const officeSyncHandlers = (sync: SyncEngine): HandlerSlice<'sync.outbox' | 'sync.retry' | 'conflicts.get' | 'conflicts.resolve' | 'cases.create'> => ({
  'sync.outbox': ({ states, limit }, ctx) => {
    const rows = outboxScreenRows(ctx.db, states, limit)
    const entries: OutboxEntryView[] = rows.map((r) => {
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
  },
  'sync.retry': ({ mutationId }, ctx) => {
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
    ctx.events.emit('changed', { tags: [{ type: 'Sync' }, { type: 'CaseList' }] })
    sync.retryNow().catch(() => undefined)
    return { requeued }
  },
  'conflicts.get': ({ caseId }, ctx) => {
    if (!getCase(ctx.db, caseId)) throw notFound('Der Vorgang')
    return { conflicts: openConflicts(ctx, caseId) }
  },
  'conflicts.resolve': ({ mutationId, choice }, ctx) => {
    const r = resolveConflict(ctx, mutationId, choice)
    if (choice === 'mine') sync.retryNow().catch(() => undefined)
    return r
  },
  'cases.create': (input, ctx) => createCase(ctx, input),
})
