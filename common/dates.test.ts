import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { berlinDate, germanDate, isRealDate } from './dates'

describe('dates', () => {
  it('knows which days exist', () => {
    for (const d of [
      '2026-02-30',
      '0000-00-00',
      '2026-13-01',
      '2026-04-31',
      '2100-02-29',
      '2026-1-01',
    ])
      expect(isRealDate(d), d).toBe(false)
    for (const d of ['2026-02-28', '2028-02-29', '2000-02-29', '0001-01-01', '2026-12-31'])
      expect(isRealDate(d), d).toBe(true)
  })
  it('agrees with the JavaScript calendar for every day of 1900–2100', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('1900-01-01T12:00:00Z'),
          max: new Date('2100-12-31T12:00:00Z'),
          noInvalidDate: true,
        }),
        (d) => {
          const iso = d.toISOString().slice(0, 10)
          expect(isRealDate(iso)).toBe(true)
        },
      ),
    )
  })
  it('formats German and takes the Berlin day', () => {
    expect(germanDate('2026-12-01')).toBe('01.12.2026')
    expect(berlinDate(new Date('2026-12-31T23:30:00Z'))).toBe('2027-01-01')
  })
})
