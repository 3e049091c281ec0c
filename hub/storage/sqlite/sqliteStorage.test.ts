import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { def } from '../stmt'
import { openSqliteStorage, type SqliteStorage } from './index'

const groups = {
  t: {
    put: def<[string, number]>('INSERT INTO t (k, v) VALUES (?, ?)'),
    get: def<[string], { v: number }>('SELECT v FROM t WHERE k = ?'),
    count: def<[], { n: number }>('SELECT count(*) AS n FROM t'),
  },
}
const tick = () => new Promise((r) => setTimeout(r, 5))

describe('SQLite storage: async transactions on one connection', () => {
  let s: SqliteStorage<typeof groups>
  afterEach(() => s?.close())
  const open = () =>
    (s = openSqliteStorage(join(mkdtempSync(join(tmpdir(), 'hub-st-')), 'h.sqlite'), groups, {
      migrations: ['CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL)'],
    }))

  it('commits on resolve and rolls back everything on throw', async () => {
    open()
    await s.transaction(async (tx) => {
      await tx.t.put.run('a', 1)
    })
    await expect(
      s.transaction(async (tx) => {
        await tx.t.put.run('b', 2)
        throw new Error('boom')
      }),
    ).rejects.toThrow('boom')
    expect((await s.q.t.count.get())!.n).toBe(1)
    expect(await s.q.t.get.get('b')).toBeUndefined()
  })

  it('a nested transaction is a savepoint: its rollback keeps the outer work', async () => {
    open()
    await s.transaction(async (tx) => {
      await tx.t.put.run('outer', 1)
      await s
        .transaction(async (inner) => {
          await inner.t.put.run('inner', 2)
          throw new Error('inner fails')
        })
        .catch(() => undefined)
    })
    expect((await s.q.t.get.get('outer'))?.v).toBe(1)
    expect(await s.q.t.get.get('inner')).toBeUndefined()
  })

  it('a statement from another async context waits for a running transaction (no dirty read)', async () => {
    open()
    let seen: number | undefined = -1
    const tx = s.transaction(async (t) => {
      await t.t.put.run('x', 7)
      await tick()
      // meanwhile another request reads: it must not see the uncommitted row yet
      await tick()
      throw new Error('rolled back')
    })
    const read = (async () => {
      await tick()
      seen = (await s.q.t.get.get('x'))?.v
    })()
    await expect(tx).rejects.toThrow()
    await read
    expect(seen).toBeUndefined()
  })

  it('concurrent transactions run one after the other, none lost', async () => {
    open()
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        s.transaction(async (tx) => {
          const n = (await tx.t.count.get())!.n
          await tick()
          await tx.t.put.run(`k${n}`, i)
        }),
      ),
    )
    expect((await s.q.t.count.get())!.n).toBe(20)
  })
})
