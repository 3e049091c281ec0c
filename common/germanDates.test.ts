import { describe, expect, it } from 'vitest'
import { formatGermanDate, parseGermanDate } from './germanDates'

describe('German dates typed as text', () => {
  it('reads TT.MM.JJJJ, short forms and eight digits as ISO', () => {
    expect(parseGermanDate('15.01.2027')).toEqual({ ok: true, value: '2027-01-15' })
    expect(parseGermanDate(' 5.1.2027 ')).toEqual({ ok: true, value: '2027-01-05' })
    expect(parseGermanDate('5.1.27')).toEqual({ ok: true, value: '2027-01-05' })
    expect(parseGermanDate('15012027')).toEqual({ ok: true, value: '2027-01-15' })
    expect(parseGermanDate('29.02.2028')).toEqual({ ok: true, value: '2028-02-29' })
  })
  it('refuses the US order, ISO text, impossible days and empty input in German', () => {
    for (const bad of ['01/15/2027', '2027-01-15', 'morgen', '15.01.', '1.1.1'])
      expect(parseGermanDate(bad)).toMatchObject({
        ok: false,
        message: expect.stringContaining('TT.MM.JJJJ'),
      })
    expect(parseGermanDate('31.02.2027')).toEqual({
      ok: false,
      message: 'Den 31.02.2027 gibt es nicht.',
    })
    expect(parseGermanDate('15.13.2027')).toMatchObject({ ok: false })
    expect(parseGermanDate('29.02.2027')).toMatchObject({ ok: false })
    expect(parseGermanDate('')).toMatchObject({
      ok: false,
      message: expect.stringContaining('Bitte'),
    })
  })
  it('holds min and max', () => {
    expect(parseGermanDate('14.01.2027', { min: '2027-01-15' })).toEqual({
      ok: false,
      message: 'Das Datum darf nicht vor dem 15.01.2027 liegen.',
    })
    expect(parseGermanDate('15.01.2027', { min: '2027-01-15' })).toEqual({
      ok: true,
      value: '2027-01-15',
    })
    expect(parseGermanDate('16.01.2027', { max: '2027-01-15' })).toMatchObject({ ok: false })
  })
  it('formats ISO as German and leaves other text alone', () => {
    expect(formatGermanDate('2027-01-15')).toBe('15.01.2027')
    expect(formatGermanDate('')).toBe('')
  })
})
