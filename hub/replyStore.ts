// The reference hub's store of replies (Rückkanal): one table in hub.sqlite with its own schema
// version (meta key `schema.replies`), so it can move to another engine on its own.
import type { Store } from './store'

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

const REPLY_MIGRATIONS = [
  `CREATE TABLE replies (
     reply_id TEXT PRIMARY KEY, case_id TEXT NOT NULL, destination_id TEXT NOT NULL,
     state TEXT NOT NULL CHECK (state IN ('created','submitted','accepted')),
     encrypted_data TEXT, data_hash TEXT,
     created_at INTEGER NOT NULL, submitted_at INTEGER, accepted_at INTEGER);
   CREATE INDEX replies_case ON replies (case_id, created_at);`,
]

export function openReplyStore(store: Store) {
  const { db } = store
  const version = Number(store.getMeta('schema.replies') ?? '0')
  for (let v = version; v < REPLY_MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(REPLY_MIGRATIONS[v]!)
      store.setMeta('schema.replies', String(v + 1))
    })()
  }
  const q = {
    get: db.prepare<[string], ReplyRow>('SELECT * FROM replies WHERE reply_id = ?'),
    insert: db.prepare<[string, string, string, number]>(
      `INSERT INTO replies (reply_id, case_id, destination_id, state, created_at)
       VALUES (?, ?, ?, 'created', ?)`,
    ),
    submit: db.prepare<[string, string, number, string]>(
      `UPDATE replies SET state = 'submitted', encrypted_data = ?, data_hash = ?, submitted_at = ?
       WHERE reply_id = ? AND state = 'created'`,
    ),
    accept: db.prepare<[number, string]>(
      `UPDATE replies SET state = 'accepted', accepted_at = ? WHERE reply_id = ? AND state = 'submitted'`,
    ),
    listForCases: db.prepare<[string], ReplyRow>(
      `SELECT * FROM replies WHERE state IN ('submitted','accepted')
         AND case_id IN (SELECT value FROM json_each(?)) ORDER BY submitted_at, reply_id`,
    ),
    listAll: db.prepare<[], ReplyRow>(
      `SELECT * FROM replies WHERE state IN ('submitted','accepted') ORDER BY submitted_at, reply_id`,
    ),
  }
  return { q, transaction: <T>(fn: () => T) => db.transaction(fn)() }
}

export type ReplyStore = ReturnType<typeof openReplyStore>
