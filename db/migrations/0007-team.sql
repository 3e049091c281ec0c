-- Vertretung: a clerk's absence with a substitute; it ends by itself after `until`.
CREATE TABLE absences (
  id            TEXT PRIMARY KEY,
  user_id       TEXT NOT NULL,
  substitute_id TEXT NOT NULL,
  from_date     TEXT NOT NULL,
  until_date    TEXT NOT NULL CHECK (until_date >= from_date),
  created_by    TEXT NOT NULL,
  created_at    TEXT NOT NULL
) STRICT;
CREATE INDEX absences_by_substitute ON absences (substitute_id, from_date, until_date);
-- Workload queries group open cases by assignee and status.
CREATE INDEX cases_by_status_assignee ON cases (status, assignee);
