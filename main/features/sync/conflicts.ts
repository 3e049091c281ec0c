/**
 * Conflicts the hub reported: both sides are kept until the clerk chooses. 'office' shows the
 * office's state and closes the conflict; 'mine' sends the own change again, based on the
 * version the desk now knows.
 */
import { getCase } from '../../../db/repositories/cases'
import { STATUS_LABELS, type CaseStatus } from '../../../db/domain'
import { appendHistory } from '../../../db/repositories/history'
import { enqueueMutation } from '../../../db/repositories/outbox'
import type { ConflictView } from '../../../preload/contract/index'
import { ApiFailure } from '../../core/errors'
import type { AppContext } from '../../core/context'
import { FIELD_LABELS, mutationLabel } from './labels'
import { fieldEffects, officeValues, refreshSyncState, showOfficeValues, type Field } from './officeState'

interface ConflictRow {
  mutation_id: string
  case_id: string
  local: string
  remote: string
  at: string
  type: string
  payload: string
  actor: string
}


function display(ctx: AppContext, field: Field, v: string | null | undefined): string {
  if (v === null || v === undefined) return field === 'assignee' ? 'Posteingang (niemand)' : '—'
  if (field === 'assignee') return ctx.userName(v) ?? v
  if (field === 'status') return STATUS_LABELS[v as CaseStatus] ?? v
  return v.split('-').reverse().join('.')
}

export function openConflicts(ctx: AppContext, caseId: string): ConflictView[] {
  const rows = ctx.db
    .prepare(
      `SELECT k.mutation_id, k.case_id, k.local, k.remote, k.at, o.type, o.payload, o.actor
       FROM case_conflicts k JOIN outbox o ON o.mutation_id = k.mutation_id
       WHERE k.case_id = ? AND k.resolved_at IS NULL ORDER BY o.seq`,
    )
    .all(caseId) as ConflictRow[]
  const office = officeValues(ctx.db, caseId)
  return rows.map((r) => {
    const payload = JSON.parse(r.payload) as Record<string, unknown>
    const mine = fieldEffects(r.type, payload)
    const remote = JSON.parse(r.remote) as { version: number; assignee: string | null; status: string; followUp: string | null }
    const officeNow: Record<Field, string | null> = {
      assignee: office.values.assignee !== undefined ? office.values.assignee : remote.assignee,
      status: office.values.status !== undefined ? (office.values.status ?? remote.status) : remote.status,
      follow_up: office.values.follow_up !== undefined ? office.values.follow_up : remote.followUp,
    }
    return {
      mutationId: r.mutation_id,
      caseId: r.case_id,
      type: r.type,
      typeLabel: mutationLabel(r.type),
      at: r.at,
      actor: r.actor,
      actorName: ctx.userName(r.actor) ?? r.actor,
      officeVersion: Math.max(office.version, remote.version),
      fields: (Object.keys(mine) as Field[]).map((f) => ({
        field: f,
        label: FIELD_LABELS[f] ?? f,
        mine: display(ctx, f, mine[f]),
        office: display(ctx, f, officeNow[f]),
      })),
      local: JSON.parse(r.local) as unknown,
      office: remote,
    }
  })
}

export function resolveConflict(ctx: AppContext, mutationId: string, choice: 'office' | 'mine'): { mutationId: string | null } {
  const db = ctx.db
  const row = db
    .prepare(
      `SELECT k.mutation_id, k.case_id, k.local, k.remote, k.at, o.type, o.payload, o.actor
       FROM case_conflicts k JOIN outbox o ON o.mutation_id = k.mutation_id WHERE k.mutation_id = ? AND k.resolved_at IS NULL`,
    )
    .get(mutationId) as ConflictRow | undefined
  if (!row) throw new ApiFailure('not_found', 'Dieser Konflikt ist nicht (mehr) offen.')
  const at = ctx.clock.now().toISOString()
  const user = ctx.currentUser()
  let newId: string | null = null
  db.transaction(() => {
    db.prepare('UPDATE case_conflicts SET resolved_at = ?, resolution = ? WHERE mutation_id = ?').run(at, choice, mutationId)
    const payload = JSON.parse(row.payload) as Record<string, unknown>
    if (choice === 'office') {
      showOfficeValues(db, row.case_id, Object.keys(fieldEffects(row.type, payload)) as Field[])
      appendHistory(db, { caseId: row.case_id, at, actor: user.userId, action: 'Konflikt gelöst', detail: `${mutationLabel(row.type)}: Stand des Büros übernommen` })
    } else {
      const c = getCase(db, row.case_id)
      const office = officeValues(db, row.case_id)
      const remote = JSON.parse(row.remote) as { version: number }
      const base = Math.max(c?.version ?? 0, office.version, remote.version)
      const next = { ...payload }
      if (row.type === 'case.assign') next.previous = office.values.assignee ?? null
      if (row.type === 'case.status' && office.values.status) next.from = office.values.status
      newId = ctx.newId()
      enqueueMutation(db, { mutationId: newId, type: row.type, caseId: row.case_id, baseVersion: base, at, actor: user.userId, payload: next })
      for (const [f, v] of Object.entries(fieldEffects(row.type, next))) db.prepare(`UPDATE cases SET ${f} = ? WHERE id = ?`).run(v, row.case_id)
      appendHistory(db, { caseId: row.case_id, at, actor: user.userId, action: 'Konflikt gelöst', detail: `${mutationLabel(row.type)}: eigene Änderung erneut gesendet` })
    }
    refreshSyncState(db, row.case_id)
  })()
  ctx.events.emit('changed', { tags: [{ type: 'Case', id: row.case_id }, { type: 'CaseList' }, { type: 'Sync' }] })
  return { mutationId: newId }
}
