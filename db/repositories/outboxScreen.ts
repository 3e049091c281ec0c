// Outbox queries of the Synchronisation screen and status bar (sync.outbox/retry/discard).
import { all, get, oneOf, run, shape, sql, type ReadDb, type WriteDb } from '../sql'
import { OPEN_OUTBOX_STATES, OUTBOX_STATES, type OpenOutboxState, type OutboxState } from './outbox'

const statusCounts = shape({ pending: 'int', conflicts: 'int', failed: 'int' })
/** Outbox figures for the status bar: pending, open conflicts, failed (rejected). */
export function outboxStatusCounts(db: ReadDb): {
  pending: number
  conflicts: number
  failed: number
} {
  return (
    get(
      db,
      sql`SELECT coalesce(sum(state = 'pending'), 0) AS pending,
                 coalesce(sum(state = 'conflict' AND EXISTS (SELECT 1 FROM case_conflicts k WHERE k.mutation_id = outbox.mutation_id AND k.resolved_at IS NULL)), 0) AS conflicts,
                 coalesce(sum(state = 'rejected'), 0) AS failed
          FROM outbox WHERE state <> 'sent'`,
      statusCounts,
    ) ?? { pending: 0, conflicts: 0, failed: 0 }
  )
}

// Synchronisation screen (sync.outbox, sync.retry); rows keep the column names

const screenRow = shape({
  seq: 'int',
  mutation_id: 'text',
  type: 'text',
  case_id: 'text',
  at: 'text',
  actor: 'text',
  state: 'text',
  attempts: 'int',
  last_error: 'text?',
  result: 'text?',
  aktenzeichen: 'text?',
})
export type OutboxScreenRow = Omit<ReturnType<typeof screenRow>, 'state'> & {
  state: OpenOutboxState
}

/** Undelivered entries with the case's Aktenzeichen; a conflict only while it is open. */
export function outboxScreenRows(
  db: ReadDb,
  states: readonly OpenOutboxState[],
  limit: number,
): OutboxScreenRow[] {
  return all(
    db,
    sql`SELECT o.seq, o.mutation_id, o.type, o.case_id, o.at, o.actor, o.state, o.attempts, o.last_error, o.result, c.aktenzeichen
        FROM outbox o LEFT JOIN cases c ON c.id = o.case_id
        WHERE o.state IN ${sql.list(states)}
          AND (o.state <> 'conflict' OR EXISTS (SELECT 1 FROM case_conflicts k WHERE k.mutation_id = o.mutation_id AND k.resolved_at IS NULL))
        ORDER BY o.seq LIMIT ${limit}`,
    (row) => {
      const r = screenRow(row)
      return { ...r, state: oneOf(OPEN_OUTBOX_STATES, r.state, 'state') }
    },
  )
}

const retryRow = shape({ mutation_id: 'text', case_id: 'text', state: 'text' })
/** The entry `mutationId`, or without one every rejected entry: candidates for sending again. */
export function retryCandidates(
  db: ReadDb,
  mutationId?: string,
): { mutation_id: string; case_id: string; state: OutboxState }[] {
  const q = mutationId
    ? sql`SELECT mutation_id, case_id, state FROM outbox WHERE mutation_id = ${mutationId}`
    : sql`SELECT mutation_id, case_id, state FROM outbox WHERE state = 'rejected'`
  return all(db, q, (row) => {
    const r = retryRow(row)
    return { ...r, state: oneOf(OUTBOX_STATES, r.state, 'state') }
  })
}

/** A rejected entry goes to the hub again. */
export function requeueMutation(db: WriteDb, mutationId: string): void {
  run(
    db,
    sql`UPDATE outbox SET state = 'pending', last_error = NULL, result = NULL WHERE mutation_id = ${mutationId}`,
  )
}

const discardRow = shape({
  mutation_id: 'text',
  type: 'text',
  case_id: 'text',
  state: 'text',
  conflicts: 'int',
})
/** The entry as sync.discard checks it: type, case, state, and whether conflicts refer to it. */
export function discardCandidate(
  db: ReadDb,
  mutationId: string,
):
  | { mutation_id: string; type: string; case_id: string; state: string; conflicts: number }
  | undefined {
  return get(
    db,
    sql`SELECT o.mutation_id, o.type, o.case_id, o.state, (SELECT count(*) FROM case_conflicts k WHERE k.mutation_id = o.mutation_id) AS conflicts
        FROM outbox o WHERE o.mutation_id = ${mutationId}`,
    discardRow,
  )
}

/** A refused entry leaves the outbox for outbox_discarded (kept, never sent). */
export function discardMutation(db: WriteDb, mutationId: string, by: string, at: string): void {
  run(
    db,
    sql`INSERT INTO outbox_discarded (mutation_id, type, case_id, at, actor, payload, result, discarded_by, discarded_at)
        SELECT mutation_id, type, case_id, at, actor, payload, result, ${by}, ${at} FROM outbox WHERE mutation_id = ${mutationId} AND state = 'rejected'`,
  )
  run(db, sql`DELETE FROM outbox WHERE mutation_id = ${mutationId} AND state = 'rejected'`)
}
