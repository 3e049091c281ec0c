import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import Database from 'better-sqlite3'
import { canonicalText, canonicalValue, InputShapeError } from './text'

describe('canonical text', () => {
  it('repairs lone surrogates and normalises to NFC', () => {
    expect(canonicalText('Anlage\ud800.pdf')).toBe('Anlage\ufffd.pdf')
    expect(canonicalText('Mu\u0308ller')).toBe('Müller')
    expect(canonicalText('Müller')).toBe('Müller')
  })

  it('any string, stored in SQLite and read back, equals its canonical form (full Unicode, lone surrogates)', () => {
    const db = new Database(':memory:')
    db.exec('CREATE TABLE t (v TEXT NOT NULL) STRICT')
    const ins = db.prepare('INSERT INTO t (v) VALUES (?)')
    const read = db.prepare('SELECT v FROM t WHERE rowid = ?').pluck()
    fc.assert(
      fc.property(fc.string({ unit: fc.oneof(fc.constantFrom('\ud800', '\udfff', 'e\u0301', '\u212b'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c))) }), (s) => {
        const c = canonicalText(s)
        const id = ins.run(c).lastInsertRowid
        expect(read.get(id)).toBe(c)
        expect(canonicalText(c)).toBe(c)
      }),
      { numRuns: 500 },
    )
  })

  it('canonicalises nested values, refuses prototype keys and hostile depth in German', () => {
    expect(canonicalValue({ a: ['x\ud800', { 'Mu\u0308ller': 1 }] })).toEqual({ a: ['x\ufffd', { Müller: 1 }] })
    // key order is kept (the form view and the stored JSON follow it)
    expect(JSON.stringify(canonicalValue({ z: 1, a: { y: 2, b: 3 }, m: [1, 2] }))).toBe('{"z":1,"a":{"y":2,"b":3},"m":[1,2]}')
    expect(() => canonicalValue(JSON.parse('{"a":{"__proto__":{"x":1}}}'))).toThrow(/„__proto__“ ist als Name nicht zulässig/)
    expect(() => canonicalValue({ constructor: 1 })).toThrow(InputShapeError)
    let deep: unknown = 'x'
    for (let i = 0; i < 100_000; i++) deep = { d: deep }
    expect(() => canonicalValue(deep)).toThrow(/zu tief verschachtelt/)
  })
})
