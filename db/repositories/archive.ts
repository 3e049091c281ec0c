import { all, get, run, shape, sql, type ReadDb, type Sql, type WriteDb } from '../sql'

/** zdA: the case is closed and its retention period runs until `retentionEnd`. */
/** Reopened by the records manager: back to versandt, no retention period. */
export function markReopened(db: WriteDb, id: string): void {
  run(
    db,
    sql`UPDATE cases SET status = 'versandt', closed_at = NULL, retention_end = NULL WHERE id = ${id}`,
  )
}

export interface DisposalCandidate {
  id: string
  aktenzeichen: string
  subject: string
  procedureId: string
  closedAt: string
  retentionEnd: string
  transferred: boolean
}

const candidateShape = shape({
  id: 'text',
  aktenzeichen: 'text',
  subject: 'text',
  procedure_id: 'text',
  closed_at: 'text',
  retention_end: 'text',
  transferred: 'int',
})

/** Aussonderung: closed cases whose retention ended before `today` (also read by the query-plan tests). */
export function disposalCandidatesSql(today: string): Sql {
  return sql`SELECT id, aktenzeichen, subject, procedure_id, closed_at, retention_end,
        EXISTS (SELECT 1 FROM archive_transfers t, json_each(t.case_ids) j WHERE j.value = cases.id) AS transferred
       FROM cases WHERE status = 'abgeschlossen' AND archived_at IS NULL AND retention_end IS NOT NULL AND retention_end < ${today}
       ORDER BY retention_end, aktenzeichen`
}

/** Closed cases due for disposal, with whether they were already offered to the archive. */
export function disposalCandidates(db: ReadDb, today: string): DisposalCandidate[] {
  return all(db, disposalCandidatesSql(today), (row) => {
    const r = candidateShape(row)
    return {
      id: r.id,
      aktenzeichen: r.aktenzeichen,
      subject: r.subject,
      procedureId: r.procedure_id,
      closedAt: r.closed_at,
      retentionEnd: r.retention_end,
      transferred: r.transferred === 1,
    }
  })
}

export function insertArchiveTransfer(
  db: WriteDb,
  t: {
    prozessId: string
    createdAt: string
    createdBy: string
    caseIds: readonly string[]
    file0501: string
    file0503: string
  },
): void {
  run(
    db,
    sql`INSERT INTO archive_transfers (prozess_id, created_at, created_by, case_ids, file_0501, file_0503) VALUES (${t.prozessId}, ${t.createdAt}, ${t.createdBy}, ${JSON.stringify(t.caseIds)}, ${t.file0501}, ${t.file0503})`,
  )
}

const transferShape = shape({
  prozess_id: 'text',
  case_ids: 'json',
  file_0501: 'text',
  file_0503: 'text',
})

/** Every transfer with the ids of the cases it offered and its export files. */
export function archiveTransfers(
  db: ReadDb,
): { prozessId: string; caseIds: string[]; file0501: string; file0503: string }[] {
  return all(
    db,
    sql`SELECT prozess_id, case_ids, file_0501, file_0503 FROM archive_transfers`,
    (row) => {
      const r = transferShape(row)
      return {
        prozessId: r.prozess_id,
        file0501: r.file_0501,
        file0503: r.file_0503,
        caseIds: Array.isArray(r.case_ids)
          ? r.case_ids.filter((x): x is string => typeof x === 'string')
          : [],
      }
    },
  )
}

export function confirmArchiveTransfer(db: WriteDb, prozessId: string, at: string): void {
  run(db, sql`UPDATE archive_transfers SET confirmed_at = ${at} WHERE prozess_id = ${prozessId}`)
}

const idShape = shape({ id: 'text' })
/** The id of a not yet archived case, matched without regard to case (the archive may change it). */
export function unarchivedCaseId(db: ReadDb, id: string): string | undefined {
  return get(
    db,
    sql`SELECT id FROM cases WHERE lower(id) = lower(${id}) AND archived_at IS NULL`,
    (r) => idShape(r).id,
  )
}

/** The archive confirmed the import: the case keeps its stub and history, its form data goes. */
export function markArchived(db: WriteDb, id: string, at: string): void {
  run(db, sql`UPDATE cases SET archived_at = ${at}, form_data = '{}' WHERE id = ${id}`)
}
