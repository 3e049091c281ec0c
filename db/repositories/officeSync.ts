/**
 * The desk's side of office sync on the case tables: the office's last known value of each
 * case field (table case_office), the fields and sync state shown on a case, retired duplicates
 * and renumbered cases, and the queues of document contents to upload and to fetch.
 */
import {
  all,
  get,
  oneOf,
  run,
  scalar,
  shape,
  sql,
  type ReadDb,
  type Sql,
  type WriteDb,
} from '../sql'

/** Case fields the office owns and desks converge on. */
export const OFFICE_FIELDS = ['assignee', 'status', 'follow_up'] as const
export type OfficeField = (typeof OFFICE_FIELDS)[number]

/** Column of each field (fixed fragments: a field name never becomes SQL text). */
const FIELD_COLUMN: Record<OfficeField, Sql> = {
  assignee: sql.keyword('assignee'),
  status: sql.keyword('status'),
  follow_up: sql.keyword('follow_up'),
}

// values in case_office are JSON (a string or null)
const jsonValue = (text: string): string | null => {
  const v = JSON.parse(text) as unknown
  return typeof v === 'string' ? v : null
}

/** Records the office's value of a field written at `version`, unless a newer one is known. */
export function upsertOfficeValue(
  db: WriteDb,
  caseId: string,
  field: OfficeField,
  value: string | null,
  version: number,
): void {
  run(
    db,
    sql`INSERT INTO case_office (case_id, field, value, version) VALUES (${caseId}, ${field}, ${JSON.stringify(value)}, ${version})
        ON CONFLICT (case_id, field) DO UPDATE SET value = excluded.value, version = excluded.version WHERE excluded.version > case_office.version`,
  )
}

/** The hub version that wrote the office's known value of the field. */
export function officeValueVersion(
  db: ReadDb,
  caseId: string,
  field: OfficeField,
): number | undefined {
  const v = scalar(
    db,
    sql`SELECT version FROM case_office WHERE case_id = ${caseId} AND field = ${field}`,
  )
  return v === undefined || v === null ? undefined : Number(v)
}

const shadowRow = shape({ field: 'text', value: 'text', version: 'int' })
/** Every known office value of the case. */
export function officeValuesOf(
  db: ReadDb,
  caseId: string,
): { field: OfficeField; value: string | null; version: number }[] {
  return all(
    db,
    sql`SELECT field, value, version FROM case_office WHERE case_id = ${caseId}`,
    (row) => {
      const r = shadowRow(row)
      return {
        field: oneOf(OFFICE_FIELDS, r.field, 'field'),
        value: jsonValue(r.value),
        version: r.version,
      }
    },
  )
}

/** Shows a value in one office field of the case. */
export function setCaseField(
  db: WriteDb,
  caseId: string,
  field: OfficeField,
  value: string | null,
): void {
  run(db, sql`UPDATE cases SET ${FIELD_COLUMN[field]} = ${value} WHERE id = ${caseId}`)
}

/** The case knows the office's state up to at least `version`. */
export function raiseCaseVersion(db: WriteDb, caseId: string, version: number): void {
  run(db, sql`UPDATE cases SET version = max(version, ${version}) WHERE id = ${caseId}`)
}

export type SyncState = 'local' | 'pending' | 'synced' | 'conflict' | 'rejected'
/** The case's sync state (a retired duplicate keeps 'retired'). */
export function setSyncState(db: WriteDb, caseId: string, state: SyncState): void {
  run(db, sql`UPDATE cases SET sync_state = ${state} WHERE id = ${caseId} AND retired_into IS NULL`)
}

export function caseVersion(db: ReadDb, caseId: string): number | undefined {
  const v = scalar(db, sql`SELECT version FROM cases WHERE id = ${caseId}`)
  return v === undefined || v === null ? undefined : Number(v)
}

const idRow = shape({ id: 'text' })
/** Another case that holds the Aktenzeichen. */
export function caseWithAktenzeichen(
  db: ReadDb,
  aktenzeichen: string,
  exceptId: string,
): string | undefined {
  return get(
    db,
    sql`SELECT id FROM cases WHERE aktenzeichen = ${aktenzeichen} AND id <> ${exceptId}`,
    idRow,
  )?.id
}

/**
 * Retires a local duplicate into the office's case: it stays (history is append-only) but no
 * longer holds the submission, leaves the lists and the search index.
 */
export function retireCase(db: WriteDb, caseId: string, into: string, at: string): void {
  const rowid = scalar(db, sql`SELECT rowid FROM cases WHERE id = ${caseId}`)
  run(
    db,
    sql`UPDATE cases SET submission_id = NULL, retired_into = ${into}, sync_state = 'retired', updated_at = ${at} WHERE id = ${caseId}`,
  )
  if (rowid !== undefined) run(db, sql`DELETE FROM case_fts WHERE rowid = ${rowid}`)
}

/** Notes of a retired duplicate follow the adopted case. */
export function moveNotes(db: WriteDb, fromCaseId: string, toCaseId: string): void {
  run(db, sql`UPDATE notes SET case_id = ${toCaseId} WHERE case_id = ${fromCaseId}`)
}

export function setCaseAktenzeichen(
  db: WriteDb,
  caseId: string,
  aktenzeichen: string,
  at: string,
): void {
  run(
    db,
    sql`UPDATE cases SET aktenzeichen = ${aktenzeichen}, updated_at = ${at} WHERE id = ${caseId}`,
  )
}

// ---------------------------------------------------------------------------------------------
// Document contents: uploaded to the hub (before the mutation that refers to them), to fetch

export function isBlobUploaded(db: ReadDb, sha256: string): boolean {
  return scalar(db, sql`SELECT 1 FROM blob_uploads WHERE sha256 = ${sha256}`) !== undefined
}
export function markBlobUploaded(db: WriteDb, sha256: string): void {
  run(db, sql`INSERT OR IGNORE INTO blob_uploads (sha256) VALUES (${sha256})`)
}

/** Content another desk registered that this desk does not hold yet. */
export function queueBlobFetch(db: WriteDb, sha256: string): void {
  run(db, sql`INSERT OR IGNORE INTO blob_fetches (sha256) VALUES (${sha256})`)
}
const shaRow = shape({ sha256: 'text' })
export function queuedBlobFetches(db: ReadDb, limit: number): string[] {
  return all(db, sql`SELECT sha256 FROM blob_fetches LIMIT ${limit}`, shaRow).map((r) => r.sha256)
}
export function dropBlobFetch(db: WriteDb, sha256: string): void {
  run(db, sql`DELETE FROM blob_fetches WHERE sha256 = ${sha256}`)
}

const localStateRow = shape({
  aktenzeichen: 'text',
  status: 'text',
  assignee: 'text?',
  follow_up: 'text?',
  version: 'int',
})
/** The case's own state as a conflict keeps it (column names as stored in case_conflicts.local). */
export function caseLocalState(
  db: ReadDb,
  caseId: string,
):
  | {
      aktenzeichen: string
      status: string
      assignee: string | null
      follow_up: string | null
      version: number
    }
  | undefined {
  return get(
    db,
    sql`SELECT aktenzeichen, status, assignee, follow_up, version FROM cases WHERE id = ${caseId}`,
    localStateRow,
  )
}
