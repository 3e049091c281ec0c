// Period computation (Fristberechnung) per § 31 VwVfG with §§ 187–193 BGB.
//
// Saxony: § 1 SächsVwVfZG applies the federal VwVfG "in der jeweils geltenden Fassung" to the
// administrative activity of the Freistaat and its municipalities, so § 31 VwVfG applies here.

import {
  addDays,
  addMonths,
  diffDays,
  formatDateDe,
  nextWorkingDayOnOrAfter,
  nonWorkingReason,
  parseIsoDate,
  weekdayNameDe,
  type IsoDate,
  type NonWorkingReason,
} from './calendar'

/** Exactly one unit. */
export type PeriodLength = { days: number } | { weeks: number } | { months: number }

export interface PeriodEndResult {
  /** The day on which the period ends, after § 31 Abs. 3 VwVfG / § 193 BGB. */
  end: IsoDate
  /** The end per §§ 187 Abs. 1, 188 BGB before moving it off weekends and holidays. */
  unadjustedEnd: IsoDate
  /** True when the unadjusted end was a Saturday, Sunday or Saxon public holiday. */
  moved: boolean
  /** Why the unadjusted end (and every day skipped after it) was not a working day. */
  movedBecause: NonWorkingReason[]
  /** A German sentence for the UI, e.g. "Fristende verschoben wegen Buß- und Bettag …". */
  note: string
}

export class InvalidPeriodError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'InvalidPeriodError'
  }
}

function lengthOf(period: PeriodLength): { unit: 'days' | 'weeks' | 'months'; n: number } {
  const entries = Object.entries(period).filter(([, v]) => v !== undefined) as Array<
    [string, unknown]
  >
  if (entries.length !== 1)
    throw new InvalidPeriodError('Genau eine Einheit angeben: days, weeks oder months')
  const [unit, n] = entries[0] as [string, unknown]
  if (unit !== 'days' && unit !== 'weeks' && unit !== 'months')
    throw new InvalidPeriodError(`Unbekannte Einheit: ${unit}`)
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
    throw new InvalidPeriodError(
      `Fristlänge muss eine positive ganze Zahl sein (${unit}: ${String(n)})`,
    )
  }
  return { unit, n }
}

/**
 * End of a period that starts with an event (Ereignisfrist):
 * - § 187 Abs. 1 BGB: the event day itself is not counted;
 * - § 188 Abs. 1 BGB: a period in days ends at the end of its last day (event + n days);
 * - § 188 Abs. 2 BGB: weeks/months end on the day of the last week/month that has the same
 *   weekday / day number as the event day (event + 7n days; same day number n months later);
 * - § 188 Abs. 3 BGB: if that day number does not exist in the end month, the last day of that
 *   month (31 Jan + 1 month → 28/29 Feb);
 * - § 31 Abs. 3 Satz 1 VwVfG, § 193 BGB: if the end falls on a Saturday, Sunday or public
 *   holiday (here: Saxony), the period ends with the next working day.
 *
 * Note: § 31 Abs. 3 Satz 2 VwVfG allows the authority to order otherwise when it tells the
 * addressee; that is a per-case decision and not modelled here.
 */
export function periodEnd(eventDate: IsoDate, period: PeriodLength): PeriodEndResult {
  parseIsoDate(eventDate)
  const { unit, n } = lengthOf(period)
  const unadjustedEnd =
    unit === 'days'
      ? addDays(eventDate, n)
      : unit === 'weeks'
        ? addDays(eventDate, 7 * n)
        : addMonths(eventDate, n)
  return moveToWorkingDay(unadjustedEnd)
}

/** Applies § 31 Abs. 3 VwVfG / § 193 BGB to a computed end date. */
export function moveToWorkingDay(unadjustedEnd: IsoDate): PeriodEndResult {
  const end = nextWorkingDayOnOrAfter(unadjustedEnd)
  const movedBecause: NonWorkingReason[] = []
  for (let d = unadjustedEnd; d !== end; d = addDays(d, 1)) {
    const reason = nonWorkingReason(d)
    if (reason) movedBecause.push(reason)
  }
  const moved = end !== unadjustedEnd
  const note = moved
    ? `Fristende ${formatDateDe(unadjustedEnd)} fällt auf ${describe(movedBecause[0])}; ` +
      `verschoben wegen ${unique(movedBecause.map((r) => r.label)).join(', ')} auf ${weekdayNameDe(end)}, ${formatDateDe(end)} ` +
      `(§ 31 Abs. 3 VwVfG, § 193 BGB)`
    : `Fristende ${weekdayNameDe(end)}, ${formatDateDe(end)}`
  return { end, unadjustedEnd, moved, movedBecause, note }
}

function describe(reason: NonWorkingReason | undefined): string {
  if (!reason) return ''
  if (reason.kind === 'holiday') {
    const wd = weekdayNameDe(reason.date)
    return wd === 'Samstag' || wd === 'Sonntag' ? `${reason.label} (${wd})` : `${reason.label}`
  }
  return `einen ${reason.label}`
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)]
}

/** A procedure as configured in assets/procedures.json (only the field we need). */
export interface ProcedureDeadlineConfig {
  id?: string
  statutoryDeadlineDays: number
}

/**
 * The statutory processing deadline of a case: `statutoryDeadlineDays` after receipt, counted
 * per § 31 VwVfG / §§ 187–188 BGB (receipt day not counted), moved off weekends and holidays.
 */
export function statutoryDeadline(
  receivedDate: IsoDate,
  procedure: ProcedureDeadlineConfig,
): PeriodEndResult {
  return periodEnd(receivedDate, { days: procedure.statutoryDeadlineDays })
}

/**
 * Calendar days from today until the deadline: 0 on the last day, negative when overdue.
 * A deadline ends at 24:00 of its last day (§ 188 Abs. 1 BGB), so it is overdue from the next day.
 */
export function daysLeft(today: IsoDate, deadline: IsoDate): number {
  return diffDays(today, deadline)
}

export type DeadlineStatus = 'overdue' | 'dueToday' | 'dueSoon' | 'open'

export function deadlineStatus(today: IsoDate, deadline: IsoDate, soonDays = 3): DeadlineStatus {
  const left = daysLeft(today, deadline)
  if (left < 0) return 'overdue'
  if (left === 0) return 'dueToday'
  if (left <= soonDays) return 'dueSoon'
  return 'open'
}

/** Follow-ups (Wiedervorlagen) due today or earlier, oldest first. Stable for equal dates. */
export function followUpsDue<T extends { dueOn: IsoDate }>(
  today: IsoDate,
  followUps: readonly T[],
): T[] {
  return followUps
    .map((f, i) => ({ f, i }))
    .filter(({ f }) => diffDays(f.dueOn, today) >= 0)
    .sort((a, b) => diffDays(b.f.dueOn, a.f.dueOn) || a.i - b.i)
    .map(({ f }) => f)
}
