import type { IntakeLogEntry } from '../domain'
import type { Db } from '../open'

export type { IntakeLogEntry } from '../domain'


export function appendIntakeLog(db: Db, e: Omit<IntakeLogEntry, 'id'>): void {
  db.prepare(
    `INSERT INTO intake_log (at, submission_id, case_id, procedure, outcome, problem_type, reason)
     VALUES (@at, @submissionId, @caseId, @procedure, @outcome, @problemType, @reason)`,
  ).run(e)
}

export function listIntakeLog(db: Db, limit: number): IntakeLogEntry[] {
  return db
    .prepare(
      `SELECT id, at, submission_id AS submissionId, case_id AS caseId, procedure, outcome,
              problem_type AS problemType, reason
       FROM intake_log ORDER BY id DESC LIMIT ?`,
    )
    .all(limit) as IntakeLogEntry[]
}

/** Next local running number for a file-plan code and year (replaced by hub leases later). */
export function nextLocalNumber(db: Db, fileCode: string, year: number): number {
  const row = db
    .prepare(
      `INSERT INTO number_sequences (file_code, year, next) VALUES (?, ?, 2)
       ON CONFLICT (file_code, year) DO UPDATE SET next = next + 1
       RETURNING next - 1 AS n`,
    )
    .get(fileCode, year) as { n: number }
  return row.n
}
