import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findPgBin, startPgCluster, type PgCluster } from '../../../testing/postgres/cluster'
import { def } from '../stmt'
import { toPostgres } from './dialect'
import { openPostgresStorage, type PgMigration } from './index'

describe('SQLite statement text on PostgreSQL', () => {
  it('numbers ? parameters and keeps ? inside string literals', () => {
    expect(toPostgres("SELECT a FROM t WHERE k = ? AND s = '?' AND v > ?").text).toBe(
      "SELECT a FROM t WHERE k = $1 AND s = '?' AND v > $2",
    )
  })
  it('maps @name parameters to $n in first-use order, reusing a repeated name', () => {
    const s = toPostgres(
      'INSERT INTO c (a, n) VALUES (@a, 1 + @n) ON CONFLICT (a) DO UPDATE SET n = c.n + @n',
    )
    expect(s.text).toBe(
      'INSERT INTO c (a, n) VALUES ($1, 1 + $2) ON CONFLICT (a) DO UPDATE SET n = c.n + $2',
    )
    expect(s.values([{ n: 3, a: 'x' }])).toEqual(['x', 3])
    expect(() => s.values([{ a: 'x' }])).toThrow('@n')
  })
  it('turns INSERT OR IGNORE into ON CONFLICT DO NOTHING', () => {
    expect(toPostgres('INSERT OR IGNORE INTO t (a) VALUES (?)').text).toBe(
      'INSERT INTO t (a) VALUES ($1) ON CONFLICT DO NOTHING',
    )
  })
})

const groups = {
  t: {
    put: def<[string, number]>('INSERT INTO t (k, v) VALUES (?, ?)'),
    putIgnore: def<[string, number]>('INSERT OR IGNORE INTO t (k, v) VALUES (?, ?)'),
    get: def<[string], { v: number }>('SELECT v FROM t WHERE k = ?'),
    count: def<[], { n: number }>('SELECT count(*) AS n FROM t'),
  },
}
const migrations: PgMigration[] = [
  { version: 1, name: 't', sql: 'CREATE TABLE t (k TEXT PRIMARY KEY, v BIGINT NOT NULL)' },
]

describe.skipIf(!findPgBin())('PostgreSQL storage', () => {
  let cluster: PgCluster
  let n = 0
  beforeAll(async () => {
    cluster = await startPgCluster()
  }, 60_000)
  afterAll(() => cluster?.stop())
  const freshDb = async () => {
    const name = `st${++n}`
    const c = new pg.Client({ connectionString: cluster.url })
    await c.connect()
    await c.query(`CREATE DATABASE ${name}`)
    await c.end()
    return cluster.urlFor(name)
  }

  it('migrates once even when two processes open at the same moment; count(*) is a number', async () => {
    const url = await freshDb()
    const [a, b] = await Promise.all([
      openPostgresStorage(url, groups, { migrations }),
      openPostgresStorage(url, groups, { migrations }),
    ])
    try {
      await a.q.t.put.run('x', 1)
      expect(await b.q.t.count.get()).toEqual({ n: 1 })
      expect((await a.q.t.putIgnore.run('x', 2)).changes).toBe(0)
    } finally {
      await a.close()
      await b.close()
    }
  })

  it('commits, rolls back, and a failed savepoint keeps the outer work', async () => {
    const s = await openPostgresStorage(await freshDb(), groups, { migrations })
    try {
      await expect(
        s.transaction(async (tx) => {
          await tx.t.put.run('gone', 1)
          throw new Error('boom')
        }),
      ).rejects.toThrow('boom')
      await s.transaction(async (tx) => {
        await tx.t.put.run('outer', 1)
        await s
          .transaction(async (inner) => {
            await inner.t.put.run('inner', 2)
            await inner.t.put.run('inner', 3) // unique violation aborts only the savepoint
          })
          .catch(() => undefined)
        // a statement of the root storage in this context belongs to the transaction
        expect(await s.q.t.get.get('outer')).toEqual({ v: 1 })
      })
      expect(await s.q.t.get.get('gone')).toBeUndefined()
      expect(await s.q.t.get.get('inner')).toBeUndefined()
      expect(await s.q.t.get.get('outer')).toEqual({ v: 1 })
    } finally {
      await s.close()
    }
  })

  it('survives the server ending an idle connection (restart, failover) and reconnects', async () => {
    const url = await freshDb()
    const s = await openPostgresStorage(url, groups, { migrations })
    try {
      await s.q.t.put.run('before', 1) // leaves an idle client in the pool
      const admin = new pg.Client({ connectionString: url })
      await admin.connect()
      try {
        const killed = await admin.query(
          'SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
        )
        expect(killed.rowCount).toBeGreaterThan(0)
      } finally {
        await admin.end()
      }
      // without an error listener the idle client's error would be an uncaught exception
      await new Promise((r) => setTimeout(r, 200))
      await s.q.t.put.run('after', 2)
      expect(await s.q.t.get.get('after')).toEqual({ v: 2 })
    } finally {
      await s.close()
    }
  })

  it('another context does not see a transaction before it commits', async () => {
    const s = await openPostgresStorage(await freshDb(), groups, { migrations })
    try {
      let inserted!: () => void
      const afterInsert = new Promise<void>((r) => (inserted = r))
      let readDone!: () => void
      const read = new Promise<void>((r) => (readDone = r))
      const tx = s.transaction(async (t) => {
        await t.t.put.run('x', 7)
        inserted()
        await read // commit only after the other request has read
      })
      // a separate request, started outside the transaction's async context
      await afterInsert
      const during = await s.q.t.get.get('x')
      readDone()
      await tx
      expect(await s.q.t.get.get('x')).toEqual({ v: 7 })
      expect(during).toBeUndefined()
    } finally {
      await s.close()
    }
  })
})
