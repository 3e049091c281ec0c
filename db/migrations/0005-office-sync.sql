-- Office sync on the desk: the office's last known values per case field (to converge with the
-- hub and to resolve conflicts), retired duplicates, the hub version a mutation produced, blobs
-- to fetch from and already uploaded to the hub.
ALTER TABLE cases ADD COLUMN retired_into TEXT;
ALTER TABLE outbox ADD COLUMN hub_version INTEGER;

-- field ∈ assignee | status | follow_up; value is JSON; version = the hub version that wrote it
CREATE TABLE case_office (
  case_id TEXT NOT NULL,
  field   TEXT NOT NULL,
  value   TEXT NOT NULL,
  version INTEGER NOT NULL,
  PRIMARY KEY (case_id, field)
) STRICT;

CREATE TABLE blob_fetches (sha256 TEXT PRIMARY KEY) STRICT;
CREATE TABLE blob_uploads (sha256 TEXT PRIMARY KEY) STRICT;
