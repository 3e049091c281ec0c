-- Intake: raw submissions kept before accepting (docs/hub-protocol.md), the intake log and
-- local Aktenzeichen numbering (replaced by hub leases with office sync).
CREATE TABLE submissions (
  submission_id      TEXT PRIMARY KEY,
  hub_case_id        TEXT NOT NULL,
  destination_id     TEXT NOT NULL,
  case_id            TEXT REFERENCES cases (id),
  service_identifier TEXT NOT NULL,
  encrypted_metadata TEXT NOT NULL,
  encrypted_data     TEXT NOT NULL,
  attachments        TEXT NOT NULL DEFAULT '{}',
  auth_tags          TEXT NOT NULL DEFAULT '{}',
  problems           TEXT,
  stored_at          TEXT NOT NULL,
  acknowledged_at    TEXT,
  outcome            TEXT NOT NULL CHECK (outcome IN ('accepted','rejected'))
) STRICT;
CREATE INDEX submissions_unacknowledged ON submissions (acknowledged_at) WHERE acknowledged_at IS NULL;

CREATE TABLE intake_log (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  at            TEXT NOT NULL,
  submission_id TEXT NOT NULL,
  case_id       TEXT,
  procedure     TEXT,
  outcome       TEXT NOT NULL CHECK (outcome IN ('accepted','rejected')),
  problem_type  TEXT,
  reason        TEXT NOT NULL
) STRICT;
CREATE INDEX intake_log_by_time ON intake_log (at);

CREATE TABLE number_sequences (
  file_code TEXT NOT NULL,
  year      INTEGER NOT NULL,
  next      INTEGER NOT NULL,
  PRIMARY KEY (file_code, year)
) STRICT;
