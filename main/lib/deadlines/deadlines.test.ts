import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  bekanntgabe,
  bussUndBettag,
  daysLeft,
  deadlineStatus,
  followUpsDue,
  holidayNameSN,
  holidaysSN,
  isHolidaySN,
  isWorkingDay,
  periodEnd,
  statutoryDeadline,
  weekday,
  type PeriodLength,
} from './index'

describe('Saxon public holidays', () => {
  // SächsSFG § 1, computed by hand for the two years the desk is rolled out in.
  const expected: Record<number, Array<[string, string]>> = {
    2026: [
      ['2026-01-01', 'Neujahr'],
      ['2026-04-03', 'Karfreitag'],
      ['2026-04-06', 'Ostermontag'],
      ['2026-05-01', 'Tag der Arbeit'],
      ['2026-05-14', 'Christi Himmelfahrt'],
      ['2026-05-25', 'Pfingstmontag'],
      ['2026-10-03', 'Tag der Deutschen Einheit'],
      ['2026-10-31', 'Reformationstag'],
      ['2026-11-18', 'Buß- und Bettag'],
      ['2026-12-25', '1. Weihnachtsfeiertag'],
      ['2026-12-26', '2. Weihnachtsfeiertag'],
    ],
    2027: [
      ['2027-01-01', 'Neujahr'],
      ['2027-03-26', 'Karfreitag'],
      ['2027-03-29', 'Ostermontag'],
      ['2027-05-01', 'Tag der Arbeit'],
      ['2027-05-06', 'Christi Himmelfahrt'],
      ['2027-05-17', 'Pfingstmontag'],
      ['2027-10-03', 'Tag der Deutschen Einheit'],
      ['2027-10-31', 'Reformationstag'],
      ['2027-11-17', 'Buß- und Bettag'],
      ['2027-12-25', '1. Weihnachtsfeiertag'],
      ['2027-12-26', '2. Weihnachtsfeiertag'],
    ],
  }

  it.each([2026, 2027])('lists exactly the SächsSFG holidays of %i', (year) => {
    expect([...holidaysSN(year).entries()].sort()).toEqual(expected[year])
  })

  it.each([
    [2023, '2023-11-22'],
    [2024, '2024-11-20'],
    [2025, '2025-11-19'],
    [2026, '2026-11-18'],
    [2027, '2027-11-17'],
    [2028, '2028-11-22'],
    [2029, '2029-11-21'],
  ])(
    'Buß- und Bettag %i is %s (Wednesday before 23 Nov) and feiertagejs knows it',
    (year, date) => {
      expect(bussUndBettag(year)).toBe(date)
      expect(weekday(date)).toBe(3)
      expect(holidayNameSN(date)).toBe('Buß- und Bettag')
    },
  )

  it('Buß- und Bettag is always a Wednesday between 16 and 22 November', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1995, max: 2100 }), (year) => {
        const d = bussUndBettag(year)
        const day = Number(d.slice(8))
        return (
          weekday(d) === 3 && d.slice(5, 7) === '11' && day >= 16 && day <= 22 && isHolidaySN(d)
        )
      }),
    )
  })

  it.each([
    ['2026-04-02', true], // Gründonnerstag is a working day
    ['2026-04-03', false], // Karfreitag
    ['2026-04-06', false], // Ostermontag
    ['2026-06-04', true], // Fronleichnam: not a holiday in Görlitz
    ['2026-11-01', false], // Sunday (Allerheiligen is no holiday in Saxony anyway)
    ['2027-11-01', true], // Allerheiligen on a Monday: working day in Saxony
    ['2026-11-18', false], // Buß- und Bettag
    ['2026-11-19', true],
    ['2026-12-24', true], // Heiligabend is a working day
    ['2026-12-31', true],
    ['2027-01-06', true], // Heilige Drei Könige: not in Saxony
    ['2026-03-07', false], // Saturday
    ['2026-03-08', false], // Sunday
    ['2026-03-09', true],
  ])('isWorkingDay(%s) = %s', (date, working) => {
    expect(isWorkingDay(date)).toBe(working)
  })

  it('rejects malformed and impossible dates', () => {
    expect(() => isWorkingDay('2026-02-30')).toThrow(/Ungültiges Datum/)
    expect(() => isWorkingDay('18.11.2026')).toThrow(/Ungültiges Datum/)
  })
})

describe('periodEnd (§§ 187 Abs. 1, 188 BGB, § 31 Abs. 3 VwVfG)', () => {
  const cases: Array<[string, string, PeriodLength, string, string, boolean]> = [
    // label, event, length, unadjusted end, end, moved
    ['plain 30 days', '2026-03-02', { days: 30 }, '2026-04-01', '2026-04-01', false],
    [
      'Karfreitag → over Easter to Tuesday',
      '2026-03-20',
      { days: 14 },
      '2026-04-03',
      '2026-04-07',
      true,
    ],
    ['ends on Ostermontag', '2026-03-23', { weeks: 2 }, '2026-04-06', '2026-04-07', true],
    [
      'Reformationstag 2026 is a Saturday',
      '2026-10-01',
      { days: 30 },
      '2026-10-31',
      '2026-11-02',
      true,
    ],
    [
      'Reformationstag 2027 is a Sunday; Allerheiligen is a working day',
      '2027-10-01',
      { days: 30 },
      '2027-10-31',
      '2027-11-01',
      true,
    ],
    ['Buß- und Bettag 2026', '2026-11-04', { weeks: 2 }, '2026-11-18', '2026-11-19', true],
    ['Buß- und Bettag 2027', '2027-10-17', { months: 1 }, '2027-11-17', '2027-11-18', true],
    [
      '31 Jan + 1 month → 28 Feb 2026 (a Saturday)',
      '2026-01-31',
      { months: 1 },
      '2026-02-28',
      '2026-03-02',
      true,
    ],
    [
      '31 Jan + 1 month → 28 Feb 2027 (a Sunday)',
      '2027-01-31',
      { months: 1 },
      '2027-02-28',
      '2027-03-01',
      true,
    ],
    [
      '31 Jan + 1 month → 29 Feb 2028 (leap year)',
      '2028-01-31',
      { months: 1 },
      '2028-02-29',
      '2028-02-29',
      false,
    ],
    ['31 Mar + 1 month → 30 Apr', '2026-03-31', { months: 1 }, '2026-04-30', '2026-04-30', false],
    [
      '31 Aug + 6 months → end of February',
      '2026-08-31',
      { months: 6 },
      '2027-02-28',
      '2027-03-01',
      true,
    ],
    [
      'Christmas 2026: Fri, Sat, Sun',
      '2026-11-25',
      { months: 1 },
      '2026-12-25',
      '2026-12-28',
      true,
    ],
    ['Neujahr 2027 is a Friday', '2026-12-18', { days: 14 }, '2027-01-01', '2027-01-04', true],
    ['Neujahr 2028 is a Saturday', '2027-12-01', { months: 1 }, '2028-01-01', '2028-01-03', true],
    [
      'Heiligabend and Silvester are working days',
      '2026-12-10',
      { weeks: 2 },
      '2026-12-24',
      '2026-12-24',
      false,
    ],
    ['Pfingstmontag 2026', '2026-05-11', { weeks: 2 }, '2026-05-25', '2026-05-26', true],
    ['1 May 2027 is a Saturday', '2027-04-01', { months: 1 }, '2027-05-01', '2027-05-03', true],
    [
      'Tag der Deutschen Einheit 2026 is a Saturday',
      '2026-09-03',
      { months: 1 },
      '2026-10-03',
      '2026-10-05',
      true,
    ],
    ['year boundary, 12 months', '2025-11-19', { months: 12 }, '2026-11-19', '2026-11-19', false],
    ['Buß- und Bettag 2025', '2025-10-19', { months: 1 }, '2025-11-19', '2025-11-20', true],
  ]

  it.each(cases)('%s', (_label, event, length, unadjusted, end, moved) => {
    const r = periodEnd(event, length)
    expect(r.unadjustedEnd).toBe(unadjusted)
    expect(r.end).toBe(end)
    expect(r.moved).toBe(moved)
    expect(isWorkingDay(r.end)).toBe(true)
  })

  it('explains a move for the UI', () => {
    const r = periodEnd('2026-11-04', { weeks: 2 })
    expect(r.movedBecause).toEqual([
      { date: '2026-11-18', kind: 'holiday', label: 'Buß- und Bettag' },
    ])
    expect(r.note).toContain('verschoben wegen Buß- und Bettag')
    expect(r.note).toContain('Donnerstag, 19.11.2026')

    const easter = periodEnd('2026-03-20', { days: 14 })
    expect(easter.movedBecause.map((m) => m.label)).toEqual([
      'Karfreitag',
      'Samstag',
      'Sonntag',
      'Ostermontag',
    ])
    expect(easter.note).toContain(
      'verschoben wegen Karfreitag, Samstag, Sonntag, Ostermontag auf Dienstag, 07.04.2026',
    )

    const reformation = periodEnd('2026-10-01', { days: 30 })
    expect(reformation.note).toContain('Reformationstag (Samstag)')

    expect(periodEnd('2026-03-02', { days: 30 }).note).toBe('Fristende Mittwoch, 01.04.2026')
  })

  it('rejects bad lengths', () => {
    expect(() => periodEnd('2026-03-02', { days: 0 })).toThrow(/positive ganze Zahl/)
    expect(() => periodEnd('2026-03-02', { days: 1.5 })).toThrow(/positive ganze Zahl/)
    expect(() => periodEnd('2026-03-02', { days: 1, months: 1 })).toThrow(/Genau eine Einheit/)
    expect(() => periodEnd('2026-03-02', {} as PeriodLength)).toThrow(/Genau eine Einheit/)
  })

  it('properties: end is the first working day on or after the BGB end', () => {
    const date = fc
      .date({
        min: new Date(Date.UTC(2000, 0, 1)),
        max: new Date(Date.UTC(2090, 11, 31)),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString().slice(0, 10))
    const length = fc.oneof(
      fc.integer({ min: 1, max: 400 }).map((days) => ({ days })),
      fc.integer({ min: 1, max: 60 }).map((weeks) => ({ weeks })),
      fc.integer({ min: 1, max: 36 }).map((months) => ({ months })),
    )
    fc.assert(
      fc.property(date, length, (event, len) => {
        const r = periodEnd(event, len)
        if (!isWorkingDay(r.end) || r.end < r.unadjustedEnd || r.unadjustedEnd <= event)
          return false
        // every day between the BGB end and the moved end is a non-working day, and listed
        if (r.movedBecause.length !== daysLeft(r.unadjustedEnd, r.end)) return false
        if ('months' in len) {
          const e = Number(event.slice(8))
          const u = Number(r.unadjustedEnd.slice(8))
          // same day number, or the last day of a shorter month (§ 188 Abs. 3 BGB)
          if (u !== e && !(u < e && isLastDayOfMonth(r.unadjustedEnd))) return false
        }
        return true
      }),
      { numRuns: 2000 },
    )
  })
})

function isLastDayOfMonth(date: string): boolean {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + 1)
  return d.getUTCDate() === 1
}

describe('statutoryDeadline (procedures.json)', () => {
  const procedures = JSON.parse(
    readFileSync(new URL('../../../assets/procedures.json', import.meta.url), 'utf8'),
  ) as {
    procedures: Array<{ id: string; statutoryDeadlineDays: number }>
  }
  const proc = (id: string) => {
    const p = procedures.procedures.find((x) => x.id === id)
    if (!p) throw new Error(id)
    return p
  }
  it.each([
    ['wohngeld', '2026-10-01', '2026-11-02'], // 30 days → Reformationstag (Sat) → Mon
    ['kfz', '2026-11-04', '2026-11-19'], // 14 days → Buß- und Bettag → Thu
    ['bussgeld', '2026-01-05', '2026-04-07'], // 90 days → Sun 5 Apr (Easter) → after Ostermontag
    ['baugenehmigung', '2027-08-03', '2027-11-01'], // 90 days → Mon 1 Nov 2027
    ['sondernutzung', '2026-03-02', '2026-04-01'],
  ])('%s received %s is due %s', (id, received, due) => {
    expect(statutoryDeadline(received, proc(id)).end).toBe(due)
  })
})

describe('bekanntgabe (§ 41 Abs. 2, 2a VwVfG) and objection period (§ 70 VwGO)', () => {
  it.each([
    // label, dispatch, deliveredOn, objectionPeriodEnd
    ['Thursday dispatch, 4th day a Monday', '2026-03-05', '2026-03-09', '2026-04-09'],
    ['Wednesday dispatch, 4th day a Sunday → Monday', '2026-03-04', '2026-03-09', '2026-04-09'],
    [
      'Tuesday dispatch, 4th day Reformationstag (Sat) → Monday',
      '2026-10-27',
      '2026-11-02',
      '2026-12-02',
    ],
    ['4th day Karfreitag → Tuesday after Easter', '2026-03-30', '2026-04-07', '2026-05-07'],
    ['4th day Buß- und Bettag 2027 → Thursday', '2027-11-13', '2027-11-18', '2027-12-20'],
    [
      'objection period ends on Christmas → Monday 28 Dec',
      '2026-11-21',
      '2026-11-25',
      '2026-12-28',
    ],
    [
      'objection period ends on 29 Jan + 1 month → 28 Feb 2027 (Sun) → 1 Mar',
      '2027-01-25',
      '2027-01-29',
      '2027-03-01',
    ],
    ['objection period over New Year', '2026-11-27', '2026-12-01', '2027-01-04'],
    ['old three-day rule for dispatch in 2024', '2024-12-20', '2024-12-23', '2025-01-23'],
    ['old rule: dispatch 31 Dec 2024 → Fri 3 Jan 2025', '2024-12-31', '2025-01-03', '2025-02-03'],
    ['new rule from 1 Jan 2025', '2025-01-02', '2025-01-06', '2025-02-06'],
  ])('post: %s', (_label, dispatchDate, deliveredOn, objectionPeriodEnd) => {
    const r = bekanntgabe({ dispatchDate, channel: 'post' })
    expect(r.deliveredOn).toBe(deliveredOn)
    expect(r.objectionPeriodEnd).toBe(objectionPeriodEnd)
  })

  it('documents the move of the fiction day and the legal basis', () => {
    const r = bekanntgabe({ dispatchDate: '2026-03-04', channel: 'post' })
    expect(r.fictionDay).toBe('2026-03-08')
    expect(r.notes.join('\n')).toMatch(/vierten Tag/)
    expect(r.notes.join('\n')).toMatch(/IX R 68\/98/)
    expect(r.notes.join('\n')).toMatch(/§ 70 Abs\. 1 VwGO/)
  })

  it('can follow the other view (fiction day does not move)', () => {
    const r = bekanntgabe({
      dispatchDate: '2026-03-04',
      channel: 'post',
      moveFictionDayOffNonWorkingDays: false,
    })
    expect(r.deliveredOn).toBe('2026-03-08')
    expect(r.objectionPeriodEnd).toBe('2026-04-08')
  })

  it.each([
    [
      'retrieved Thursday → Friday; period ends on Ostermontag → Tuesday',
      '2026-03-02',
      '2026-03-05',
      '2026-03-06',
      '2026-04-07',
    ],
    [
      'retrieved Friday → Saturday moves to Monday',
      '2026-03-02',
      '2026-03-06',
      '2026-03-09',
      '2026-04-09',
    ],
    [
      'retrieved on the tenth day still counts',
      '2026-03-02',
      '2026-03-12',
      '2026-03-13',
      '2026-04-13',
    ],
    [
      'retrieved on the evening before Buß- und Bettag',
      '2026-11-10',
      '2026-11-17',
      '2026-11-19',
      '2026-12-21',
    ],
  ])('portal: %s', (_label, dispatchDate, retrievalDate, deliveredOn, objectionPeriodEnd) => {
    const r = bekanntgabe({ dispatchDate, channel: 'portal', retrievalDate })
    expect(r.deliveredOn).toBe(deliveredOn)
    expect(r.objectionPeriodEnd).toBe(objectionPeriodEnd)
    expect(r.retrievalWindowEnd).toBe(addDays10(dispatchDate))
  })

  it('portal: not yet retrieved, or retrieved too late → not notified', () => {
    const open = bekanntgabe({ dispatchDate: '2026-03-02', channel: 'portal' })
    expect(open).toMatchObject({
      deliveredOn: null,
      objectionPeriodEnd: null,
      retrievalWindowEnd: '2026-03-12',
    })
    expect(open.notes[0]).toMatch(/noch nicht abgerufen/)
    const late = bekanntgabe({
      dispatchDate: '2026-03-02',
      channel: 'portal',
      retrievalDate: '2026-03-13',
    })
    expect(late.deliveredOn).toBeNull()
    expect(late.notes[0]).toMatch(/nicht bewirkt/)
    expect(() =>
      bekanntgabe({ dispatchDate: '2026-03-02', channel: 'portal', retrievalDate: '2026-03-01' }),
    ).toThrow(RangeError)
  })
})

function addDays10(date: string): string {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + 10)
  return d.toISOString().slice(0, 10)
}

describe('helpers', () => {
  it('daysLeft and deadlineStatus', () => {
    expect(daysLeft('2026-11-16', '2026-11-19')).toBe(3)
    expect(daysLeft('2026-11-19', '2026-11-19')).toBe(0)
    expect(daysLeft('2026-11-20', '2026-11-19')).toBe(-1)
    expect(daysLeft('2026-12-31', '2027-01-04')).toBe(4)
    expect(daysLeft('2026-03-28', '2026-03-30')).toBe(2) // across the DST switch on 29 March
    expect(deadlineStatus('2026-11-20', '2026-11-19')).toBe('overdue')
    expect(deadlineStatus('2026-11-19', '2026-11-19')).toBe('dueToday')
    expect(deadlineStatus('2026-11-17', '2026-11-19')).toBe('dueSoon')
    expect(deadlineStatus('2026-11-01', '2026-11-19')).toBe('open')
  })

  it('followUpsDue returns due items oldest first', () => {
    const items = [
      { id: 'a', dueOn: '2026-11-19' },
      { id: 'b', dueOn: '2026-11-17' },
      { id: 'c', dueOn: '2026-11-18' },
      { id: 'd', dueOn: '2026-11-17' },
    ]
    expect(followUpsDue('2026-11-18', items).map((i) => i.id)).toEqual(['b', 'd', 'c'])
  })
})

describe("Bekanntgabe cites the procedure's law", () => {
  it('SGB X for a social benefit, VwVfG by default; the dates do not change', () => {
    const sgb = bekanntgabe({
      dispatchDate: '2026-11-26',
      channel: 'post',
      norms: { post: '§ 37 Abs. 2 Satz 1 SGB X', portal: '§ 37 Abs. 2a SGB X' },
    })
    const vwvfg = bekanntgabe({ dispatchDate: '2026-11-26', channel: 'post' })
    expect(sgb.deliveredOn).toBe(vwvfg.deliveredOn)
    expect(sgb.notes.join(' ')).toContain('§ 37 Abs. 2 Satz 1 SGB X')
    expect(sgb.notes.join(' ')).not.toContain('VwVfG)')
    expect(vwvfg.notes.join(' ')).toContain('§ 41 Abs. 2 Satz 1 VwVfG')
    expect(
      bekanntgabe({
        dispatchDate: '2026-11-26',
        channel: 'portal',
        norms: { post: 'x', portal: '§ 37 Abs. 2a SGB X' },
      }).notes.join(' '),
    ).toContain('§ 37 Abs. 2a SGB X')
  })
})

describe("the objection period follows the procedure's law (issue #15)", () => {
  const procedures = JSON.parse(
    readFileSync(new URL('../../../assets/procedures.json', import.meta.url), 'utf8'),
  ) as {
    procedures: Array<{
      id: string
      law: { objection?: { name: string; period: PeriodLength; norm: string } }
    }>
  }
  const objectionOf = (id: string) => procedures.procedures.find((p) => p.id === id)!.law.objection

  it('a Bußgeldbescheid: Einspruch within two weeks (§ 67 OWiG), not one month', () => {
    const r = bekanntgabe({
      dispatchDate: '2026-11-27', // Friday; notified Tuesday 01.12.
      channel: 'post',
      objection: objectionOf('bussgeld')!,
    })
    expect(r.deliveredOn).toBe('2026-12-01')
    expect(r.objectionPeriodEnd).toBe('2026-12-15')
    expect(r.notes.join(' ')).toContain(
      'Einspruchsfrist zwei Wochen ab Bekanntgabe (§ 67 Abs. 1 OWiG)',
    )
    expect(r.notes.join(' ')).not.toContain('VwGO')
  })

  it('every other procedure: Widerspruch within one month (§ 70 VwGO), as before', () => {
    for (const id of ['wohngeld', 'kfz', 'sondernutzung', 'baugenehmigung']) {
      const r = bekanntgabe({
        dispatchDate: '2026-11-27',
        channel: 'post',
        objection: objectionOf(id)!,
      })
      expect(r.objectionPeriodEnd, id).toBe('2027-01-04') // 01.01.2027 is Neujahr
      expect(r.notes.join(' '), id).toContain(
        'Widerspruchsfrist ein Monat ab Bekanntgabe (§ 70 Abs. 1 VwGO)',
      )
    }
  })

  it('the notice template tells the addressee the same period the desk computes', () => {
    const tpl = JSON.parse(
      readFileSync(new URL('../../../assets/notices/bussgeld.json', import.meta.url), 'utf8'),
    ) as {
      legalRemedy: { paragraphs: string[] }
    }
    expect(objectionOf('bussgeld')).toMatchObject({ name: 'Einspruch', period: { weeks: 2 } })
    expect(tpl.legalRemedy.paragraphs.join(' ')).toContain(
      'innerhalb von zwei Wochen nach Zustellung Einspruch',
    )
  })
})
