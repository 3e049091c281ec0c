/**
 * What the office's change feed (and an adopted office case) writes on this desk: notes and
 * documents another desk added, and decision, co-signature, notice and closing of another desk.
 * Inserts are idempotent (a change may arrive twice).
 */
import type { DocumentMeta } from '../domain'
import { run, scalar, shape, sql, get, type ReadDb, type WriteDb } from '../sql'

export function caseExists(db: ReadDb, caseId: string): boolean {
  return scalar(db, sql`SELECT 1 FROM cases WHERE id = ${caseId}`) !== undefined
}

const idRow = shape({ id: 'text' })
/** The desk's own (not retired) case of a submission, e.g. one it registered itself. */
export function activeCaseOfSubmission(db: ReadDb, submissionId: string): string | undefined {
  return get(
    db,
    sql`SELECT id FROM cases WHERE submission_id = ${submissionId} AND retired_into IS NULL`,
    idRow,
  )?.id
}

export function insertOfficeNote(
  db: WriteDb,
  n: {
    id: string
    caseId: string
    kind: 'note' | 'phone'
    author: string
    text: string
    createdAt: string
  },
): void {
  run(
    db,
    sql`INSERT OR IGNORE INTO notes (id, case_id, kind, author, text, created_at)
        VALUES (${n.id}, ${n.caseId}, ${n.kind}, ${n.author}, ${n.text}, ${n.createdAt})`,
  )
}

export function insertOfficeDocument(db: WriteDb, d: DocumentMeta): void {
  run(
    db,
    sql`INSERT OR IGNORE INTO documents (id, case_id, kind, title, filename, mime_type, size, sha256, created_at)
        VALUES (${d.id}, ${d.caseId}, ${d.kind}, ${d.title}, ${d.filename}, ${d.mimeType}, ${d.size}, ${d.sha256}, ${d.createdAt})`,
  )
}

/** A decision of another desk (replaces an earlier one and its co-signature). `fields`, `hearing`: JSON text. */
export function recordOfficeDecision(
  db: WriteDb,
  d: {
    caseId: string
    outcome: string | null
    fields: string
    reasons: string
    hearing: string | null
    by: string
    at: string
    cosignRequired: boolean
  },
): void {
  run(
    db,
    sql`INSERT INTO decisions (case_id, outcome, fields, reasons, hearing, decided_by, decided_at, cosign_required)
        VALUES (${d.caseId}, ${d.outcome}, ${d.fields}, ${d.reasons}, ${d.hearing}, ${d.by}, ${d.at}, ${d.cosignRequired ? 1 : 0})
        ON CONFLICT (case_id) DO UPDATE SET outcome = excluded.outcome, fields = excluded.fields, reasons = excluded.reasons,
          hearing = excluded.hearing, decided_by = excluded.decided_by, decided_at = excluded.decided_at,
          cosign_required = excluded.cosign_required, cosigned_by = NULL, cosigned_at = NULL, cosign_comment = NULL,
          returned_by = NULL, returned_at = NULL, return_note = NULL`,
  )
}

/** A printed notice was noted as handed to the post. */
export function recordOfficePosted(db: WriteDb, caseId: string, by: string, at: string): void {
  run(
    db,
    sql`UPDATE decisions SET posted_by = ${by}, posted_at = ${at} WHERE case_id = ${caseId} AND posted_at IS NULL`,
  )
}

export function recordOfficeNotice(
  db: WriteDb,
  caseId: string,
  n: {
    document: string | null
    dispatchDate: string | null
    channel: string | null
    deliveredOn: string | null
    objectionEnd: string | null
  },
): void {
  run(
    db,
    sql`UPDATE decisions SET notice_document = ${n.document}, dispatch_date = ${n.dispatchDate}, channel = ${n.channel},
          delivered_on = ${n.deliveredOn}, objection_end = ${n.objectionEnd}
        WHERE case_id = ${caseId}`,
  )
}

export function recordOfficeClosing(
  db: WriteDb,
  caseId: string,
  closedAt: string | null,
  retentionEnd: string | null,
): void {
  run(
    db,
    sql`UPDATE cases SET closed_at = ${closedAt}, retention_end = ${retentionEnd} WHERE id = ${caseId}`,
  )
}

export function recordOfficeReopening(db: WriteDb, caseId: string): void {
  run(db, sql`UPDATE cases SET closed_at = NULL, retention_end = NULL WHERE id = ${caseId}`)
}
