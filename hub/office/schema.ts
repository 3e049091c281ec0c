// The office store's tables (docs/hub-protocol.md, "Office"), a migration of the hub's own SQLite.
export const OFFICE_MIGRATION = `
CREATE TABLE office_cases (
  case_id TEXT PRIMARY KEY, submission_id TEXT UNIQUE, aktenzeichen TEXT NOT NULL UNIQUE,
  procedure_id TEXT NOT NULL, subject TEXT NOT NULL, applicant_name TEXT NOT NULL, applicant_address TEXT NOT NULL,
  received_at TEXT NOT NULL, deadline TEXT, channel TEXT NOT NULL, form_data TEXT NOT NULL,
  status TEXT NOT NULL, assignee TEXT, follow_up TEXT, version INTEGER NOT NULL,
  registered_by TEXT NOT NULL, desk_id TEXT NOT NULL, closed_at TEXT, retention_end TEXT, updated_at TEXT NOT NULL);
CREATE TABLE office_documents (
  document_id TEXT PRIMARY KEY, case_id TEXT NOT NULL REFERENCES office_cases(case_id), kind TEXT NOT NULL, title TEXT NOT NULL,
  filename TEXT NOT NULL, mime_type TEXT NOT NULL, size INTEGER NOT NULL, sha256 TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE INDEX office_documents_case ON office_documents (case_id);
CREATE TABLE office_notes (
  note_id TEXT PRIMARY KEY, case_id TEXT NOT NULL REFERENCES office_cases(case_id), kind TEXT NOT NULL, author TEXT NOT NULL,
  text TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE INDEX office_notes_case ON office_notes (case_id);
CREATE TABLE office_decisions (
  case_id TEXT PRIMARY KEY REFERENCES office_cases(case_id), outcome TEXT NOT NULL, fields TEXT NOT NULL, reasons TEXT NOT NULL,
  hearing TEXT NOT NULL, decided_by TEXT NOT NULL, decided_at TEXT NOT NULL, cosigned_by TEXT, cosigned_at TEXT);
CREATE TABLE office_notices (
  document_id TEXT PRIMARY KEY, case_id TEXT NOT NULL REFERENCES office_cases(case_id), sha256 TEXT NOT NULL,
  dispatch_date TEXT NOT NULL, issued_by TEXT NOT NULL, issued_at TEXT NOT NULL);
CREATE TABLE office_blobs (sha256 TEXT PRIMARY KEY, size INTEGER NOT NULL, bytes BLOB NOT NULL);
CREATE TABLE office_lease_counters (file_code TEXT NOT NULL, year INTEGER NOT NULL, next INTEGER NOT NULL, PRIMARY KEY (file_code, year));
CREATE TABLE office_leases (
  file_code TEXT NOT NULL, year INTEGER NOT NULL, number INTEGER NOT NULL, desk_id TEXT NOT NULL, leased_at TEXT NOT NULL,
  PRIMARY KEY (file_code, year, number));
CREATE TABLE office_mutations (
  mutation_id TEXT PRIMARY KEY, desk_id TEXT NOT NULL, case_id TEXT NOT NULL, type TEXT NOT NULL, result TEXT NOT NULL, applied_at TEXT NOT NULL);
CREATE TABLE office_changes (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, case_id TEXT NOT NULL, type TEXT NOT NULL, version INTEGER NOT NULL, at TEXT NOT NULL,
  by_user TEXT NOT NULL, desk_id TEXT NOT NULL, colliding INTEGER NOT NULL, mutation_id TEXT NOT NULL UNIQUE, payload TEXT NOT NULL);
CREATE INDEX office_changes_colliding ON office_changes (case_id, version) WHERE colliding = 1;
-- The case history is the change feed, per case.
CREATE VIEW office_history AS SELECT seq, case_id, at, by_user, type, version, mutation_id FROM office_changes;
`
