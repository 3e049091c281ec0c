-- Rückkanal (issue #16): the reply channel a submission names, and the outbox of replies to the
-- applicant (Bescheid, Nachforderung, Anhörung), each encrypted once to the applicant's key and
-- delivered into the FIT-Connect case with its delivery id as the idempotency key (the reply id
-- at the hub). `provided_on` starts the ten-day retrieval window (§ 41 Abs. 2a VwVfG).
ALTER TABLE submissions ADD COLUMN reply_channel TEXT;

CREATE TABLE reply_deliveries (
  delivery_id  TEXT PRIMARY KEY,
  case_id      TEXT NOT NULL REFERENCES cases (id),
  kind         TEXT NOT NULL CHECK (kind IN ('bescheid','nachforderung','anhoerung')),
  document_id  TEXT REFERENCES documents (id),
  hub_case_id  TEXT NOT NULL,
  jwe_sha256   TEXT NOT NULL,
  state        TEXT NOT NULL CHECK (state IN ('pending','delivered','retrieved','not_retrieved')),
  attempts     INTEGER NOT NULL DEFAULT 0,
  last_error   TEXT,
  created_at   TEXT NOT NULL,
  delivered_at TEXT,
  provided_on  TEXT,
  window_end   TEXT,
  retrieved_at TEXT
) STRICT;
CREATE INDEX reply_deliveries_open ON reply_deliveries (state, created_at) WHERE state IN ('pending','delivered');
CREATE INDEX reply_deliveries_case ON reply_deliveries (case_id, created_at);
