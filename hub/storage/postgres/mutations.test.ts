import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findPgBin, startPgCluster, type PgCluster } from '../../../testing/postgres/cluster'
import { applyOnce, MUTATIONS_SCHEMA_SQL } from './mutations'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe.skipIf(!findPgBin())(
  'mutation dedupe on PostgreSQL (needs Debian package postgresql)',
  () => {
    let cluster: PgCluster
    let a: pg.Pool
    let b: pg.Pool
    beforeAll(async () => {
      cluster = await startPgCluster()
      a = new pg.Pool({ connectionString: cluster.url, max: 2 })
      b = new pg.Pool({ connectionString: cluster.url, max: 2 })
      for (const p of [a, b]) p.on('error', () => undefined)
      await a.query(MUTATIONS_SCHEMA_SQL)
      await a.query('CREATE TABLE effects (mutation_id TEXT NOT NULL, by TEXT NOT NULL)')
    }, 60_000)
    afterAll(async () => {
      await a?.end()
      await b?.end()
      await cluster?.stop()
    })

    const effect = (id: string, by: string) => async (c: pg.PoolClient) => {
      await sleep(30) // hold the claim while the other connection arrives
      await c.query('INSERT INTO effects (mutation_id, by) VALUES ($1, $2)', [id, by])
      return by
    }
    const effectsOf = async (id: string) =>
      (await a.query<{ by: string }>('SELECT by FROM effects WHERE mutation_id = $1', [id])).rows

    it('the same id from two connections at once: exactly one applied, one duplicate', async () => {
      for (let i = 0; i < 10; i++) {
        const id = `m-${i}`
        const results = await Promise.all([
          applyOnce(a, id, effect(id, 'a')),
          applyOnce(b, id, effect(id, 'b')),
        ])
        expect(results.map((r) => r.status).sort()).toEqual(['applied', 'duplicate'])
        expect(await effectsOf(id)).toHaveLength(1)
      }
    })

    it('a claim whose transaction fails is released: the other connection applies it', async () => {
      const failing = applyOnce(a, 'm-fail', async () => {
        await sleep(30)
        throw new Error('Abbruch')
      })
      await sleep(5)
      const other = applyOnce(b, 'm-fail', effect('m-fail', 'b'))
      await expect(failing).rejects.toThrow('Abbruch')
      expect(await other).toEqual({ status: 'applied', value: 'b' })
      expect(await applyOnce(a, 'm-fail', effect('m-fail', 'a'))).toEqual({ status: 'duplicate' })
      expect(await effectsOf('m-fail')).toEqual([{ by: 'b' }])
    })
  },
)
