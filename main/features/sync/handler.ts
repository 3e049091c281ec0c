import { getCase } from '../../../db/repositories/cases'
import type { OutboxEntryView } from '../../../preload/contract/index'
import { openConflicts, resolveConflict } from './conflicts'
import type { SyncEngine } from './engine'
import { mutationLabel, OUTBOX_STATE_LABELS } from './labels'
import { refreshSyncState, syncCounts } from './officeState'
import { ApiFailure, notFound } from '../../core/errors'
import { defineHandlers } from '../../api/registry'

interface Row {
  seq: number
  mutation_id: string
  type: string
  case_id: string
  at: string
  actor: string
  state: 'pending' | 'conflict' | 'rejected'
  attempts: number
  last_error: string | null
  result: string | null
  aktenzeichen: string | null
}

/** One sync pass, its status, the Synchronisation screen and the conflict dialog. */
export const syncHandlers = (sync: SyncEngine) =>
  defineHandlers('sync', {
  run: () => sync.run(),
  status: () => sync.status(),
  outbox: ({ states, limit }, ctx) => {
    const marks = states.map(() => '?').join(',')
    const rows = ctx.db
      .prepare(
        `SELECT o.seq, o.mutation_id, o.type, o.case_id, o.at, o.actor, o.state, o.attempts, o.last_error, o.result, c.aktenzeichen
         FROM outbox o LEFT JOIN cases c ON c.id = o.case_id
         WHERE o.state IN (${marks})
           AND (o.state <> 'conflict' OR EXISTS (SELECT 1 FROM case_conflicts k WHERE k.mutation_id = o.mutation_id AND k.resolved_at IS NULL))
         ORDER BY o.seq LIMIT ?`,
      )
      .all(...states, limit) as Row[]
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
  retry: ({ mutationId }, ctx) => {
    let requeued = 0
    ctx.db.transaction(() => {
      const rows = (
        mutationId
          ? ctx.db.prepare('SELECT mutation_id, case_id, state FROM outbox WHERE mutation_id = ?').all(mutationId)
          : ctx.db.prepare("SELECT mutation_id, case_id, state FROM outbox WHERE state = 'rejected'").all()
      ) as { mutation_id: string; case_id: string; state: string }[]
      if (mutationId && rows.length === 0) throw notFound('Der Eintrag')
      for (const r of rows) {
        if (r.state === 'conflict') throw new ApiFailure('conflict', 'Ein Konflikt wird über „Konflikt lösen“ entschieden, nicht durch erneutes Senden.')
        if (r.state !== 'rejected') continue
        ctx.db.prepare("UPDATE outbox SET state = 'pending', last_error = NULL, result = NULL WHERE mutation_id = ?").run(r.mutation_id)
        refreshSyncState(ctx.db, r.case_id)
        requeued++
      }
    })()
    sync.retryNow().catch(() => undefined)
    return { requeued }
  },
  conflicts: ({ caseId }, ctx) => {
    if (!getCase(ctx.db, caseId)) throw notFound('Der Vorgang')
    return { conflicts: openConflicts(ctx, caseId) }
  },
  resolveConflict: ({ mutationId, choice }, ctx) => {
    const r = resolveConflict(ctx, mutationId, choice)
    if (choice === 'mine') sync.retryNow().catch(() => undefined)
    return r
  },
  })
