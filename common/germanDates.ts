/**
 * German calendar dates typed as text (TT.MM.JJJJ), independent of the browser's locale.
 * Pure: no DOM, no Node. Stored values are ISO dates (YYYY-MM-DD).
 *
 * Accepted input: „15.01.2027“, „15.1.2027“, „5.1.27“ (two-digit years are 20xx), and
 * „15012027“ (eight digits, as typed without dots). Anything else, or a day that does not exist
 * („31.02.2027“), is refused with a German message.
 */
export type ParsedDate = { ok: true; value: string } | { ok: false; message: string }

const pad = (n: number) => String(n).padStart(2, '0')

/** „2027-01-15“ → „15.01.2027“; anything that is not an ISO date stays as it is. */
export function formatGermanDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso)
  return m ? `${m[3]}.${m[2]}.${m[1]}` : iso
}

export function parseGermanDate(
  text: string,
  opts: { min?: string; max?: string } = {},
): ParsedDate {
  const t = text.trim()
  if (!t) return { ok: false, message: 'Bitte ein Datum im Format TT.MM.JJJJ eingeben.' }
  const m = /^(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})$/.exec(t) ?? /^(\d{2})(\d{2})(\d{4})$/.exec(t)
  if (!m)
    return { ok: false, message: `„${t}“ ist kein Datum im Format TT.MM.JJJJ (z. B. 15.01.2027).` }
  const day = Number(m[1])
  const month = Number(m[2])
  const year = m[3]!.length === 2 ? 2000 + Number(m[3]) : Number(m[3])
  const d = new Date(Date.UTC(year, month - 1, day))
  if (
    month < 1 ||
    month > 12 ||
    d.getUTCFullYear() !== year ||
    d.getUTCMonth() !== month - 1 ||
    d.getUTCDate() !== day
  )
    return { ok: false, message: `Den ${pad(day)}.${pad(month)}.${year} gibt es nicht.` }
  const value = `${year}-${pad(month)}-${pad(day)}`
  if (opts.min && value < opts.min)
    return {
      ok: false,
      message: `Das Datum darf nicht vor dem ${formatGermanDate(opts.min)} liegen.`,
    }
  if (opts.max && value > opts.max)
    return {
      ok: false,
      message: `Das Datum darf nicht nach dem ${formatGermanDate(opts.max)} liegen.`,
    }
  return { ok: true, value }
}
