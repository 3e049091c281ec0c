/**
 * The office's last known value of each case field (table case_office) and the rule that makes
 * desks converge: a local field shows the newest office value unless this desk has its own
 * unacknowledged intention for it (a pending entry or an open conflict).
 */
import type { Db } from '../../../db/open'

export type Field = 'assignee' | 'status' | 'follow_up'
export type FieldValues = Partial<Record<Field, string | null>>
const FIELDS: Field[] = ['assignee', 'status', 'follow_up']

/** Mutation types whose effect touches each field. */
const TYPES_OF: Record<Field, string[]> = {
  assignee: ['case.assign'],
  status: ['case.status', 'case.requestDocuments', 'case.decide', 'case.cosign', 'notice.issue', 'case.close', 'case.reopen'],
  follow_up: ['case.followUp', 'case.requestDocuments'],
}

/** The field values a mutation sets (same rules as the hub's office store). */
export function fieldEffects(type: string, payload: Record<string, unknown>): FieldValues {
  const str = (v: unknown) => (typeof v === 'string' ? v : null)
  switch (type) {
    case 'case.register':
      return { status: 'eingegangen', assignee: null, follow_up: null }
    case 'case.assign':
      return { assignee: str(payload.assignee) }
    case 'case.status':
      return { status: str(payload.to) }
    case 'case.followUp':
      return { follow_up: str(payload.date) }
    case 'case.requestDocuments':
      return { status: 'nachforderung', follow_up: str(payload.deadline) }
    case 'case.decide':
      return { status: str(payload.status) ?? (payload.cosignRequired === true ? 'entscheidungsreif' : 'entschieden') }
    case 'case.cosign':
      return { status: 'entschieden' }
    case 'notice.issue':
      return { status: 'versandt' }
    case 'case.close':
      return { status: 'abgeschlossen' }
    case 'case.reopen':
      return { status: 'versandt' }
    default:
      return {}
  }
}

const cache = new WeakMap<Db, ReturnType<typeof prepare>>()
function prepare(db: Db) {
  return {
    getShadow: db.prepare<[string, string], { value: string; version: number }>('SELECT value, version FROM case_office WHERE case_id = ? AND field = ?'),
    allShadow: db.prepare<[string], { field: Field; value: string; version: number }>('SELECT field, value, version FROM case_office WHERE case_id = ?'),
    upsertShadow: db.prepare(
      `INSERT INTO case_office (case_id, field, value, version) VALUES (?, ?, ?, ?)
       ON CONFLICT (case_id, field) DO UPDATE SET value = excluded.value, version = excluded.version WHERE excluded.version > case_office.version`,
    ),
    ownOpen: db.prepare<[string, string, string], { n: number }>(
      `SELECT count(*) AS n FROM outbox o WHERE o.case_id = ? AND o.mutation_id <> ?
         AND (o.state = 'pending' OR (o.state = 'conflict' AND EXISTS (SELECT 1 FROM case_conflicts k WHERE k.mutation_id = o.mutation_id AND k.resolved_at IS NULL)))
         AND o.type IN (SELECT value FROM json_each(?))`,
    ),
    bumpVersion: db.prepare('UPDATE cases SET version = max(version, ?) WHERE id = ?'),
    setField: {
      assignee: db.prepare('UPDATE cases SET assignee = ? WHERE id = ?'),
      status: db.prepare('UPDATE cases SET status = ? WHERE id = ?'),
      follow_up: db.prepare('UPDATE cases SET follow_up = ? WHERE id = ?'),
    } satisfies Record<Field, unknown>,
    counts: db.prepare<[string], { pending: number; conflicts: number; rejected: number }>(
      `SELECT coalesce(sum(state = 'pending'), 0) AS pending,
              coalesce(sum(state = 'conflict' AND EXISTS (SELECT 1 FROM case_conflicts k WHERE k.mutation_id = outbox.mutation_id AND k.resolved_at IS NULL)), 0) AS conflicts,
              coalesce(sum(state = 'rejected'), 0) AS rejected
       FROM outbox WHERE case_id = ? AND state <> 'sent'`,
    ),
    setSyncState: db.prepare('UPDATE cases SET sync_state = ? WHERE id = ? AND retired_into IS NULL'),
  }
}
export const officeStmts = (db: Db) => {
  let s = cache.get(db)
  if (!s) cache.set(db, (s = prepare(db)))
  return s
}

/** Whether this desk still holds its own unacknowledged change of the field (besides `exceptMutationId`). */
export function hasOwnIntention(db: Db, caseId: string, field: Field, exceptMutationId = ''): boolean {
  const s = officeStmts(db)
  return (s.ownOpen.get(caseId, exceptMutationId, JSON.stringify(TYPES_OF[field]))?.n ?? 0) > 0
}

/**
 * Records office values written at `version` and shows each on the case unless a newer office
 * value is known or the desk has its own open change of that field.
 */
export function learnOfficeValues(db: Db, caseId: string, values: FieldValues, version: number, exceptMutationId = ''): Field[] {
  const s = officeStmts(db)
  const shown: Field[] = []
  for (const f of FIELDS) {
    if (!(f in values)) continue
    const value = values[f] ?? null
    s.upsertShadow.run(caseId, f, JSON.stringify(value), version)
    const now = s.getShadow.get(caseId, f)
    if (now && now.version === version && !hasOwnIntention(db, caseId, f, exceptMutationId)) {
      s.setField[f].run(value, caseId)
      shown.push(f)
    }
  }
  s.bumpVersion.run(version, caseId)
  return shown
}

/** Shows the office's values again for every field without an own open change (after 'office' / rejected). */
export function showOfficeValues(db: Db, caseId: string, onlyFields: Field[] = FIELDS): void {
  const s = officeStmts(db)
  for (const row of s.allShadow.all(caseId)) {
    if (!onlyFields.includes(row.field) || hasOwnIntention(db, caseId, row.field)) continue
    s.setField[row.field].run(JSON.parse(row.value) as string | null, caseId)
  }
}

export function officeValues(db: Db, caseId: string): { values: FieldValues; version: number } {
  const values: FieldValues = {}
  let version = 0
  for (const row of officeStmts(db).allShadow.all(caseId)) {
    values[row.field] = JSON.parse(row.value) as string | null
    version = Math.max(version, row.version)
  }
  return { values, version }
}

/** sync_state from the case's outbox: conflict > rejected > pending > synced. */
export function refreshSyncState(db: Db, caseId: string): string {
  const c = officeStmts(db).counts.get(caseId) ?? { pending: 0, conflicts: 0, rejected: 0 }
  const state = c.conflicts > 0 ? 'conflict' : c.rejected > 0 ? 'rejected' : c.pending > 0 ? 'pending' : 'synced'
  officeStmts(db).setSyncState.run(state, caseId)
  return state
}

/** Outbox figures for the status bar: pending, open conflicts, failed (rejected). */
export function syncCounts(db: Db): { pending: number; conflicts: number; failed: number } {
  return db
    .prepare(
      `SELECT coalesce(sum(state = 'pending'), 0) AS pending,
              coalesce(sum(state = 'conflict' AND EXISTS (SELECT 1 FROM case_conflicts k WHERE k.mutation_id = outbox.mutation_id AND k.resolved_at IS NULL)), 0) AS conflicts,
              coalesce(sum(state = 'rejected'), 0) AS failed
       FROM outbox WHERE state <> 'sent'`,
    )
    .get() as { pending: number; conflicts: number; failed: number }
}
