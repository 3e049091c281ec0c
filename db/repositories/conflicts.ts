/**
 * Conflicts the hub reported (table case_conflicts): the own change and the office's state are
 * both kept until the clerk chooses.
 */
import { all, get, run, shape, sql, type ReadDb, type Row, type WriteDb } from '../sql'

/** An open conflict with its outbox entry; `local`, `remote` and `payload` are the stored JSON texts. */
export interface OpenConflict {
  mutationId: string
  caseId: string
  local: string
  remote: string
  at: string
  type: string
  payload: string
  actor: string
}
const conflictRow = shape({
  mutation_id: 'text',
  case_id: 'text',
  local: 'text',
  remote: 'text',
  at: 'text',
  type: 'text',
  payload: 'text',
  actor: 'text',
})
const toConflict = (row: Row): OpenConflict => {
  const r = conflictRow(row)
  return {
    mutationId: r.mutation_id,
    caseId: r.case_id,
    local: r.local,
    remote: r.remote,
    at: r.at,
    type: r.type,
    payload: r.payload,
    actor: r.actor,
  }
}

/** Records (or reopens) the conflict of an own mutation. */
export function recordConflict(
  db: WriteDb,
  c: { mutationId: string; caseId: string; local: string; remote: string; at: string },
): void {
  run(
    db,
    sql`INSERT INTO case_conflicts (mutation_id, case_id, local, remote, at) VALUES (${c.mutationId}, ${c.caseId}, ${c.local}, ${c.remote}, ${c.at})
        ON CONFLICT (mutation_id) DO UPDATE SET local = excluded.local, remote = excluded.remote, at = excluded.at, resolved_at = NULL, resolution = NULL`,
  )
}

/** The case's open conflicts in outbox order. */
export function openConflictsOf(db: ReadDb, caseId: string): OpenConflict[] {
  return all(
    db,
    sql`SELECT k.mutation_id, k.case_id, k.local, k.remote, k.at, o.type, o.payload, o.actor
        FROM case_conflicts k JOIN outbox o ON o.mutation_id = k.mutation_id
        WHERE k.case_id = ${caseId} AND k.resolved_at IS NULL ORDER BY o.seq`,
    toConflict,
  )
}

/** The conflict of `mutationId` while it is open. */
export function openConflict(db: ReadDb, mutationId: string): OpenConflict | undefined {
  return get(
    db,
    sql`SELECT k.mutation_id, k.case_id, k.local, k.remote, k.at, o.type, o.payload, o.actor
        FROM case_conflicts k JOIN outbox o ON o.mutation_id = k.mutation_id WHERE k.mutation_id = ${mutationId} AND k.resolved_at IS NULL`,
    toConflict,
  )
}

export function markConflictResolved(
  db: WriteDb,
  mutationId: string,
  at: string,
  resolution: 'office' | 'mine',
): void {
  run(
    db,
    sql`UPDATE case_conflicts SET resolved_at = ${at}, resolution = ${resolution} WHERE mutation_id = ${mutationId}`,
  )
}

const caseIdRow = shape({ case_id: 'text' })
/** Cases with at least one open conflict. */
export function casesWithOpenConflicts(db: ReadDb): string[] {
  return all(
    db,
    sql`SELECT DISTINCT case_id FROM case_conflicts WHERE resolved_at IS NULL`,
    caseIdRow,
  ).map((r) => r.case_id)
}
