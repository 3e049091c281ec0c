import { germanDate } from '../../../common/dates'
/**
 * Conflicts the hub reported: both sides are kept until the clerk chooses. 'office' shows the
 * office's state and closes the conflict; 'mine' sends the own change again, based on the
 * version the desk now knows.
 */
import { getCase } from '../../../db/repositories/cases'
import {
  markConflictResolved,
  openConflict,
  openConflictsOf,
} from '../../../db/repositories/conflicts'
import { STATUS_LABELS, type CaseStatus } from '../../../db/domain'
import { appendHistory } from '../../../db/repositories/history'
import { enqueueMutation } from '../../../db/repositories/outbox'
import type { ConflictView } from '../../../preload/contract/index'
import { ApiFailure } from '../../core/errors'
import type { AppContext } from '../../core/context'
import { FIELD_LABELS, mutationLabel } from './labels'
import {
  fieldEffects,
  officeValues,
  refreshSyncState,
  showFieldValues,
  showOfficeValues,
  type Field,
} from './officeState'

function display(ctx: AppContext, field: Field, v: string | null | undefined): string {
  if (v === null || v === undefined) return field === 'assignee' ? 'Posteingang (niemand)' : '—'
  if (field === 'assignee') return ctx.userName(v) ?? v
  if (field === 'status') return STATUS_LABELS[v as CaseStatus] ?? v
  return germanDate(v)
}

export function openConflicts(ctx: AppContext, caseId: string): ConflictView[] {
  const rows = openConflictsOf(ctx.db, caseId)
  const office = officeValues(ctx.db, caseId)
  return rows.map((r) => {
    const payload = JSON.parse(r.payload) as Record<string, unknown>
    const mine = fieldEffects(r.type, payload)
    const remote = JSON.parse(r.remote) as {
      version: number
      assignee: string | null
      status: string
      followUp: string | null
    }
    const officeNow: Record<Field, string | null> = {
      assignee: office.values.assignee !== undefined ? office.values.assignee : remote.assignee,
      status:
        office.values.status !== undefined
          ? (office.values.status ?? remote.status)
          : remote.status,
      follow_up: office.values.follow_up !== undefined ? office.values.follow_up : remote.followUp,
    }
    return {
      mutationId: r.mutationId,
      caseId: r.caseId,
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

export function resolveConflict(
  ctx: AppContext,
  mutationId: string,
  choice: 'office' | 'mine',
): { mutationId: string | null } {
  const db = ctx.db
  const row = openConflict(db, mutationId)
  if (!row) throw new ApiFailure('not_found', 'Dieser Konflikt ist nicht (mehr) offen.')
  const at = ctx.clock.now().toISOString()
  const user = ctx.currentUser()
  let newId: string | null = null
  db.transaction(() => {
    markConflictResolved(db, mutationId, at, choice)
    const payload = JSON.parse(row.payload) as Record<string, unknown>
    if (choice === 'office') {
      showOfficeValues(db, row.caseId, Object.keys(fieldEffects(row.type, payload)) as Field[])
      appendHistory(db, {
        caseId: row.caseId,
        at,
        actor: user.userId,
        action: 'Konflikt gelöst',
        detail: `${mutationLabel(row.type)}: Stand des Büros übernommen`,
      })
    } else {
      const c = getCase(db, row.caseId)
      const office = officeValues(db, row.caseId)
      const remote = JSON.parse(row.remote) as { version: number }
      const base = Math.max(c?.version ?? 0, office.version, remote.version)
      const next = { ...payload }
      if (row.type === 'case.assign') next.previous = office.values.assignee ?? null
      if (row.type === 'case.status' && office.values.status) next.from = office.values.status
      newId = ctx.newId()
      enqueueMutation(db, {
        mutationId: newId,
        type: row.type,
        caseId: row.caseId,
        baseVersion: base,
        at,
        actor: user.userId,
        payload: next,
      })
      showFieldValues(db, row.caseId, fieldEffects(row.type, next))
      appendHistory(db, {
        caseId: row.caseId,
        at,
        actor: user.userId,
        action: 'Konflikt gelöst',
        detail: `${mutationLabel(row.type)}: eigene Änderung erneut gesendet`,
      })
    }
    refreshSyncState(db, row.caseId)
  })()
  return { mutationId: newId }
}
