// Mutation dedupe across connections and hub processes (#18): the mutation id is claimed with
// INSERT … ON CONFLICT DO NOTHING inside the same transaction as the mutation's effects. A second
// transaction claiming the same id waits on the unique index until the first ends: if the first
// committed it sees the conflict (duplicate, no effects); if the first rolled back it claims the id
// itself and applies. Exactly one application per id, whichever connection gets there first.
import type pg from 'pg'

export const MUTATIONS_SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS applied_mutations (
  mutation_id TEXT PRIMARY KEY,
  applied_at BIGINT NOT NULL
);`

export type ApplyResult<T> = { status: 'applied'; value: T } | { status: 'duplicate' }

/** Runs `fn` in a transaction on its own pooled client unless `mutationId` was applied before. */
export async function applyOnce<T>(
  pool: pg.Pool,
  mutationId: string,
  fn: (client: pg.PoolClient) => Promise<T>,
  now = Date.now(),
): Promise<ApplyResult<T>> {
  if (mutationId.length === 0 || mutationId.length > 200) throw new Error('ungültige Mutations-ID')
  const client = await pool.connect()
  try {
    await client.query('BEGIN')
    const claim = await client.query(
      'INSERT INTO applied_mutations (mutation_id, applied_at) VALUES ($1, $2) ON CONFLICT (mutation_id) DO NOTHING',
      [mutationId, now],
    )
    if (claim.rowCount !== 1) {
      await client.query('ROLLBACK')
      return { status: 'duplicate' }
    }
    const value = await fn(client)
    await client.query('COMMIT')
    return { status: 'applied', value }
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined)
    throw e
  } finally {
    client.release()
  }
}
