/**
 * The office's last known value of each case field (table case_office) and the rule that makes
 * desks converge: a local field shows the newest office value unless this desk has its own
 * unacknowledged intention for it (a pending entry or an open conflict).
 */
import type { ReadDb, WriteDb } from '../../../db/open'
import {
  caseOutboxCounts,
  countOpenIntentions,
  outboxStatusCounts,
} from '../../../db/repositories/outbox'
import {
  OFFICE_FIELDS,
  officeValuesOf,
  officeValueVersion,
  raiseCaseVersion,
  setCaseField,
  setSyncState,
  upsertOfficeValue,
  type OfficeField,
  type SyncState,
} from '../../../db/repositories/officeSync'

export type Field = OfficeField
export type FieldValues = Partial<Record<Field, string | null>>
const FIELDS = OFFICE_FIELDS

/** Mutation types whose effect touches each field. */
const TYPES_OF: Record<Field, string[]> = {
  assignee: ['case.assign'],
  status: [
    'case.status',
    'case.requestDocuments',
    'case.decide',
    'case.cosign',
    'notice.issue',
    'case.close',
    'case.reopen',
  ],
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
      return {
        status:
          str(payload.status) ??
          (payload.cosignRequired === true ? 'entscheidungsreif' : 'entschieden'),
      }
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

/** Whether this desk still holds its own unacknowledged change of the field (besides `exceptMutationId`). */
export function hasOwnIntention(
  db: ReadDb,
  caseId: string,
  field: Field,
  exceptMutationId = '',
): boolean {
  return countOpenIntentions(db, caseId, exceptMutationId, TYPES_OF[field]) > 0
}

/**
 * Records office values written at `version` and shows each on the case unless a newer office
 * value is known or the desk has its own open change of that field.
 */
export function learnOfficeValues(
  db: WriteDb,
  caseId: string,
  values: FieldValues,
  version: number,
  exceptMutationId = '',
): Field[] {
  const shown: Field[] = []
  for (const f of FIELDS) {
    if (!(f in values)) continue
    const value = values[f] ?? null
    upsertOfficeValue(db, caseId, f, value, version)
    if (
      officeValueVersion(db, caseId, f) === version &&
      !hasOwnIntention(db, caseId, f, exceptMutationId)
    ) {
      setCaseField(db, caseId, f, value)
      shown.push(f)
    }
  }
  raiseCaseVersion(db, caseId, version)
  return shown
}

/** Shows the office's values again for every field without an own open change (after 'office' / rejected). */
export function showOfficeValues(
  db: WriteDb,
  caseId: string,
  onlyFields: readonly Field[] = FIELDS,
): void {
  for (const row of officeValuesOf(db, caseId)) {
    if (!onlyFields.includes(row.field) || hasOwnIntention(db, caseId, row.field)) continue
    setCaseField(db, caseId, row.field, row.value)
  }
}

export function officeValues(db: ReadDb, caseId: string): { values: FieldValues; version: number } {
  const values: FieldValues = {}
  let version = 0
  for (const row of officeValuesOf(db, caseId)) {
    values[row.field] = row.value
    version = Math.max(version, row.version)
  }
  return { values, version }
}

/** Shows every field value a mutation sets on the case (the desk's own intention). */
export function showFieldValues(db: WriteDb, caseId: string, values: FieldValues): void {
  for (const f of FIELDS) if (f in values) setCaseField(db, caseId, f, values[f] ?? null)
}

/** sync_state from the case's outbox: conflict > rejected > pending > synced. */
export function refreshSyncState(db: WriteDb, caseId: string): SyncState {
  const c = caseOutboxCounts(db, caseId)
  const state =
    c.conflicts > 0
      ? 'conflict'
      : c.rejected > 0
        ? 'rejected'
        : c.pending > 0
          ? 'pending'
          : 'synced'
  setSyncState(db, caseId, state)
  return state
}

/** Outbox figures for the status bar: pending, open conflicts, failed (rejected). */
export function syncCounts(db: ReadDb): { pending: number; conflicts: number; failed: number } {
  return outboxStatusCounts(db)
}
