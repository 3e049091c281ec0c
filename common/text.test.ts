import { describe, expect, it } from 'vitest'
import { canonicalText, canonicalValue, InputShapeError } from './text'

describe('canonical text', () => {
  it('repairs lone surrogates and normalises to NFC', () => {
    expect(canonicalText('Anlage\ud800.pdf')).toBe('Anlage\ufffd.pdf')
    expect(canonicalText('Mu\u0308ller')).toBe('Müller')
    expect(canonicalText('Müller')).toBe('Müller')
  })

  it('canonicalises nested values, refuses prototype keys and hostile depth in German', () => {
    expect(canonicalValue({ a: ['x\ud800', { 'Mu\u0308ller': 1 }] })).toEqual({
      a: ['x\ufffd', { Müller: 1 }],
    })
    // key order is kept (the form view and the stored JSON follow it)
    expect(JSON.stringify(canonicalValue({ z: 1, a: { y: 2, b: 3 }, m: [1, 2] }))).toBe(
      '{"z":1,"a":{"y":2,"b":3},"m":[1,2]}',
    )
    expect(() => canonicalValue(JSON.parse('{"a":{"__proto__":{"x":1}}}'))).toThrow(
      /„__proto__“ ist als Name nicht zulässig/,
    )
    expect(() => canonicalValue({ constructor: 1 })).toThrow(InputShapeError)
    let deep: unknown = 'x'
    for (let i = 0; i < 100_000; i++) deep = { d: deep }
    expect(() => canonicalValue(deep)).toThrow(/zu tief verschachtelt/)
  })
})
