// The reference hub's store of replies (Rückkanal): one table with its own schema version in
// hub.sqlite (meta key `schema.replies`); on PostgreSQL part of the hub's migrations.
import type Database from 'better-sqlite3'
import { def } from './storage/stmt'

export type ReplyState = 'created' | 'submitted' | 'accepted'

export interface ReplyRow {
  reply_id: string
  case_id: string
  destination_id: string
  state: ReplyState
  encrypted_data: string | null
  data_hash: string | null
  created_at: number
  submitted_at: number | null
  accepted_at: number | null
}

export const REPLY_SQLITE_MIGRATIONS = [
  `CREATE TABLE replies (
     reply_id TEXT PRIMARY KEY, case_id TEXT NOT NULL, destination_id TEXT NOT NULL,
     state TEXT NOT NULL CHECK (state IN ('created','submitted','accepted')),
     encrypted_data TEXT, data_hash TEXT,
     created_at INTEGER NOT NULL, submitted_at INTEGER, accepted_at INTEGER);
   CREATE INDEX replies_case ON replies (case_id, created_at);`,
]

/** hub.sqlite: the replies table's own migrations, counted in meta `schema.replies`. */
export function migrateRepliesSqlite(db: Database.Database): void {
  const row = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?')
  const set = db.prepare(
    'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  )
  const version = Number(row.get('schema.replies')?.value ?? '0')
  for (let v = version; v < REPLY_SQLITE_MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(REPLY_SQLITE_MIGRATIONS[v]!)
      set.run('schema.replies', String(v + 1))
    })()
  }
}

export const REPLY_STATEMENTS = {
  get: def<[string], ReplyRow>('SELECT * FROM replies WHERE reply_id = ?'),
  insert: def<[string, string, string, number]>(
    `INSERT INTO replies (reply_id, case_id, destination_id, state, created_at)
     VALUES (?, ?, ?, 'created', ?)`,
  ),
  submit: def<[string, string, number, string]>(
    `UPDATE replies SET state = 'submitted', encrypted_data = ?, data_hash = ?, submitted_at = ?
     WHERE reply_id = ? AND state = 'created'`,
  ),
  accept: def<[number, string]>(
    `UPDATE replies SET state = 'accepted', accepted_at = ? WHERE reply_id = ? AND state = 'submitted'`,
  ),
  listForCases: def<[string], ReplyRow>(
    `SELECT * FROM replies WHERE state IN ('submitted','accepted')
       AND case_id IN (SELECT value FROM json_each(?)) ORDER BY submitted_at, reply_id`,
  ),
  listAll: def<[], ReplyRow>(
    `SELECT * FROM replies WHERE state IN ('submitted','accepted') ORDER BY submitted_at, reply_id`,
  ),
}
