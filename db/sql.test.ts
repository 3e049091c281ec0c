import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { canonicalText } from '../common/text'
import {
  all,
  durableTransaction,
  get,
  oneOf,
  run,
  RowShapeError,
  scalar,
  shape,
  sql,
  type ReadDb,
  type WriteDb,
} from './sql'

function memory(): WriteDb {
  const db = new Database(':memory:') as WriteDb
  db.exec('CREATE TABLE t (id TEXT PRIMARY KEY, n INTEGER, note TEXT, data TEXT) STRICT')
  return db
}
const tRow = shape({ id: 'text', n: 'int', note: 'text?', data: 'json?' })

describe('sql tag', () => {
  it('binds interpolated values, so a hostile string stays a value', () => {
    const db = memory()
    const evil = "x'); DROP TABLE t; --"
    run(db, sql`INSERT INTO t (id, n) VALUES (${evil}, ${1})`)
    expect(all(db, sql`SELECT id, n, note, data FROM t WHERE id = ${evil}`, tRow)).toEqual([
      { id: evil, n: 1, note: null, data: null },
    ])
    expect(scalar(db, sql`SELECT COUNT(*) FROM t`)).toBe(1)
  })

  it('composes fragments with their values in order', () => {
    const db = memory()
    for (const [id, n] of [
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ] as const)
      run(db, sql`INSERT INTO t (id, n, data) VALUES (${id}, ${n}, ${JSON.stringify({ n })})`)
    const filters = [sql`n >= ${2}`, sql`id IN ${sql.list(['a', 'b', 'c'])}`]
    const q = sql`SELECT id, n, note, data FROM t WHERE ${sql.join(filters, ' AND ')} ORDER BY n ${sql.keyword('DESC')}`
    expect(q.text).toBe(
      'SELECT id, n, note, data FROM t WHERE n >= ? AND id IN (?, ?, ?) ORDER BY n DESC',
    )
    expect(all(db, q, tRow).map((r) => [r.id, r.data])).toEqual([
      ['c', { n: 3 }],
      ['b', { n: 2 }],
    ])
    // an empty IN list matches nothing instead of being a syntax error
    expect(all(db, sql`SELECT id, n, note, data FROM t WHERE id IN ${sql.list([])}`, tRow)).toEqual(
      [],
    )
    expect(sql.join([], ' AND ', sql.true).text).toBe('1')
  })

  it('keyword accepts only string literals', () => {
    const fromOutside: string = 'id; DROP TABLE t'
    // @ts-expect-error a runtime string cannot become raw SQL
    sql.keyword(fromOutside)
    expect(sql.keyword('ASC').text).toBe('ASC')
  })

  it('row shapes refuse a value of the wrong storage type with a German message', () => {
    const db = memory()
    run(db, sql`INSERT INTO t (id, n) VALUES (${'a'}, ${1})`)
    expect(() => get(db, sql`SELECT id, n, n AS note, data FROM t`, tRow)).toThrow(RowShapeError)
    expect(() => get(db, sql`SELECT id, n, n AS note, data FROM t`, tRow)).toThrow(
      /Spalte „note“: Text erwartet, number erhalten/,
    )
    expect(() => get(db, sql`SELECT id, note AS n, note, data FROM t`, tRow)).toThrow(
      /Spalte „n“: ein Wert erwartet, NULL erhalten/,
    )
    expect(oneOf(['a', 'b'] as const, 'a', 'x')).toBe('a')
    expect(() => oneOf(['a', 'b'] as const, 'z', 'status')).toThrow(/status/)
  })

  it('scalar leaves the cached statement usable for full rows even when it throws', () => {
    const db = memory()
    const q = (text: string) => sql`SELECT json(${text}) AS j`
    expect(() => scalar(db, q('kein JSON'))).toThrow(/malformed JSON/)
    // the same SQL text is the same cached statement: it must give rows again, not plucked values
    expect(get(db, q('{"a":1}'), shape({ j: 'text' }))).toEqual({ j: '{"a":1}' })
  })

  it('a read-only handle cannot run a writing statement (compile time)', () => {
    const db = memory()
    const reader: ReadDb = db
    // @ts-expect-error run needs a WriteDb
    expect(() => run(reader, sql`DELETE FROM t`)).not.toThrow()
    // @ts-expect-error a ReadDb has no prepare()
    expect(typeof reader.prepare).toBe('function')
  })

  it('durableTransaction commits with synchronous = FULL and restores NORMAL, also after a throw', () => {
    const db = memory()
    db.pragma('synchronous = NORMAL')
    const level = () => db.pragma('synchronous', { simple: true })
    expect(durableTransaction(db, () => level())).toBe(2)
    expect(level()).toBe(1)
    expect(() =>
      durableTransaction(db, () => {
        throw new Error('x')
      }),
    ).toThrow('x')
    expect(level()).toBe(1)
  })

  it('canonical text: any string, stored in SQLite and read back, equals its canonical form (full Unicode, lone surrogates)', () => {
    const db = memory()
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.oneof(
            fc.constantFrom('\ud800', '\udfff', 'e\u0301', '\u212b'),
            fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
            fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
          ),
        }),
        (s) => {
          const c = canonicalText(s)
          const id = run(
            db,
            sql`INSERT INTO t (id, n, note) VALUES (${crypto.randomUUID()}, ${0}, ${c})`,
          ).lastInsertRowid
          expect(scalar(db, sql`SELECT note FROM t WHERE rowid = ${id}`)).toBe(c)
          expect(canonicalText(c)).toBe(c)
        },
      ),
      { numRuns: 500 },
    )
  })
})
