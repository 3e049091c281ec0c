import type { Db } from '../open'
import { scalar, sql, type ReadDb } from '../sql'

export type OutboxState = 'pending' | 'sent' | 'conflict' | 'rejected'
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
interface OutboxRow {
  seq: number
  mutation_id: string
  type: string
  case_id: string
  base_version: number
  at: string
  actor: string
  payload: string
  state: OutboxState
  attempts: number
  last_error: string | null
}
const toEntry = (r: OutboxRow): OutboxEntry => ({
  seq: r.seq,
  mutationId: r.mutation_id,
  type: r.type,
  caseId: r.case_id,
  baseVersion: r.base_version,
  at: r.at,
  actor: r.actor,
  payload: JSON.parse(r.payload) as unknown,
  state: r.state,
  attempts: r.attempts,
  lastError: r.last_error,
})

export function enqueueMutation(
  db: Db,
  m: { mutationId: string; type: string; caseId: string; baseVersion: number; at: string; actor: string; payload: unknown },
): void {
  db.prepare(
    `INSERT INTO outbox (mutation_id, type, case_id, base_version, at, actor, payload)
     VALUES (@mutationId, @type, @caseId, @baseVersion, @at, @actor, @payload)`,
  ).run({ ...m, payload: JSON.stringify(m.payload) })
}

export function outboxEntries(db: Db, states: OutboxState[], limit = 500): OutboxEntry[] {
  const marks = states.map(() => '?').join(',')
  return (db.prepare(`SELECT * FROM outbox WHERE state IN (${marks}) ORDER BY seq LIMIT ?`).all(...states, limit) as OutboxRow[]).map(toEntry)
}

export function outboxCounts(db: Db): { pending: number; conflicts: number; rejected: number } {
  const rows = db.prepare("SELECT state, count(*) AS n FROM outbox WHERE state <> 'sent' GROUP BY state").all() as { state: OutboxState; n: number }[]
  const n = (s: OutboxState) => rows.find((r) => r.state === s)?.n ?? 0
  return { pending: n('pending'), conflicts: n('conflict'), rejected: n('rejected') }
}

export function getCursor(db: Db, name: string): string | undefined {
  return (db.prepare('SELECT value FROM sync_cursors WHERE name = ?').get(name) as { value: string } | undefined)?.value
}
export function setCursor(db: Db, name: string, value: string): void {
  db.prepare('INSERT INTO sync_cursors (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value').run(name, value)
}

/** The dispatch date of a notice still waiting in the outbox (held while offline), if any. */
export function pendingNoticeDispatchDate(db: ReadDb, caseId: string): string | undefined {
  const v = scalar(db, sql`SELECT json_extract(payload, '$.dispatchDate') FROM outbox WHERE case_id = ${caseId} AND type = 'notice.issue' AND state = 'pending'`)
  return typeof v === 'string' ? v : undefined
}
