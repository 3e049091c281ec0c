-- A local change the office refused and the clerk discarded (sync.discard): it leaves the outbox
-- and is kept here, so that the change feed still knows it as the desk's own and nothing is lost.
CREATE TABLE outbox_discarded (
  mutation_id  TEXT PRIMARY KEY,
  type         TEXT NOT NULL,
  case_id      TEXT NOT NULL,
  at           TEXT NOT NULL,
  actor        TEXT NOT NULL,
  payload      TEXT NOT NULL,
  result       TEXT,
  discarded_by TEXT NOT NULL,
  discarded_at TEXT NOT NULL
) STRICT;
