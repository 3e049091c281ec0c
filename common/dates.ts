/**
 * The one owner of calendar dates (pure; every layer may use it): dates are ISO `JJJJ-MM-TT`
 * strings of the Europe/Berlin calendar; German display is `TT.MM.JJJJ`.
 */
const berlin = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Berlin' })

/** The local calendar date in Europe/Berlin as JJJJ-MM-TT. */
export function berlinDate(d: Date): string {
  return berlin.format(d)
}

/** `2026-12-01` → `01.12.2026` (anything else is returned as it is). */
export function germanDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso)
  return m ? `${m[3]}.${m[2]}.${m[1]}` : iso
}

/** True for a `JJJJ-MM-TT` that names a day of the proleptic Gregorian calendar (year ≥ 1). */
export function isRealDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s)
  if (!m) return false
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  if (y < 1 || mo < 1 || mo > 12 || d < 1) return false
  const days =
    [
      31,
      y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28,
      31,
      30,
      31,
      30,
      31,
      31,
      30,
      31,
      30,
      31,
    ][mo - 1] ?? 0
  return d <= days
}
