-- Closing (zdA) with the retention end from the file plan, and transfers to the archive:
-- a case's contents are deleted only after the archive confirmed the import (0506).
ALTER TABLE cases ADD COLUMN closed_at TEXT;
ALTER TABLE cases ADD COLUMN retention_end TEXT;
ALTER TABLE cases ADD COLUMN archived_at TEXT;
CREATE INDEX cases_retention ON cases (retention_end) WHERE status = 'abgeschlossen';

CREATE TABLE archive_transfers (
  prozess_id   TEXT PRIMARY KEY,
  created_at   TEXT NOT NULL,
  created_by   TEXT NOT NULL,
  case_ids     TEXT NOT NULL,
  file_0501    TEXT NOT NULL,
  file_0503    TEXT NOT NULL,
  confirmed_at TEXT
) STRICT;
