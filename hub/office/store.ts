// Prepared statements over the office tables (schema.ts) of the hub's database.
import type { Database } from 'better-sqlite3'

export interface OfficeCaseRow {
  case_id: string
  submission_id: string | null
  aktenzeichen: string
  procedure_id: string
  subject: string
  applicant_name: string
  applicant_address: string
  received_at: string
  deadline: string | null
  channel: string
  form_data: string
  status: string
  assignee: string | null
  follow_up: string | null
  version: number
  registered_by: string
  desk_id: string
  closed_at: string | null
  retention_end: string | null
  updated_at: string
}

export interface ChangeRow {
  seq: number
  case_id: string
  type: string
  version: number
  at: string
  by_user: string
  payload: string
}

export interface DocumentRow {
  document_id: string
  kind: string
  title: string
  filename: string
  mime_type: string
  size: number
  sha256: string
  created_at: string
}

export function officeStatements(db: Database) {
  return {
    getCase: db.prepare<[string], OfficeCaseRow>('SELECT * FROM office_cases WHERE case_id = ?'),
    caseBySubmission: db.prepare<[string], OfficeCaseRow>(
      'SELECT * FROM office_cases WHERE submission_id = ?',
    ),
    caseByAktenzeichen: db.prepare<[string], { case_id: string }>(
      'SELECT case_id FROM office_cases WHERE aktenzeichen = ?',
    ),
    insertCase: db.prepare(
      `INSERT INTO office_cases (case_id, submission_id, aktenzeichen, procedure_id, subject, applicant_name, applicant_address,
         received_at, deadline, channel, form_data, status, assignee, follow_up, version, registered_by, desk_id, updated_at)
       VALUES (@case_id, @submission_id, @aktenzeichen, @procedure_id, @subject, @applicant_name, @applicant_address,
         @received_at, @deadline, @channel, @form_data, 'eingegangen', NULL, NULL, 1, @registered_by, @desk_id, @updated_at)`,
    ),
    setAssignee: db.prepare(
      'UPDATE office_cases SET assignee = ?, version = ?, updated_at = ? WHERE case_id = ?',
    ),
    setStatus: db.prepare(
      'UPDATE office_cases SET status = ?, version = ?, updated_at = ? WHERE case_id = ?',
    ),
    setFollowUp: db.prepare(
      'UPDATE office_cases SET follow_up = ?, version = ?, updated_at = ? WHERE case_id = ?',
    ),
    setStatusFollowUp: db.prepare(
      'UPDATE office_cases SET status = ?, follow_up = ?, version = ?, updated_at = ? WHERE case_id = ?',
    ),
    closeCase: db.prepare(
      "UPDATE office_cases SET status = 'abgeschlossen', closed_at = ?, retention_end = ?, version = ?, updated_at = ? WHERE case_id = ?",
    ),
    reopenCase: db.prepare(
      "UPDATE office_cases SET status = 'versandt', closed_at = NULL, retention_end = NULL, version = ?, updated_at = ? WHERE case_id = ?",
    ),
    bumpVersion: db.prepare(
      'UPDATE office_cases SET version = ?, updated_at = ? WHERE case_id = ?',
    ),
    insertDocument: db.prepare(
      `INSERT OR IGNORE INTO office_documents (document_id, case_id, kind, title, filename, mime_type, size, sha256, created_at)
       VALUES (@id, @caseId, @kind, @title, @filename, @mimeType, @size, @sha256, @createdAt)`,
    ),
    documentsOf: db.prepare<[string], DocumentRow>(
      'SELECT * FROM office_documents WHERE case_id = ? ORDER BY created_at, document_id',
    ),
    insertNote: db.prepare(
      'INSERT OR IGNORE INTO office_notes (note_id, case_id, kind, author, text, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    notesOf: db.prepare<
      [string],
      { note_id: string; kind: string; author: string; text: string; created_at: string }
    >(
      'SELECT note_id, kind, author, text, created_at FROM office_notes WHERE case_id = ? ORDER BY created_at, note_id',
    ),
    upsertDecision: db.prepare(
      `INSERT INTO office_decisions (case_id, outcome, fields, reasons, hearing, decided_by, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (case_id) DO UPDATE SET outcome = excluded.outcome, fields = excluded.fields, reasons = excluded.reasons,
         hearing = excluded.hearing, decided_by = excluded.decided_by, decided_at = excluded.decided_at, cosigned_by = NULL, cosigned_at = NULL`,
    ),
    cosign: db.prepare(
      'UPDATE office_decisions SET cosigned_by = ?, cosigned_at = ? WHERE case_id = ?',
    ),
    decisionOf: db.prepare<[string], { decided_by: string }>(
      'SELECT decided_by FROM office_decisions WHERE case_id = ?',
    ),
    insertNotice: db.prepare(
      'INSERT OR IGNORE INTO office_notices (document_id, case_id, sha256, dispatch_date, issued_by, issued_at) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    hasBlob: db.prepare<[string], { n: number }>(
      'SELECT 1 AS n FROM office_blobs WHERE sha256 = ?',
    ),
    putBlob: db.prepare(
      'INSERT OR IGNORE INTO office_blobs (sha256, size, bytes) VALUES (?, ?, ?)',
    ),
    getBlob: db.prepare<[string], { bytes: Buffer }>(
      'SELECT bytes FROM office_blobs WHERE sha256 = ?',
    ),
    bumpCounter: db.prepare(
      `INSERT INTO office_lease_counters (file_code, year, next) VALUES (?, ?, ?)
       ON CONFLICT (file_code, year) DO UPDATE SET next = max(next, excluded.next)`,
    ),
    /** reserves `count` numbers and returns the first; the counter row starts at 1 */
    takeNumbers: db.prepare<[{ fileCode: string; year: number; count: number }], { first: number }>(
      `INSERT INTO office_lease_counters (file_code, year, next) VALUES (@fileCode, @year, 1 + @count)
       ON CONFLICT (file_code, year) DO UPDATE SET next = next + @count
       RETURNING next - @count AS first`,
    ),
    insertLease: db.prepare(
      'INSERT INTO office_leases (file_code, year, number, desk_id, leased_at) VALUES (?, ?, ?, ?, ?)',
    ),
    getMutation: db.prepare<[string], { result: string }>(
      'SELECT result FROM office_mutations WHERE mutation_id = ?',
    ),
    insertMutation: db.prepare(
      'INSERT INTO office_mutations (mutation_id, desk_id, case_id, type, result, applied_at) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    insertChange: db.prepare(
      `INSERT INTO office_changes (case_id, type, version, at, by_user, desk_id, colliding, mutation_id, payload)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    collidedSince: db.prepare<[string, number, string], { n: number }>(
      'SELECT 1 AS n FROM office_changes WHERE case_id = ? AND version > ? AND colliding = 1 AND desk_id <> ? LIMIT 1',
    ),
    changesSince: db.prepare<[number, number], ChangeRow>(
      'SELECT seq, case_id, type, version, at, by_user, payload FROM office_changes WHERE seq > ? ORDER BY seq LIMIT ?',
    ),
  }
}

export type OfficeStatements = ReturnType<typeof officeStatements>
