// A change feed that never skips (#18 point 3). A BIGSERIAL seq is taken when the INSERT runs,
// not when the transaction commits: a reader can see seq 12 committed while seq 11 is still in
// flight, move its cursor past 11 and never see it. Here the seq comes from a single-row counter
// taken as the transaction's LAST statement: the row lock on the counter is held until commit, so
// the next writer gets seq+1 only after this one committed — sequence order = commit order, and a
// reader that sees seq n has already been able to see every seq below n.
import type pg from 'pg'

/** Schema for the feed; part of the hub's PostgreSQL migrations. */
export const FEED_SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS feed_counter (id SMALLINT PRIMARY KEY CHECK (id = 1), seq BIGINT NOT NULL);
INSERT INTO feed_counter (id, seq) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;
CREATE TABLE IF NOT EXISTS feed (
  seq BIGINT PRIMARY KEY,
  kind TEXT NOT NULL,
  payload JSONB NOT NULL,
  created_at BIGINT NOT NULL
);`

export interface FeedChange {
  kind: string
  payload: unknown
}
export interface FeedRow extends FeedChange {
  seq: number
  createdAt: number
}

/**
 * Appends one change inside the caller's open transaction (BEGIN … COMMIT is the caller's).
 * Call it as the transaction's last statement: the counter row stays locked until COMMIT, which
 * serialises feed writers for the short time between this call and the commit.
 */
export async function appendChange(
  client: pg.ClientBase,
  change: FeedChange,
  now = Date.now(),
): Promise<number> {
  const r = await client.query<{ seq: string }>(
    'UPDATE feed_counter SET seq = seq + 1 WHERE id = 1 RETURNING seq',
  )
  const seq = Number(r.rows[0]?.seq)
  if (!Number.isSafeInteger(seq)) throw new Error('feed_counter fehlt: Migrationen ausführen')
  await client.query('INSERT INTO feed (seq, kind, payload, created_at) VALUES ($1, $2, $3, $4)', [
    seq,
    change.kind,
    JSON.stringify(change.payload ?? null),
    now,
  ])
  return seq
}

/** Committed changes with seq > after, oldest first, at most `limit`. */
export async function readChanges(
  db: pg.Pool | pg.ClientBase,
  after: number,
  limit: number,
): Promise<FeedRow[]> {
  const r = await db.query<{ seq: string; kind: string; payload: unknown; created_at: string }>(
    'SELECT seq, kind, payload, created_at FROM feed WHERE seq > $1 ORDER BY seq LIMIT $2',
    [after, Math.max(1, Math.min(limit, 10_000))],
  )
  return r.rows.map((x) => ({
    seq: Number(x.seq),
    kind: x.kind,
    payload: x.payload,
    createdAt: Number(x.created_at),
  }))
}
