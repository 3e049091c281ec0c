-- Offline-first office sync: the transactional outbox, sync cursors, conflicts, number leases.
CREATE TABLE outbox (
  seq          INTEGER PRIMARY KEY AUTOINCREMENT,
  mutation_id  TEXT NOT NULL UNIQUE,
  type         TEXT NOT NULL,
  case_id      TEXT NOT NULL,
  base_version INTEGER NOT NULL,
  at           TEXT NOT NULL,
  actor        TEXT NOT NULL,
  payload      TEXT NOT NULL,
  state        TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','sent','conflict','rejected')),
  attempts     INTEGER NOT NULL DEFAULT 0,
  last_error   TEXT,
  result       TEXT,
  sent_at      TEXT
) STRICT;
CREATE INDEX outbox_by_state ON outbox (state, seq);
CREATE INDEX outbox_by_case ON outbox (case_id, seq);

CREATE TABLE sync_cursors (
  name  TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

-- A mutation the hub answered with `conflict`: both sides kept until the clerk chooses.
CREATE TABLE case_conflicts (
  mutation_id TEXT PRIMARY KEY REFERENCES outbox (mutation_id),
  case_id     TEXT NOT NULL,
  local       TEXT NOT NULL,
  remote      TEXT NOT NULL,
  at          TEXT NOT NULL,
  resolved_at TEXT,
  resolution  TEXT CHECK (resolution IN ('office','mine'))
) STRICT;
CREATE INDEX case_conflicts_open ON case_conflicts (case_id) WHERE resolved_at IS NULL;

-- Aktenzeichen numbers reserved for this desk by the hub; used_at set when a case takes one.
CREATE TABLE number_leases (
  file_code TEXT NOT NULL,
  year      INTEGER NOT NULL,
  number    INTEGER NOT NULL,
  used_at   TEXT,
  PRIMARY KEY (file_code, year, number)
) STRICT;
CREATE INDEX number_leases_free ON number_leases (file_code, year, number) WHERE used_at IS NULL;
