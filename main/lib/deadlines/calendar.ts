// Calendar primitives for deadline computation.
//
// All dates are local calendar dates in Europe/Berlin, written as 'YYYY-MM-DD' strings. We never
// look at the clock here (docs/architecture.md, rule 6): callers pass "today" in. Internally a date is
// turned into a UTC midnight Date only for arithmetic, so the host time zone never matters.

import { getHolidays } from 'feiertagejs'

/** A local calendar date 'YYYY-MM-DD' (Europe/Berlin). */
export type IsoDate = string

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/

export class InvalidDateError extends Error {
  constructor(value: string) {
    super(`Ungültiges Datum: "${value}" (erwartet YYYY-MM-DD)`)
    this.name = 'InvalidDateError'
  }
}

/** Parses 'YYYY-MM-DD' into year, month (1–12), day; throws on impossible dates like 2026-02-30. */
export function parseIsoDate(date: IsoDate): { year: number; month: number; day: number } {
  const m = ISO_DATE.exec(date)
  if (!m) throw new InvalidDateError(date)
  const year = Number(m[1])
  const month = Number(m[2])
  const day = Number(m[3])
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month))
    throw new InvalidDateError(date)
  return { year, month, day }
}

export function formatIsoDate(year: number, month: number, day: number): IsoDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate()
}

function toUtc(date: IsoDate): Date {
  const { year, month, day } = parseIsoDate(date)
  return new Date(Date.UTC(year, month - 1, day))
}

function fromUtc(d: Date): IsoDate {
  return formatIsoDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate())
}

export function addDays(date: IsoDate, days: number): IsoDate {
  const d = toUtc(date)
  d.setUTCDate(d.getUTCDate() + days)
  return fromUtc(d)
}

/**
 * Adds calendar months keeping the day number; when the target month is shorter, the result is
 * its last day (§ 188 Abs. 3 BGB): 2026-01-31 + 1 month → 2026-02-28.
 */
export function addMonths(date: IsoDate, months: number): IsoDate {
  const { year, month, day } = parseIsoDate(date)
  const index = year * 12 + (month - 1) + months
  const y = Math.floor(index / 12)
  const m = (index % 12) + 1
  return formatIsoDate(y, m, Math.min(day, daysInMonth(y, m)))
}

/** Whole calendar days from `from` to `to` (negative when `to` lies before `from`). */
export function diffDays(from: IsoDate, to: IsoDate): number {
  return Math.round((toUtc(to).getTime() - toUtc(from).getTime()) / 86_400_000)
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(date: IsoDate): number {
  return toUtc(date).getUTCDay()
}

const WEEKDAY_DE = [
  'Sonntag',
  'Montag',
  'Dienstag',
  'Mittwoch',
  'Donnerstag',
  'Freitag',
  'Samstag',
] as const

export function weekdayNameDe(date: IsoDate): string {
  return WEEKDAY_DE[weekday(date)] ?? ''
}

/** '2026-11-18' → '18.11.2026' */
export function formatDateDe(date: IsoDate): string {
  const { year, month, day } = parseIsoDate(date)
  return `${String(day).padStart(2, '0')}.${String(month).padStart(2, '0')}.${year}`
}

// ---------------------------------------------------------------------------------------------
// Public holidays in Saxony
//
// Sächsisches Sonn- und Feiertagsgesetz (SächsSFG) § 1: Neujahr, Karfreitag, Ostermontag, 1. Mai,
// Christi Himmelfahrt, Pfingstmontag, Tag der Deutschen Einheit, Reformationstag (31.10.),
// Buß- und Bettag (Mittwoch vor dem 23. November), 1. und 2. Weihnachtsfeiertag.
// Fronleichnam is a holiday only in certain Sorbian Catholic municipalities (Landkreis Bautzen,
// SächsFeiertagVO); Görlitz is not one of them, so, like feiertagejs, we leave it out.
// Ostersonntag and Pfingstsonntag are Sundays anyway.
//
// feiertagejs (region 'SN') knows all of these, including Buß- und Bettag (verified by the
// tests). We still compute Buß- und Bettag ourselves and add it if a library version ever
// misses it, because it is the one holiday only Saxony has and errors there are silent.
// ---------------------------------------------------------------------------------------------

const HOLIDAY_NAMES_DE: Record<string, string> = {
  NEUJAHRSTAG: 'Neujahr',
  HEILIGEDREIKOENIGE: 'Heilige Drei Könige',
  KARFREITAG: 'Karfreitag',
  OSTERSONNTAG: 'Ostersonntag',
  OSTERMONTAG: 'Ostermontag',
  TAG_DER_ARBEIT: 'Tag der Arbeit',
  CHRISTIHIMMELFAHRT: 'Christi Himmelfahrt',
  MARIAHIMMELFAHRT: 'Mariä Himmelfahrt',
  PFINGSTSONNTAG: 'Pfingstsonntag',
  PFINGSTMONTAG: 'Pfingstmontag',
  FRONLEICHNAM: 'Fronleichnam',
  DEUTSCHEEINHEIT: 'Tag der Deutschen Einheit',
  REFORMATIONSTAG: 'Reformationstag',
  ALLERHEILIGEN: 'Allerheiligen',
  BUBETAG: 'Buß- und Bettag',
  ERSTERWEIHNACHTSFEIERTAG: '1. Weihnachtsfeiertag',
  ZWEITERWEIHNACHTSFEIERTAG: '2. Weihnachtsfeiertag',
}

/** Buß- und Bettag: the Wednesday before 23 November (i.e. between 16 and 22 November). */
export function bussUndBettag(year: number): IsoDate {
  const nov22 = formatIsoDate(year, 11, 22)
  const back = (weekday(nov22) - 3 + 7) % 7
  return addDays(nov22, -back)
}

const holidayCache = new Map<number, ReadonlyMap<IsoDate, string>>()

/** Public holidays in Saxony for a year: date → German name. */
export function holidaysSN(year: number): ReadonlyMap<IsoDate, string> {
  const cached = holidayCache.get(year)
  if (cached) return cached
  const map = new Map<IsoDate, string>()
  for (const h of getHolidays(year, 'SN')) {
    // feiertagejs returns dates at 12:00 UTC, which is the same calendar day in Germany.
    const date = formatIsoDate(
      h.date.getUTCFullYear(),
      h.date.getUTCMonth() + 1,
      h.date.getUTCDate(),
    )
    map.set(date, HOLIDAY_NAMES_DE[h.name] ?? h.name)
  }
  const bbt = bussUndBettag(year)
  if (!map.has(bbt)) map.set(bbt, 'Buß- und Bettag')
  holidayCache.set(year, map)
  return map
}

/** The German name of the Saxon public holiday on that date, or undefined. */
export function holidayNameSN(date: IsoDate): string | undefined {
  return holidaysSN(parseIsoDate(date).year).get(date)
}

export function isHolidaySN(date: IsoDate): boolean {
  return holidayNameSN(date) !== undefined
}

/** Monday to Friday and not a public holiday in Saxony. */
export function isWorkingDay(date: IsoDate): boolean {
  const wd = weekday(date)
  return wd !== 0 && wd !== 6 && !isHolidaySN(date)
}

/** Why a date is not a working day (for UI texts), or undefined for working days. */
export function nonWorkingReason(date: IsoDate): NonWorkingReason | undefined {
  const holiday = holidayNameSN(date)
  const wd = weekday(date)
  if (holiday) return { date, kind: 'holiday', label: holiday }
  if (wd === 6) return { date, kind: 'saturday', label: 'Samstag' }
  if (wd === 0) return { date, kind: 'sunday', label: 'Sonntag' }
  return undefined
}

export interface NonWorkingReason {
  date: IsoDate
  kind: 'saturday' | 'sunday' | 'holiday'
  /** 'Samstag', 'Sonntag' or the holiday's name, e.g. 'Buß- und Bettag' */
  label: string
}

/** The given date if it is a working day, otherwise the next working day. */
export function nextWorkingDayOnOrAfter(date: IsoDate): IsoDate {
  let d = date
  while (!isWorkingDay(d)) d = addDays(d, 1)
  return d
}
