/**
 * The transactional outbox (mutations waiting for, or answered by, the office hub) and the
 * sync cursors. The push loop's statements run once per mutation: their text is fixed, so the
 * statement cache of db/sql.ts keeps them prepared.
 */
import { all, get, oneOf, run, scalar, shape, sql, type ReadDb, type WriteDb } from '../sql'
export {
  discardCandidate,
  discardMutation,
  outboxScreenRows,
  outboxStatusCounts,
  requeueMutation,
  retryCandidates,
  type OutboxScreenRow,
} from './outboxScreen'

export const OUTBOX_STATES = ['pending', 'sent', 'conflict', 'rejected'] as const
export type OutboxState = (typeof OUTBOX_STATES)[number]
/** The states of entries not (yet) delivered, as the Synchronisation screen lists them. */
export const OPEN_OUTBOX_STATES = ['pending', 'conflict', 'rejected'] as const
export type OpenOutboxState = (typeof OPEN_OUTBOX_STATES)[number]

export interface OutboxEntry {
  seq: number
  mutationId: string
  type: string
  caseId: string
  baseVersion: number
  at: string
  actor: string
  payload: unknown
  state: OutboxState
  attempts: number
  lastError: string | null
}
const outboxRow = shape({
  seq: 'int',
  mutation_id: 'text',
  type: 'text',
  case_id: 'text',
  base_version: 'int',
  at: 'text',
  actor: 'text',
  payload: 'json',
  state: 'text',
  attempts: 'int',
  last_error: 'text?',
})
const toEntry = (r: ReturnType<typeof outboxRow>): OutboxEntry => ({
  seq: r.seq,
  mutationId: r.mutation_id,
  type: r.type,
  caseId: r.case_id,
  baseVersion: r.base_version,
  at: r.at,
  actor: r.actor,
  payload: r.payload,
  state: oneOf(OUTBOX_STATES, r.state, 'state'),
  attempts: r.attempts,
  lastError: r.last_error,
})

export function enqueueMutation(
  db: WriteDb,
  m: {
    mutationId: string
    type: string
    caseId: string
    baseVersion: number
    at: string
    actor: string
    payload: unknown
  },
): void {
  run(
    db,
    sql`INSERT INTO outbox (mutation_id, type, case_id, base_version, at, actor, payload)
        VALUES (${m.mutationId}, ${m.type}, ${m.caseId}, ${m.baseVersion}, ${m.at}, ${m.actor}, ${JSON.stringify(m.payload)})`,
  )
}

export function outboxEntries(
  db: ReadDb,
  states: readonly OutboxState[],
  limit = 500,
): OutboxEntry[] {
  return all(
    db,
    sql`SELECT seq, mutation_id, type, case_id, base_version, at, actor, payload, state, attempts, last_error
        FROM outbox WHERE state IN ${sql.list(states)} ORDER BY seq LIMIT ${limit}`,
    (r) => toEntry(outboxRow(r)),
  )
}

const stateCount = shape({ state: 'text', n: 'int' })
export function outboxCounts(db: ReadDb): { pending: number; conflicts: number; rejected: number } {
  const rows = all(
    db,
    sql`SELECT state, count(*) AS n FROM outbox WHERE state <> 'sent' GROUP BY state`,
    stateCount,
  )
  const n = (s: OutboxState) => rows.find((r) => r.state === s)?.n ?? 0
  return { pending: n('pending'), conflicts: n('conflict'), rejected: n('rejected') }
}

const cursorValue = shape({ value: 'text' })
export function getCursor(db: ReadDb, name: string): string | undefined {
  return get(db, sql`SELECT value FROM sync_cursors WHERE name = ${name}`, cursorValue)?.value
}
export function setCursor(db: WriteDb, name: string, value: string): void {
  run(
    db,
    sql`INSERT INTO sync_cursors (name, value) VALUES (${name}, ${value}) ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
  )
}

// ---------------------------------------------------------------------------------------------
// Push (main/features/sync/outbox.ts)

/** A pending mutation as the push loop sends it; `payload` is the stored JSON text. */
export interface PendingMutation {
  seq: number
  mutationId: string
  type: string
  caseId: string
  baseVersion: number
  at: string
  actor: string
  payload: string
}
const pendingRow = shape({
  seq: 'int',
  mutation_id: 'text',
  type: 'text',
  case_id: 'text',
  base_version: 'int',
  at: 'text',
  actor: 'text',
  payload: 'text',
})

/** The oldest pending mutations, in order. */
export function pendingMutations(db: ReadDb, limit: number): PendingMutation[] {
  return all(
    db,
    sql`SELECT seq, mutation_id, type, case_id, base_version, at, actor, payload FROM outbox WHERE state = 'pending' ORDER BY seq LIMIT ${limit}`,
    (row) => {
      const r = pendingRow(row)
      return {
        seq: r.seq,
        mutationId: r.mutation_id,
        type: r.type,
        caseId: r.case_id,
        baseVersion: r.base_version,
        at: r.at,
        actor: r.actor,
        payload: r.payload,
      }
    },
  )
}

export function countPendingMutations(db: ReadDb): number {
  return Number(scalar(db, sql`SELECT count(*) FROM outbox WHERE state = 'pending'`) ?? 0)
}

/** The hub applied the mutation (or had it already): delivered, with the hub's answer and version. */
export function markMutationSent(
  db: WriteDb,
  mutationId: string,
  a: { result: string; hubVersion: number | null; at: string },
): void {
  run(
    db,
    sql`UPDATE outbox SET state = 'sent', attempts = attempts + 1, last_error = NULL, result = ${a.result}, hub_version = ${a.hubVersion}, sent_at = ${a.at}
        WHERE mutation_id = ${mutationId} AND state = 'pending'`,
  )
}

/** The hub answered with a conflict or refused the mutation; it stays, visibly. */
export function markMutationFailed(
  db: WriteDb,
  mutationId: string,
  state: 'conflict' | 'rejected',
  error: string,
  result: string,
): void {
  run(
    db,
    sql`UPDATE outbox SET state = ${state}, attempts = attempts + 1, last_error = ${error}, result = ${result}
        WHERE mutation_id = ${mutationId} AND state = 'pending'`,
  )
}

/** One more attempt that did not deliver the mutation (it stays pending). */
export function recordMutationAttempt(db: WriteDb, mutationId: string, error: string): void {
  run(
    db,
    sql`UPDATE outbox SET attempts = attempts + 1, last_error = ${error} WHERE mutation_id = ${mutationId}`,
  )
}

const culpritRow = shape({ case_id: 'text', seq: 'int', type: 'text', at: 'text' })
/**
 * Per case, the first entry the hub refused for good — on its own or as the culprit of a whole
 * batch (`isolated`); the case's later entries wait behind it until it is sent again or discarded.
 */
export function refusedCulprits(
  db: ReadDb,
): Map<string, { seq: number; type: string; at: string }> {
  const rows = all(
    db,
    // type and at come from the row with the smallest seq (SQLite's bare columns with min())
    sql`SELECT case_id, min(seq) AS seq, type, at FROM outbox WHERE state = 'rejected' GROUP BY case_id`,
    culpritRow,
  )
  return new Map(rows.map((r) => [r.case_id, { seq: r.seq, type: r.type, at: r.at }]))
}

/** Whether the case's own registration still waits in the outbox. */
export function hasPendingRegistration(db: ReadDb, caseId: string): boolean {
  return (
    scalar(
      db,
      sql`SELECT 1 FROM outbox WHERE case_id = ${caseId} AND type = 'case.register' AND state = 'pending'`,
    ) !== undefined
  )
}

/** Whether this desk queued the mutation (the change feed skips its own). */
export function isOwnMutation(db: ReadDb, mutationId: string): boolean {
  return (
    scalar(
      db,
      sql`SELECT 1 FROM outbox WHERE mutation_id = ${mutationId} UNION ALL SELECT 1 FROM outbox_discarded WHERE mutation_id = ${mutationId}`,
    ) !== undefined
  )
}

// ---------------------------------------------------------------------------------------------
// Office state (main/features/sync/officeState.ts)

/**
 * Own unacknowledged mutations of the case (pending, or in an open conflict) of the given
 * types, besides `exceptMutationId`.
 */
export function countOpenIntentions(
  db: ReadDb,
  caseId: string,
  exceptMutationId: string,
  types: readonly string[],
): number {
  // the types go in as one JSON value, so the statement text is the same for every field
  return Number(
    scalar(
      db,
      sql`SELECT count(*) FROM outbox o WHERE o.case_id = ${caseId} AND o.mutation_id <> ${exceptMutationId}
            AND (o.state = 'pending' OR (o.state = 'conflict' AND EXISTS (SELECT 1 FROM case_conflicts k WHERE k.mutation_id = o.mutation_id AND k.resolved_at IS NULL)))
            AND o.type IN (SELECT value FROM json_each(${JSON.stringify(types)}))`,
    ) ?? 0,
  )
}

const caseCounts = shape({ pending: 'int', conflicts: 'int', rejected: 'int' })
/** The case's undelivered entries: pending, in an open conflict, rejected. */
export function caseOutboxCounts(
  db: ReadDb,
  caseId: string,
): { pending: number; conflicts: number; rejected: number } {
  return (
    get(
      db,
      sql`SELECT coalesce(sum(state = 'pending'), 0) AS pending,
                 coalesce(sum(state = 'conflict' AND EXISTS (SELECT 1 FROM case_conflicts k WHERE k.mutation_id = outbox.mutation_id AND k.resolved_at IS NULL)), 0) AS conflicts,
                 coalesce(sum(state = 'rejected'), 0) AS rejected
          FROM outbox WHERE case_id = ${caseId} AND state <> 'sent'`,
      caseCounts,
    ) ?? { pending: 0, conflicts: 0, rejected: 0 }
  )
}

// ---------------------------------------------------------------------------------------------
// Adoption and renumbering (main/features/sync/officeCases.ts)

/** The local registration of a case the office already had is superseded (`result` says by what). */
export function supersedeRegistration(
  db: WriteDb,
  caseId: string,
  result: string,
  at: string,
): void {
  run(
    db,
    sql`UPDATE outbox SET state = 'sent', result = ${result}, sent_at = ${at}
        WHERE case_id = ${caseId} AND type = 'case.register' AND state IN ('pending','conflict','rejected')`,
  )
}

/** Undelivered entries of one case follow another case (the adopted one). */
export function moveOpenMutations(db: WriteDb, fromCaseId: string, toCaseId: string): void {
  run(
    db,
    sql`UPDATE outbox SET case_id = ${toCaseId} WHERE case_id = ${fromCaseId} AND state IN ('pending','conflict','rejected')`,
  )
}

const typePayload = shape({ type: 'text', payload: 'text' })
/** Type and stored JSON payload of the case's pending mutations, in order. */
export function pendingMutationsOf(
  db: ReadDb,
  caseId: string,
): { type: string; payload: string }[] {
  return all(
    db,
    sql`SELECT type, payload FROM outbox WHERE case_id = ${caseId} AND state = 'pending' ORDER BY seq`,
    typePayload,
  )
}

/** The not yet delivered registration of the case goes again with a new Aktenzeichen. */
export function setRegistrationAktenzeichen(
  db: WriteDb,
  caseId: string,
  aktenzeichen: string,
): void {
  run(
    db,
    sql`UPDATE outbox SET payload = json_set(payload, '$.aktenzeichen', ${aktenzeichen})
        WHERE case_id = ${caseId} AND type = 'case.register' AND state IN ('pending','rejected')`,
  )
}

/** The dispatch date of a notice still waiting in the outbox (held while offline), if any. */
export function pendingNoticeDispatchDate(db: ReadDb, caseId: string): string | undefined {
  const v = scalar(
    db,
    sql`SELECT json_extract(payload, '$.dispatchDate') FROM outbox WHERE case_id = ${caseId} AND type = 'notice.issue' AND state = 'pending'`,
  )
  return typeof v === 'string' ? v : undefined
}

const caseActorRow = shape({ case_id: 'text', actor: 'text' })
/** The case and the acting user of an outbox entry (rights on sync.discard, sync.resolveConflict). */
export function mutationCaseOf(
  db: ReadDb,
  mutationId: string,
): { caseId: string; actor: string } | undefined {
  return get(db, sql`SELECT case_id, actor FROM outbox WHERE mutation_id = ${mutationId}`, (r) => {
    const x = caseActorRow(r)
    return { caseId: x.case_id, actor: x.actor }
  })
}
