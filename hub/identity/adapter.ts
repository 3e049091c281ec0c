// oidc-provider's storage in hub.sqlite (table oidc_models), so sessions, grants and refresh
// tokens survive a restart of the hub (the desk keeps its refresh token all day).
import type { Database } from 'better-sqlite3'

interface Row {
  payload: string
  expires_at: number | null
  consumed_at: number | null
}
type Payload = Record<string, unknown> & { grantId?: string; userCode?: string; uid?: string }

export function createSqliteAdapter(db: Database, clock: () => number) {
  const q = {
    upsert: db.prepare(
      `INSERT INTO oidc_models (model, id, payload, grant_id, user_code, uid, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (model, id) DO UPDATE SET payload = excluded.payload, grant_id = excluded.grant_id,
         user_code = excluded.user_code, uid = excluded.uid, expires_at = excluded.expires_at`,
    ),
    find: db.prepare<[string, string], Row>(
      'SELECT payload, expires_at, consumed_at FROM oidc_models WHERE model = ? AND id = ?',
    ),
    byUid: db.prepare<[string, string], Row>(
      'SELECT payload, expires_at, consumed_at FROM oidc_models WHERE model = ? AND uid = ?',
    ),
    byUserCode: db.prepare<[string, string], Row>(
      'SELECT payload, expires_at, consumed_at FROM oidc_models WHERE model = ? AND user_code = ?',
    ),
    consume: db.prepare('UPDATE oidc_models SET consumed_at = ? WHERE model = ? AND id = ?'),
    destroy: db.prepare('DELETE FROM oidc_models WHERE model = ? AND id = ?'),
    revoke: db.prepare('DELETE FROM oidc_models WHERE grant_id = ?'),
    purge: db.prepare('DELETE FROM oidc_models WHERE expires_at IS NOT NULL AND expires_at < ?'),
  }
  const now = () => Math.floor(Date.now() / 1000)
  const read = (row: Row | undefined): Payload | undefined => {
    if (!row) return undefined
    if (row.expires_at !== null && row.expires_at <= now()) return undefined
    const p = JSON.parse(row.payload) as Payload
    return row.consumed_at !== null ? { ...p, consumed: row.consumed_at } : p
  }
  let lastPurge = 0

  return class SqliteAdapter {
    constructor(private readonly model: string) {}
    upsert(id: string, payload: Payload, expiresIn?: number): Promise<void> {
      if (clock() - lastPurge > 60_000) {
        lastPurge = clock()
        q.purge.run(now())
      }
      q.upsert.run(
        this.model,
        id,
        JSON.stringify(payload),
        payload.grantId ?? null,
        payload.userCode ?? null,
        payload.uid ?? null,
        expiresIn ? now() + expiresIn : null,
      )
      return Promise.resolve()
    }
    find(id: string) {
      return Promise.resolve(read(q.find.get(this.model, id)))
    }
    findByUid(uid: string) {
      return Promise.resolve(read(q.byUid.get(this.model, uid)))
    }
    findByUserCode(userCode: string) {
      return Promise.resolve(read(q.byUserCode.get(this.model, userCode)))
    }
    consume(id: string): Promise<void> {
      q.consume.run(now(), this.model, id)
      return Promise.resolve()
    }
    destroy(id: string): Promise<void> {
      q.destroy.run(this.model, id)
      return Promise.resolve()
    }
    revokeByGrantId(grantId: string): Promise<void> {
      q.revoke.run(grantId)
      return Promise.resolve()
    }
  }
}
