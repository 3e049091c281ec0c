import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findPgBin, startPgCluster, type PgCluster } from './cluster'

describe.skipIf(!findPgBin())('throwaway PostgreSQL cluster', () => {
  let cluster: PgCluster
  beforeAll(async () => {
    cluster = await startPgCluster()
  }, 60_000)
  afterAll(() => cluster?.stop())

  it('serves SQL on its port and a database created from it is independent', async () => {
    const admin = new pg.Client({ connectionString: cluster.url })
    await admin.connect()
    try {
      await admin.query('CREATE DATABASE t1')
      const c = new pg.Client({ connectionString: cluster.urlFor('t1') })
      await c.connect()
      try {
        await c.query('CREATE TABLE x (n int)')
        await c.query('INSERT INTO x VALUES (41), (42)')
        const r = await c.query<{ s: number }>('SELECT sum(n)::int AS s FROM x')
        expect(r.rows[0]!.s).toBe(83)
      } finally {
        await c.end()
      }
      const other = await admin.query("SELECT to_regclass('public.x') AS t")
      expect(other.rows[0]).toEqual({ t: null })
    } finally {
      await admin.end()
    }
  })
})
