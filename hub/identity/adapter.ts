// oidc-provider's storage in the hub's database (table oidc_models), so sessions, grants and
// refresh tokens survive a restart of the hub (the desk keeps its refresh token all day) and every
// hub process of one office sees them.
import type { HubStorage } from '../storage/hub'
import { def } from '../storage/stmt'

interface Row {
  payload: string
  expires_at: number | null
  consumed_at: number | null
}
type Payload = Record<string, unknown> & { grantId?: string; userCode?: string; uid?: string }

export const OIDC_STATEMENTS = {
  upsert: def(
    `INSERT INTO oidc_models (model, id, payload, grant_id, user_code, uid, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (model, id) DO UPDATE SET payload = excluded.payload, grant_id = excluded.grant_id,
       user_code = excluded.user_code, uid = excluded.uid, expires_at = excluded.expires_at`,
  ),
  find: def<[string, string], Row>(
    'SELECT payload, expires_at, consumed_at FROM oidc_models WHERE model = ? AND id = ?',
  ),
  byUid: def<[string, string], Row>(
    'SELECT payload, expires_at, consumed_at FROM oidc_models WHERE model = ? AND uid = ?',
  ),
  byUserCode: def<[string, string], Row>(
    'SELECT payload, expires_at, consumed_at FROM oidc_models WHERE model = ? AND user_code = ?',
  ),
  consume: def('UPDATE oidc_models SET consumed_at = ? WHERE model = ? AND id = ?'),
  destroy: def('DELETE FROM oidc_models WHERE model = ? AND id = ?'),
  revoke: def('DELETE FROM oidc_models WHERE grant_id = ?'),
  purge: def('DELETE FROM oidc_models WHERE expires_at IS NOT NULL AND expires_at < ?'),
}

export function createStorageAdapter(storage: HubStorage, clock: () => number) {
  const q = storage.q.oidc
  const now = () => Math.floor(Date.now() / 1000)
  const read = (row: Row | undefined): Payload | undefined => {
    if (!row) return undefined
    if (row.expires_at !== null && row.expires_at <= now()) return undefined
    const p = JSON.parse(row.payload) as Payload
    return row.consumed_at !== null ? { ...p, consumed: row.consumed_at } : p
  }
  let lastPurge = 0

  return class StorageAdapter {
    constructor(private readonly model: string) {}
    async upsert(id: string, payload: Payload, expiresIn?: number): Promise<void> {
      if (clock() - lastPurge > 60_000) {
        lastPurge = clock()
        await q.purge.run(now())
      }
      await q.upsert.run(
        this.model,
        id,
        JSON.stringify(payload),
        payload.grantId ?? null,
        payload.userCode ?? null,
        payload.uid ?? null,
        expiresIn ? now() + expiresIn : null,
      )
    }
    async find(id: string) {
      return read(await q.find.get(this.model, id))
    }
    async findByUid(uid: string) {
      return read(await q.byUid.get(this.model, uid))
    }
    async findByUserCode(userCode: string) {
      return read(await q.byUserCode.get(this.model, userCode))
    }
    async consume(id: string): Promise<void> {
      await q.consume.run(now(), this.model, id)
    }
    async destroy(id: string): Promise<void> {
      await q.destroy.run(this.model, id)
    }
    async revokeByGrantId(grantId: string): Promise<void> {
      await q.revoke.run(grantId)
    }
  }
}
