import { getCase } from '../../../db/repositories/cases'
import { notFound } from '../../core/errors'
import { defineHandlers, type CaseGuard } from '../../api/registry'
import { mutationCaseOf } from '../../../db/repositories/outbox'
import { openConflicts, resolveConflict } from './conflicts'
import type { SyncEngine } from './engine'
import { discardRejected, outboxView, requeueRejected } from './outboxView'

/** Settling an outbox entry changes its case: its author, or whoever may work on the case. */
const onEntry: CaseGuard<{ mutationId: string }> = {
  action: 'work',
  cases: (i, ctx) => {
    const e = mutationCaseOf(ctx.db, i.mutationId)
    if (!e) throw notFound('Der Eintrag')
    return [e.caseId]
  },
  entryActor: (i, ctx) => mutationCaseOf(ctx.db, i.mutationId)?.actor,
}

/** One sync pass, its status, the Synchronisation screen and the conflict dialog. */
export const syncHandlers = (sync: SyncEngine) =>
  defineHandlers('sync', {
    run: () => sync.run(),
    status: () => sync.status(),
    outbox: ({ states, limit }, ctx) => outboxView(ctx, states, limit),
    retry: ({ mutationId }, ctx) => {
      const requeued = requeueRejected(ctx, mutationId)
      sync.retryNow().catch(() => undefined)
      return { requeued }
    },
    discard: {
      guard: onEntry,
      run: ({ mutationId }, ctx) => {
        const r = discardRejected(ctx, mutationId)
        sync.retryNow().catch(() => undefined) // the case's entries that waited behind it go now
        return r
      },
    },
    conflicts: ({ caseId }, ctx) => {
      if (!getCase(ctx.db, caseId)) throw notFound('Der Vorgang')
      return { conflicts: openConflicts(ctx, caseId) }
    },
    resolveConflict: {
      guard: onEntry,
      run: ({ mutationId, choice }, ctx) => {
        const r = resolveConflict(ctx, mutationId, choice)
        if (choice === 'mine') sync.retryNow().catch(() => undefined)
        return r
      },
    },
  })
