// The regional backend: PostgreSQL through a `pg` Pool behind the async storage interface.
// A transaction holds one pooled client; statements called in its async context use that client,
// all others take any client from the pool. Deadlocks and serialization failures are retried.
import { AsyncLocalStorage } from 'node:async_hooks'
import pg from 'pg'
import type { Stmt, StmtDefs } from '../stmt'
import type { StatementGroups, Storage } from '../types'
import { toPostgres } from './dialect'

export interface PgMigration {
  /** 1, 2, … without gaps */
  version: number
  name: string
  sql: string
}

export interface PostgresOptions {
  migrations: readonly PgMigration[]
  /** per-backend statement text where the SQLite text does not translate */
  overrides?: Partial<Record<string, Record<string, string>>>
  poolSize?: number
  /** an idle connection ended by the server (default: one line on stderr) */
  onIdleError?: (err: Error) => void
}

export interface PostgresStorage<G extends Record<string, StmtDefs>> extends Storage<G> {
  readonly pool: pg.Pool
}

// BIGINT (int8, also count(*)) as a JS number: the hub's int8 values are epoch milliseconds and
// sequence numbers, far below 2^53
const parseText = (oid: number): ((v: string) => unknown) =>
  oid === 20
    ? (v: string) => Number(v)
    : (pg.types.getTypeParser(oid, 'text') as (v: string) => unknown)
const types = { getTypeParser: parseText as unknown as typeof pg.types.getTypeParser }

const RETRY = new Set(['40P01', '40001']) // deadlock_detected, serialization_failure
const MIGRATION_LOCK = 0x48554231 // pg_advisory_lock key: one process migrates at a time

export async function migratePostgres(
  client: pg.ClientBase,
  migrations: readonly PgMigration[],
): Promise<number> {
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK])
  try {
    await client.query(
      'CREATE TABLE IF NOT EXISTS hub_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())',
    )
    const done = new Set(
      (await client.query<{ version: number }>('SELECT version FROM hub_migrations')).rows.map(
        (r) => r.version,
      ),
    )
    let applied = 0
    for (const [i, m] of migrations.entries()) {
      if (m.version !== i + 1) throw new Error(`migration ${m.name}: expected number ${i + 1}`)
      if (done.has(m.version)) continue
      await client.query('BEGIN')
      try {
        await client.query(m.sql)
        await client.query('INSERT INTO hub_migrations (version, name) VALUES ($1, $2)', [
          m.version,
          m.name,
        ])
        await client.query('COMMIT')
        applied++
      } catch (e) {
        await client.query('ROLLBACK')
        throw e
      }
    }
    return applied
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK])
  }
}

export async function openPostgresStorage<G extends Record<string, StmtDefs>>(
  url: string,
  groups: G,
  opts: PostgresOptions,
): Promise<PostgresStorage<G>> {
  const pool = new pg.Pool({ connectionString: url, max: opts.poolSize ?? 10, types })
  // An idle pooled connection that the server ends (restart, failover, pg_terminate_backend) is
  // reported as a pool 'error' event; unhandled, it would end the hub process. The pool drops the
  // client and opens a new one on the next query, so a note on stderr is all that is needed.
  pool.on('error', (err) => {
    const note =
      opts.onIdleError ??
      ((e: Error) => console.warn(`PostgreSQL: idle connection closed (${e.message})`))
    note(err)
  })
  try {
    const first = await pool.connect()
    try {
      await migratePostgres(first, opts.migrations)
    } finally {
      first.release()
    }
  } catch (e) {
    await pool.end().catch(() => undefined)
    throw e
  }

  const context = new AsyncLocalStorage<{ client: pg.PoolClient; depth: number }>()
  const runner = () => context.getStore()?.client ?? pool

  const compile = (sql: string): Stmt<unknown[], unknown> => {
    const s = toPostgres(sql)
    const query = (args: unknown[]) => runner().query(s.text, s.values(args))
    return {
      get: async (...p) => (await query(p)).rows[0] as unknown,
      all: async (...p) => (await query(p)).rows as unknown[],
      run: async (...p) => ({ changes: (await query(p)).rowCount ?? 0 }),
    }
  }
  const q = Object.fromEntries(
    Object.entries(groups).map(([name, defs]) => [
      name,
      Object.fromEntries(
        Object.entries(defs).map(([k, d]) => [k, compile(opts.overrides?.[name]?.[k] ?? d.sql)]),
      ),
    ]),
  ) as StatementGroups<G>

  let savepoints = 0
  async function transaction<T>(fn: (tx: StatementGroups<G>) => Promise<T>): Promise<T> {
    const outer = context.getStore()
    if (outer) {
      const name = `sp${++savepoints}`
      await outer.client.query(`SAVEPOINT ${name}`)
      try {
        const result = await context.run({ ...outer, depth: outer.depth + 1 }, () => fn(q))
        await outer.client.query(`RELEASE SAVEPOINT ${name}`)
        return result
      } catch (e) {
        await outer.client.query(`ROLLBACK TO SAVEPOINT ${name}`)
        await outer.client.query(`RELEASE SAVEPOINT ${name}`)
        throw e
      }
    }
    for (let attempt = 1; ; attempt++) {
      const client = await pool.connect()
      try {
        await client.query('BEGIN')
        const result = await context.run({ client, depth: 0 }, () => fn(q))
        await client.query('COMMIT')
        return result
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined)
        const code = (e as { code?: string }).code
        if (code && RETRY.has(code) && attempt < 5) continue
        throw e
      } finally {
        client.release()
      }
    }
  }

  async function lock<T>(
    name: string,
    fn: () => Promise<T>,
    lockOpts: { wait?: boolean } = {},
  ): Promise<{ ran: true; value: T } | { ran: false }> {
    // a session-level advisory lock on a client of its own; fn's statements use the pool
    const client = await pool.connect()
    try {
      if (lockOpts.wait === false) {
        const r = await client.query<{ ok: boolean }>(
          'SELECT pg_try_advisory_lock(hashtext($1)) AS ok',
          [name],
        )
        if (!r.rows[0]?.ok) return { ran: false }
      } else await client.query('SELECT pg_advisory_lock(hashtext($1))', [name])
      try {
        return { ran: true, value: await fn() }
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', [name])
      }
    } finally {
      client.release()
    }
  }

  return { backend: 'postgres', pool, q, transaction, lock, close: () => pool.end() }
}
