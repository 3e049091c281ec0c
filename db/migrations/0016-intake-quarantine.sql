-- Submissions the desk could not store and that are not clearly rejectable (issue #14): parked
-- here, visible in the Eingangsprotokoll with a German explanation, and skipped by later passes
-- until the user asks for another attempt (intake.retry). One row per submission id.
CREATE TABLE intake_quarantine (
  submission_id   TEXT PRIMARY KEY,
  hub_case_id     TEXT,
  first_failed_at TEXT NOT NULL,
  last_failed_at  TEXT NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 1,
  reason          TEXT NOT NULL,
  detail          TEXT NOT NULL,
  -- set by intake.retry: the next pass tries the submission again
  retry_requested INTEGER NOT NULL DEFAULT 0 CHECK (retry_requested IN (0, 1))
) STRICT;
