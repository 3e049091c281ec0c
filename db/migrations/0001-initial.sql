-- Cases, documents (metadata + content hash), hash-chained history, notes, settings.
CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE cases (
  id                TEXT PRIMARY KEY,
  aktenzeichen      TEXT NOT NULL UNIQUE,
  procedure_id      TEXT NOT NULL,
  subject           TEXT NOT NULL,
  applicant_name    TEXT NOT NULL,
  applicant_address TEXT NOT NULL,
  status            TEXT NOT NULL DEFAULT 'eingegangen' CHECK (status IN
                      ('eingegangen','in_bearbeitung','nachforderung','entscheidungsreif',
                       'entschieden','versandt','abgeschlossen')),
  assignee          TEXT,
  received_at       TEXT NOT NULL,
  deadline          TEXT,
  follow_up         TEXT,
  channel           TEXT NOT NULL DEFAULT 'online' CHECK (channel IN ('online','paper','phone')),
  submission_id     TEXT UNIQUE,
  form_data         TEXT NOT NULL DEFAULT '{}',
  version           INTEGER NOT NULL DEFAULT 0,
  sync_state        TEXT NOT NULL DEFAULT 'local',
  updated_at        TEXT NOT NULL
) STRICT;
CREATE INDEX cases_by_assignee_deadline ON cases (assignee, deadline);
CREATE INDEX cases_by_deadline ON cases (deadline);
CREATE INDEX cases_by_received ON cases (received_at);
CREATE INDEX cases_by_follow_up ON cases (follow_up) WHERE follow_up IS NOT NULL;

CREATE TABLE documents (
  id         TEXT PRIMARY KEY,
  case_id    TEXT NOT NULL REFERENCES cases (id),
  kind       TEXT NOT NULL,
  title      TEXT NOT NULL,
  filename   TEXT NOT NULL,
  mime_type  TEXT NOT NULL,
  size       INTEGER NOT NULL CHECK (size >= 0),
  sha256     TEXT NOT NULL CHECK (length(sha256) = 64),
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX documents_by_case ON documents (case_id, created_at);

CREATE TABLE notes (
  id         TEXT PRIMARY KEY,
  case_id    TEXT NOT NULL REFERENCES cases (id),
  kind       TEXT NOT NULL DEFAULT 'note' CHECK (kind IN ('note','phone')),
  author     TEXT NOT NULL,
  text       TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX notes_by_case ON notes (case_id, created_at);

-- Append-only audit trail: every row carries the hash of the row before it.
CREATE TABLE case_history (
  seq       INTEGER PRIMARY KEY AUTOINCREMENT,
  case_id   TEXT NOT NULL REFERENCES cases (id),
  at        TEXT NOT NULL,
  actor     TEXT NOT NULL,
  action    TEXT NOT NULL,
  detail    TEXT NOT NULL DEFAULT '',
  prev_hash TEXT NOT NULL,
  hash      TEXT NOT NULL
) STRICT;
CREATE INDEX case_history_by_case ON case_history (case_id, seq);
CREATE TRIGGER case_history_no_update BEFORE UPDATE ON case_history
BEGIN SELECT RAISE(ABORT, 'case_history is append-only'); END;
CREATE TRIGGER case_history_no_delete BEFORE DELETE ON case_history
BEGIN SELECT RAISE(ABORT, 'case_history is append-only'); END;
