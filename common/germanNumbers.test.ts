import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formatAmount, formatMoney, parseMoney } from './germanNumbers'

const value = (t: string) => {
  const r = parseMoney(t)
  if (!r.ok) throw new Error(r.message)
  return r.value
}

describe('German money', () => {
  it('reads German input with or without „€“', () => {
    expect(value('187,50')).toBe(187.5)
    expect(value('187,50 €')).toBe(187.5)
    expect(value('€ 187,5')).toBe(187.5)
    expect(value('1.234,56 €')).toBe(1234.56)
    expect(value('1.234,56\u00a0€')).toBe(1234.56)
    expect(value('1234,56')).toBe(1234.56)
    expect(value('1.234')).toBe(1234)
    expect(value('1.250.000')).toBe(1250000)
    expect(value('26,30 EUR')).toBe(26.3)
    expect(value('0,99')).toBe(0.99)
    expect(value('190')).toBe(190)
  })
  it('reads a dot with one or two digits as a decimal point, never as a thousands separator', () => {
    expect(value('187.5')).toBe(187.5)
    expect(value('99.90')).toBe(99.9)
  })
  it('refuses what is not an amount, in German', () => {
    expect(parseMoney('')).toMatchObject({ ok: false, message: expect.stringContaining('Betrag') })
    expect(parseMoney('abc')).toMatchObject({
      ok: false,
      message: expect.stringContaining('kein Betrag'),
    })
    expect(parseMoney('1,2,3')).toMatchObject({ ok: false })
    expect(parseMoney('12.34.5')).toMatchObject({ ok: false })
    expect(parseMoney('1.23,4')).toMatchObject({ ok: false })
    expect(parseMoney('-5,00')).toMatchObject({
      ok: false,
      message: expect.stringContaining('negativ'),
    })
    expect(parseMoney('1,234')).toMatchObject({
      ok: false,
      message: expect.stringContaining('zwei Nachkommastellen'),
    })
  })
  it('formats German', () => {
    expect(formatMoney(1234.56)).toBe('1.234,56\u00a0€')
    expect(formatMoney(187.5)).toBe('187,50\u00a0€')
    expect(formatAmount(187.5)).toBe('187,50')
    expect(formatAmount(1875)).toBe('1.875,00')
  })
  it('every amount in cents survives format → parse unchanged (shown in the input and as money)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000_000_00 }), (cents) => {
        const v = cents / 100
        expect(value(formatAmount(v))).toBe(v)
        expect(value(formatMoney(v))).toBe(v)
      }),
      { numRuns: 2000 },
    )
  })
})
