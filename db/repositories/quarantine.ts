/**
 * The intake quarantine (table intake_quarantine): submissions that could not be stored and are
 * not clearly rejectable. Later passes skip them until the user asks for another attempt.
 */
import type { QuarantinedSubmission } from '../domain'
import { all, get, run, shape, sql, type ReadDb, type Row, type WriteDb } from '../sql'

export type { QuarantinedSubmission } from '../domain'

const row = shape({
  submission_id: 'text',
  hub_case_id: 'text?',
  first_failed_at: 'text',
  last_failed_at: 'text',
  attempts: 'int',
  reason: 'text',
  detail: 'text',
  retry_requested: 'int',
})
const COLUMNS = sql`submission_id, hub_case_id, first_failed_at, last_failed_at, attempts, reason, detail, retry_requested`
const toEntry = (raw: Row): QuarantinedSubmission => {
  const r = row(raw)
  return {
    submissionId: r.submission_id,
    hubCaseId: r.hub_case_id,
    firstFailedAt: r.first_failed_at,
    lastFailedAt: r.last_failed_at,
    attempts: r.attempts,
    reason: r.reason,
    detail: r.detail,
    retryRequested: r.retry_requested === 1,
  }
}

/** Parks a submission (or counts another failed attempt of a parked one); clears a retry request. */
export function quarantineSubmission(
  db: WriteDb,
  e: { submissionId: string; hubCaseId: string | null; at: string; reason: string; detail: string },
): void {
  run(
    db,
    sql`INSERT INTO intake_quarantine (submission_id, hub_case_id, first_failed_at, last_failed_at, reason, detail)
        VALUES (${e.submissionId}, ${e.hubCaseId}, ${e.at}, ${e.at}, ${e.reason}, ${e.detail})
        ON CONFLICT (submission_id) DO UPDATE SET last_failed_at = excluded.last_failed_at,
          attempts = attempts + 1, reason = excluded.reason, detail = excluded.detail, retry_requested = 0`,
  )
}

export function listQuarantine(db: ReadDb, limit = 500): QuarantinedSubmission[] {
  return all(
    db,
    sql`SELECT ${COLUMNS} FROM intake_quarantine ORDER BY first_failed_at, submission_id LIMIT ${limit}`,
    toEntry,
  )
}

export function quarantined(db: ReadDb, submissionId: string): QuarantinedSubmission | undefined {
  return get(
    db,
    sql`SELECT ${COLUMNS} FROM intake_quarantine WHERE submission_id = ${submissionId}`,
    toEntry,
  )
}

const idRow = shape({ submission_id: 'text' })
/** Ids the pass leaves alone: parked and no retry asked for. */
export function parkedIds(db: ReadDb): Set<string> {
  return new Set(
    all(
      db,
      sql`SELECT submission_id FROM intake_quarantine WHERE retry_requested = 0`,
      (r) => idRow(r).submission_id,
    ),
  )
}

/** intake.retry: the next pass tries these again. Returns how many were marked. */
export function requestRetry(db: WriteDb, submissionId?: string): number {
  return run(
    db,
    submissionId === undefined
      ? sql`UPDATE intake_quarantine SET retry_requested = 1`
      : sql`UPDATE intake_quarantine SET retry_requested = 1 WHERE submission_id = ${submissionId}`,
  ).changes
}

/** The submission was stored (or rejected) after all: it leaves the quarantine. */
export function releaseFromQuarantine(db: WriteDb, submissionId: string): void {
  run(db, sql`DELETE FROM intake_quarantine WHERE submission_id = ${submissionId}`)
}
