// Statements over the office tables (schema.ts) on the hub's storage (hub/storage/hub.ts).
import type { HubStorage } from '../storage/hub'
import { def } from '../storage/stmt'

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
  procedure_id: string
  case_desk_id: string
}

export interface DecisionRow {
  outcome: string
  decided_by: string
  cosign_required: number
  draft: number
  cosigned_by: string | null
}

export interface AbsenceRow {
  absence_id: string
  user_id: string
  substitute_id: string
  from_date: string
  until_date: string
  by_user: string
  updated_at: string
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

export const OFFICE_STATEMENTS = {
  getCase: def<[string], OfficeCaseRow>('SELECT * FROM office_cases WHERE case_id = ?'),
  caseBySubmission: def<[string], OfficeCaseRow>(
    'SELECT * FROM office_cases WHERE submission_id = ?',
  ),
  caseByAktenzeichen: def<[string], { case_id: string }>(
    'SELECT case_id FROM office_cases WHERE aktenzeichen = ?',
  ),
  insertCase: def(
    `INSERT INTO office_cases (case_id, submission_id, aktenzeichen, procedure_id, subject, applicant_name, applicant_address,
       received_at, deadline, channel, form_data, status, assignee, follow_up, version, registered_by, desk_id, updated_at)
     VALUES (@case_id, @submission_id, @aktenzeichen, @procedure_id, @subject, @applicant_name, @applicant_address,
       @received_at, @deadline, @channel, @form_data, 'eingegangen', NULL, NULL, 1, @registered_by, @desk_id, @updated_at)`,
  ),
  setAssignee: def(
    'UPDATE office_cases SET assignee = ?, version = ?, updated_at = ? WHERE case_id = ?',
  ),
  setStatus: def(
    'UPDATE office_cases SET status = ?, version = ?, updated_at = ? WHERE case_id = ?',
  ),
  setFollowUp: def(
    'UPDATE office_cases SET follow_up = ?, version = ?, updated_at = ? WHERE case_id = ?',
  ),
  setStatusFollowUp: def(
    'UPDATE office_cases SET status = ?, follow_up = ?, version = ?, updated_at = ? WHERE case_id = ?',
  ),
  closeCase: def(
    "UPDATE office_cases SET status = 'abgeschlossen', closed_at = ?, retention_end = ?, version = ?, updated_at = ? WHERE case_id = ?",
  ),
  reopenCase: def(
    "UPDATE office_cases SET status = 'versandt', closed_at = NULL, retention_end = NULL, version = ?, updated_at = ? WHERE case_id = ?",
  ),
  bumpVersion: def('UPDATE office_cases SET version = ?, updated_at = ? WHERE case_id = ?'),
  insertDocument: def(
    `INSERT OR IGNORE INTO office_documents (document_id, case_id, kind, title, filename, mime_type, size, sha256, created_at)
     VALUES (@id, @caseId, @kind, @title, @filename, @mimeType, @size, @sha256, @createdAt)`,
  ),
  documentsOf: def<[string], DocumentRow>(
    'SELECT * FROM office_documents WHERE case_id = ? ORDER BY created_at, document_id',
  ),
  insertNote: def(
    'INSERT OR IGNORE INTO office_notes (note_id, case_id, kind, author, text, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  ),
  notesOf: def<
    [string],
    { note_id: string; kind: string; author: string; text: string; created_at: string }
  >(
    'SELECT note_id, kind, author, text, created_at FROM office_notes WHERE case_id = ? ORDER BY created_at, note_id',
  ),
  upsertDecision: def(
    `INSERT INTO office_decisions (case_id, outcome, fields, reasons, hearing, decided_by, decided_at, cosign_required, draft)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (case_id) DO UPDATE SET outcome = excluded.outcome, fields = excluded.fields, reasons = excluded.reasons,
       hearing = excluded.hearing, decided_by = excluded.decided_by, decided_at = excluded.decided_at,
       cosign_required = excluded.cosign_required, draft = excluded.draft, cosigned_by = NULL, cosigned_at = NULL`,
  ),
  cosign: def('UPDATE office_decisions SET cosigned_by = ?, cosigned_at = ? WHERE case_id = ?'),
  decisionOf: def<[string], DecisionRow>(
    'SELECT outcome, decided_by, cosign_required, draft, cosigned_by FROM office_decisions WHERE case_id = ?',
  ),
  insertNotice: def(
    'INSERT OR IGNORE INTO office_notices (document_id, case_id, sha256, dispatch_date, issued_by, issued_at) VALUES (?, ?, ?, ?, ?, ?)',
  ),
  hasBlob: def<[string], { n: number }>('SELECT 1 AS n FROM office_blobs WHERE sha256 = ?'),
  putBlob: def('INSERT OR IGNORE INTO office_blobs (sha256, size, bytes) VALUES (?, ?, ?)'),
  getBlob: def<[string], { bytes: Buffer }>('SELECT bytes FROM office_blobs WHERE sha256 = ?'),
  bumpCounter: def(
    `INSERT INTO office_lease_counters (file_code, year, next) VALUES (?, ?, ?)
     ON CONFLICT (file_code, year) DO UPDATE SET next = max(next, excluded.next)`,
  ),
  /** reserves `count` numbers and returns the first; the counter row starts at 1 */
  takeNumbers: def<[{ fileCode: string; year: number; count: number }], { first: number }>(
    `INSERT INTO office_lease_counters (file_code, year, next) VALUES (@fileCode, @year, 1 + @count)
     ON CONFLICT (file_code, year) DO UPDATE SET next = next + @count
     RETURNING next - @count AS first`,
  ),
  insertLease: def(
    'INSERT INTO office_leases (file_code, year, number, desk_id, leased_at) VALUES (?, ?, ?, ?, ?)',
  ),
  getMutation: def<[string], { result: string }>(
    'SELECT result FROM office_mutations WHERE mutation_id = ?',
  ),
  /**
   * claims a mutation id in the applying transaction (0 changes: applied before, or by another
   * process whose transaction committed first — the unique key makes the second one wait)
   */
  claimMutation: def<[string, string, string, string, string]>(
    "INSERT OR IGNORE INTO office_mutations (mutation_id, desk_id, case_id, type, result, applied_at) VALUES (?, ?, ?, ?, '', ?)",
  ),
  setMutationResult: def<[string, string]>(
    'UPDATE office_mutations SET result = ? WHERE mutation_id = ?',
  ),
  insertChange: def(
    `INSERT INTO office_changes (case_id, type, version, at, by_user, desk_id, colliding, mutation_id, payload)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ),
  collidedSince: def<[string, number, string], { n: number }>(
    'SELECT 1 AS n FROM office_changes WHERE case_id = ? AND version > ? AND colliding = 1 AND desk_id <> ? LIMIT 1',
  ),
  changesSince: def<[number, number], ChangeRow>(
    `SELECT ch.seq, ch.case_id, ch.type, ch.version, ch.at, ch.by_user, ch.payload,
       oc.procedure_id, oc.desk_id AS case_desk_id
     FROM office_changes ch JOIN office_cases oc ON oc.case_id = ch.case_id
     WHERE ch.seq > ? ORDER BY ch.seq LIMIT ?`,
  ),
  /** the cases whose documents reference a blob (who may read it) */
  blobCases: def<[string], { procedure_id: string; desk_id: string }>(
    `SELECT DISTINCT oc.procedure_id, oc.desk_id FROM office_documents d
     JOIN office_cases oc ON oc.case_id = d.case_id WHERE d.sha256 = ?`,
  ),
  putAbsence: def(
    `INSERT INTO office_absences (absence_id, user_id, substitute_id, from_date, until_date, by_user, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (absence_id) DO UPDATE SET user_id = excluded.user_id, substitute_id = excluded.substitute_id,
       from_date = excluded.from_date, until_date = excluded.until_date, by_user = excluded.by_user, updated_at = excluded.updated_at`,
  ),
  getAbsence: def<[string], AbsenceRow>('SELECT * FROM office_absences WHERE absence_id = ?'),
  deleteAbsence: def('DELETE FROM office_absences WHERE absence_id = ?'),
  absences: def<[], AbsenceRow>('SELECT * FROM office_absences ORDER BY from_date, absence_id'),
  standsIn: def<[string, string, string, string], { n: number }>(
    `SELECT 1 AS n FROM office_absences WHERE substitute_id = ? AND user_id = ? AND from_date <= ? AND until_date >= ? LIMIT 1`,
  ),
}

export type OfficeStatements = HubStorage['q']['office']
