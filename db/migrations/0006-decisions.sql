-- Decisions (Entscheidung) with four-eyes co-signing, and the issued notice with its
-- Bekanntgabe dates (§41 VwVfG) and the end of the objection period.
CREATE TABLE decisions (
  case_id          TEXT PRIMARY KEY REFERENCES cases (id),
  outcome          TEXT NOT NULL CHECK (outcome IN ('stattgegeben','teilweise_stattgegeben','abgelehnt','eingestellt')),
  fields           TEXT NOT NULL DEFAULT '{}',
  reasons          TEXT NOT NULL DEFAULT '',
  hearing          TEXT,
  decided_by       TEXT NOT NULL,
  decided_at       TEXT NOT NULL,
  cosign_required  INTEGER NOT NULL DEFAULT 0 CHECK (cosign_required IN (0, 1)),
  cosigned_by      TEXT,
  cosigned_at      TEXT,
  notice_document  TEXT REFERENCES documents (id),
  dispatch_date    TEXT,
  channel          TEXT CHECK (channel IN ('post','portal')),
  delivered_on     TEXT,
  objection_end    TEXT,
  late_confirmed   INTEGER NOT NULL DEFAULT 0
) STRICT;
