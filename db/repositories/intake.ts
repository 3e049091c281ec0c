import type { IntakeLogEntry } from '../domain'
import { all, oneOf, run, shape, sql, type ReadDb, type WriteDb } from '../sql'

export type { IntakeLogEntry } from '../domain'

const OUTCOMES = ['accepted', 'rejected'] as const

export function appendIntakeLog(db: WriteDb, e: Omit<IntakeLogEntry, 'id'>): void {
  run(
    db,
    sql`INSERT INTO intake_log (at, submission_id, case_id, procedure, outcome, problem_type, reason)
        VALUES (${e.at}, ${e.submissionId}, ${e.caseId}, ${e.procedure}, ${e.outcome}, ${e.problemType}, ${e.reason})`,
  )
}

const logRow = shape({
  id: 'int',
  at: 'text',
  submission_id: 'text',
  case_id: 'text?',
  procedure: 'text?',
  outcome: 'text',
  problem_type: 'text?',
  reason: 'text',
})

export function listIntakeLog(db: ReadDb, limit: number): IntakeLogEntry[] {
  return all(
    db,
    sql`SELECT id, at, submission_id, case_id, procedure, outcome, problem_type, reason FROM intake_log ORDER BY id DESC LIMIT ${limit}`,
    (row) => {
      const r = logRow(row)
      return {
        id: r.id,
        at: r.at,
        submissionId: r.submission_id,
        caseId: r.case_id,
        procedure: r.procedure,
        outcome: oneOf(OUTCOMES, r.outcome, 'outcome'),
        problemType: r.problem_type,
        reason: r.reason,
      }
    },
  )
}

/** A case that waited for documents (Nachforderung) resumes when they arrive. */
export function resumeAfterFollowUp(db: WriteDb, caseId: string, at: string): void {
  run(
    db,
    sql`UPDATE cases SET status = 'in_bearbeitung', updated_at = ${at}, sync_state = 'pending' WHERE id = ${caseId}`,
  )
}
