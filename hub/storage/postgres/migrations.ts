// The hub's PostgreSQL schema, numbered without gaps (hub_migrations, applied under an advisory
// lock by migratePostgres). The same tables as hub.sqlite after all its migrations, in
// PostgreSQL's types: epoch milliseconds as BIGINT, blobs as BYTEA, and the office change feed's
// seq from the commit-ordered counter (feed.ts) instead of AUTOINCREMENT. A new migration is a new
// entry at the end; an entry that has shipped is never edited.
import type { PgMigration } from './index'

const HUB_SCHEMA = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE clients (client_id TEXT PRIMARY KEY, secret_hash TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('subscriber','sender')), destinations TEXT NOT NULL);
CREATE TABLE tokens (token_hash TEXT PRIMARY KEY, client_id TEXT NOT NULL REFERENCES clients(client_id),
  expires_at BIGINT NOT NULL);
CREATE INDEX tokens_expiry ON tokens (expires_at);
CREATE TABLE destinations (destination_id TEXT PRIMARY KEY, status TEXT NOT NULL, encryption_kid TEXT NOT NULL,
  signature_kid TEXT NOT NULL, services TEXT NOT NULL);
CREATE TABLE destination_keys (destination_id TEXT NOT NULL REFERENCES destinations(destination_id), kid TEXT NOT NULL,
  jwk TEXT NOT NULL, PRIMARY KEY (destination_id, kid));
CREATE TABLE hub_keys (kid TEXT PRIMARY KEY, private_jwk TEXT NOT NULL, public_jwk TEXT NOT NULL);
CREATE TABLE submissions (
  submission_id TEXT PRIMARY KEY, case_id TEXT NOT NULL, destination_id TEXT NOT NULL REFERENCES destinations(destination_id),
  service_name TEXT NOT NULL, service_identifier TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('incomplete','submitted','accepted','rejected','deleted')),
  announced TEXT NOT NULL, encrypted_metadata TEXT, encrypted_data TEXT,
  created_at BIGINT NOT NULL, submitted_at BIGINT, closed_at BIGINT, rejected_by_hub INTEGER NOT NULL DEFAULT 0,
  deleted_at BIGINT, callback_url TEXT, callback_secret TEXT);
CREATE INDEX submissions_pending ON submissions (destination_id, state, submitted_at);
CREATE INDEX submissions_state ON submissions (state, submitted_at);
CREATE INDEX submissions_case ON submissions (case_id, created_at);
CREATE TABLE attachments (submission_id TEXT NOT NULL REFERENCES submissions(submission_id), attachment_id TEXT NOT NULL,
  jwe TEXT NOT NULL, PRIMARY KEY (submission_id, attachment_id));
CREATE TABLE events (seq BIGSERIAL PRIMARY KEY, case_id TEXT NOT NULL, event TEXT NOT NULL, token TEXT NOT NULL,
  created_at BIGINT NOT NULL);
CREATE INDEX events_case ON events (case_id, seq);

CREATE TABLE office_cases (
  case_id TEXT PRIMARY KEY, submission_id TEXT UNIQUE, aktenzeichen TEXT NOT NULL UNIQUE,
  procedure_id TEXT NOT NULL, subject TEXT NOT NULL, applicant_name TEXT NOT NULL, applicant_address TEXT NOT NULL,
  received_at TEXT NOT NULL, deadline TEXT, channel TEXT NOT NULL, form_data TEXT NOT NULL,
  status TEXT NOT NULL, assignee TEXT, follow_up TEXT, version INTEGER NOT NULL,
  registered_by TEXT NOT NULL, desk_id TEXT NOT NULL, closed_at TEXT, retention_end TEXT, updated_at TEXT NOT NULL);
CREATE TABLE office_documents (
  document_id TEXT PRIMARY KEY, case_id TEXT NOT NULL REFERENCES office_cases(case_id), kind TEXT NOT NULL, title TEXT NOT NULL,
  filename TEXT NOT NULL, mime_type TEXT NOT NULL, size BIGINT NOT NULL, sha256 TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE INDEX office_documents_case ON office_documents (case_id);
CREATE INDEX office_documents_sha ON office_documents (sha256);
CREATE TABLE office_notes (
  note_id TEXT PRIMARY KEY, case_id TEXT NOT NULL REFERENCES office_cases(case_id), kind TEXT NOT NULL, author TEXT NOT NULL,
  text TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE INDEX office_notes_case ON office_notes (case_id);
CREATE TABLE office_decisions (
  case_id TEXT PRIMARY KEY REFERENCES office_cases(case_id), outcome TEXT NOT NULL, fields TEXT NOT NULL, reasons TEXT NOT NULL,
  hearing TEXT NOT NULL, decided_by TEXT NOT NULL, decided_at TEXT NOT NULL, cosigned_by TEXT, cosigned_at TEXT,
  cosign_required INTEGER NOT NULL DEFAULT 0, draft INTEGER NOT NULL DEFAULT 0);
CREATE TABLE office_notices (
  document_id TEXT PRIMARY KEY, case_id TEXT NOT NULL REFERENCES office_cases(case_id), sha256 TEXT NOT NULL,
  dispatch_date TEXT NOT NULL, issued_by TEXT NOT NULL, issued_at TEXT NOT NULL);
CREATE TABLE office_blobs (sha256 TEXT PRIMARY KEY, size BIGINT NOT NULL, bytes BYTEA NOT NULL);
CREATE TABLE office_lease_counters (file_code TEXT NOT NULL, year INTEGER NOT NULL, next BIGINT NOT NULL,
  PRIMARY KEY (file_code, year));
CREATE TABLE office_leases (
  file_code TEXT NOT NULL, year INTEGER NOT NULL, number BIGINT NOT NULL, desk_id TEXT NOT NULL, leased_at TEXT NOT NULL,
  PRIMARY KEY (file_code, year, number));
CREATE TABLE office_mutations (
  mutation_id TEXT PRIMARY KEY, desk_id TEXT NOT NULL, case_id TEXT NOT NULL, type TEXT NOT NULL, result TEXT NOT NULL,
  applied_at TEXT NOT NULL);
-- the change feed: seq is taken from office_feed_counter as the transaction's last write (its
-- row lock is held until COMMIT), so seq order is commit order and a cursor never skips
CREATE TABLE office_feed_counter (id SMALLINT PRIMARY KEY CHECK (id = 1), seq BIGINT NOT NULL);
INSERT INTO office_feed_counter (id, seq) VALUES (1, 0);
CREATE TABLE office_changes (
  seq BIGINT PRIMARY KEY, case_id TEXT NOT NULL, type TEXT NOT NULL, version INTEGER NOT NULL, at TEXT NOT NULL,
  by_user TEXT NOT NULL, desk_id TEXT NOT NULL, colliding INTEGER NOT NULL, mutation_id TEXT NOT NULL UNIQUE,
  payload TEXT NOT NULL);
CREATE INDEX office_changes_colliding ON office_changes (case_id, version) WHERE colliding = 1;
CREATE VIEW office_history AS SELECT seq, case_id, at, by_user, type, version, mutation_id FROM office_changes;

CREATE TABLE desks (
  desk_id TEXT PRIMARY KEY, secret_hash TEXT NOT NULL, destinations TEXT NOT NULL, created_at BIGINT NOT NULL);
CREATE TABLE oidc_models (
  model TEXT NOT NULL, id TEXT NOT NULL, payload TEXT NOT NULL, grant_id TEXT, user_code TEXT, uid TEXT,
  expires_at BIGINT, consumed_at BIGINT, PRIMARY KEY (model, id));
CREATE INDEX oidc_models_grant ON oidc_models (grant_id);
CREATE INDEX oidc_models_uid ON oidc_models (uid);
CREATE INDEX oidc_models_user_code ON oidc_models (user_code);
CREATE TABLE office_absences (
  absence_id TEXT PRIMARY KEY, user_id TEXT NOT NULL, substitute_id TEXT NOT NULL,
  from_date TEXT NOT NULL, until_date TEXT NOT NULL, by_user TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE INDEX office_absences_user ON office_absences (user_id);

CREATE TABLE replies (
  reply_id TEXT PRIMARY KEY, case_id TEXT NOT NULL, destination_id TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('created','submitted','accepted')),
  encrypted_data TEXT, data_hash TEXT,
  created_at BIGINT NOT NULL, submitted_at BIGINT, accepted_at BIGINT);
CREATE INDEX replies_case ON replies (case_id, created_at);
`

export const HUB_PG_MIGRATIONS: readonly PgMigration[] = [
  { version: 1, name: '0001-hub-schema', sql: HUB_SCHEMA },
]
