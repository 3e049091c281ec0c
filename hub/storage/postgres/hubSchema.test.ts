// The hub's PostgreSQL migrations on an empty database: numbered without gaps, applied once, and
// every statement of every store (with its PostgreSQL override) prepares against the schema —
// a column, table or type the statements need and the migrations lack fails here, not in a hub.
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findPgBin, startPgCluster, type PgCluster } from '../../../testing/postgres/cluster'
import { HUB_STATEMENTS, HubDatabaseError, openHubStorage } from '../hub'
import { toPostgres } from './dialect'
import { HUB_PG_MIGRATIONS } from './migrations'
import { HUB_PG_OVERRIDES } from './overrides'

describe('hub PostgreSQL migrations', () => {
  it('are numbered 1, 2, … without gaps and have unique names', () => {
    expect(HUB_PG_MIGRATIONS.map((m) => m.version)).toEqual(HUB_PG_MIGRATIONS.map((_, i) => i + 1))
    expect(new Set(HUB_PG_MIGRATIONS.map((m) => m.name)).size).toBe(HUB_PG_MIGRATIONS.length)
  })
  it('override only statements that exist', () => {
    const groups = HUB_STATEMENTS as Record<string, Record<string, unknown>>
    for (const [g, o] of Object.entries(HUB_PG_OVERRIDES))
      for (const k of Object.keys(o ?? {})) expect(groups[g]?.[k], `${g}.${k}`).toBeDefined()
  })
})

describe.skipIf(!findPgBin())('hub schema on PostgreSQL (needs Debian package postgresql)', () => {
  let cluster: PgCluster
  let n = 0
  const freshDb = async () => {
    const name = `schema${++n}`
    const c = new pg.Client({ connectionString: cluster.url })
    await c.connect()
    await c.query(`CREATE DATABASE ${name}`)
    await c.end()
    return cluster.urlFor(name)
  }
  beforeAll(async () => {
    cluster = await startPgCluster()
  }, 60_000)
  afterAll(() => cluster?.stop())

  it('migrates an empty database once; every hub statement prepares against the schema', async () => {
    const url = await freshDb()
    const [a, b] = await Promise.all([
      openHubStorage({ dataDir: '/nonexistent', database: url }),
      openHubStorage({ dataDir: '/nonexistent', database: url }),
    ])
    await Promise.all([a.close(), b.close()])
    const c = new pg.Client({ connectionString: url })
    await c.connect()
    try {
      const applied = await c.query<{ version: number }>(
        'SELECT version FROM hub_migrations ORDER BY version',
      )
      expect(applied.rows.map((r) => r.version)).toEqual(HUB_PG_MIGRATIONS.map((m) => m.version))
      const failures: string[] = []
      let i = 0
      for (const [group, defs] of Object.entries(HUB_STATEMENTS)) {
        for (const [key, d] of Object.entries(defs as Record<string, { sql: string }>)) {
          const text = toPostgres(HUB_PG_OVERRIDES[group]?.[key] ?? d.sql).text
          // PREPARE parses, resolves every name and infers every parameter type, runs nothing
          try {
            await c.query(`PREPARE s${++i} AS ${text}`)
            await c.query(`DEALLOCATE s${i}`)
          } catch (e) {
            failures.push(`${group}.${key}: ${(e as Error).message}`)
          }
        }
      }
      expect(failures).toEqual([])
      expect(i).toBeGreaterThan(80)
    } finally {
      await c.end()
    }
  }, 60_000)

  it('a named lock is held by one storage (process) at a time; wait: false gives up at once', async () => {
    const url = await freshDb()
    const [a, b] = await Promise.all([
      openHubStorage({ dataDir: '/nonexistent', database: url }),
      openHubStorage({ dataDir: '/nonexistent', database: url }),
    ])
    try {
      let release!: () => void
      const held = new Promise<void>((r) => (release = r))
      let entered!: () => void
      const inside = new Promise<void>((r) => (entered = r))
      const first = a.lock('hub.retention-sweep', async () => {
        entered()
        await held
        return 'a'
      })
      await inside
      expect(
        await b.lock('hub.retention-sweep', () => Promise.resolve('b'), { wait: false }),
      ).toEqual({ ran: false })
      // another name is free
      expect(await b.lock('other', () => Promise.resolve('b'), { wait: false })).toEqual({
        ran: true,
        value: 'b',
      })
      release()
      expect(await first).toEqual({ ran: true, value: 'a' })
      expect(
        await b.lock('hub.retention-sweep', () => Promise.resolve('b'), { wait: false }),
      ).toEqual({ ran: true, value: 'b' })
    } finally {
      await Promise.all([a.close(), b.close()])
    }
  })

  it('an unreachable database is one clear German/English sentence, no stack trace', async () => {
    const url = cluster.urlFor('x').replace(/:\d+\//, ':1/')
    const e = await openHubStorage({ dataDir: '/nonexistent', database: url }).catch(
      (err: unknown) => err,
    )
    expect(e).toBeInstanceOf(HubDatabaseError)
    expect((e as Error).message).toMatch(/nicht erreichbar.*unreachable/)
    const unknownDb = await openHubStorage({
      dataDir: '/nonexistent',
      database: cluster.urlFor('does_not_exist'),
    }).catch((err: unknown) => err)
    expect((unknownDb as Error).message).toMatch(/nicht erreichbar.*3D000/)
  })
})
