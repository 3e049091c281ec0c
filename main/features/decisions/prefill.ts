/**
 * Decision fields prefilled from the submitted form, so nothing that came in digitally is
 * retyped. The mapping lives in each notice template (`prefill`: field → "{{form.path}} …", with
 * `{{path|date}}`/`{{path|time}}` for the day and time of a timestamp;
 * `reasonsData`: values the Begründung names, e.g. the number of household members).
 */
import type { PlaceholderValue } from '../../../preload/contract/decisionForm'

function lookupValue(data: unknown, path: string): unknown {
  let cur: unknown = data
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined
    cur = (cur as Record<string, unknown>)[key]
  }
  return cur
}

function lookup(data: unknown, path: string): string | undefined {
  const cur = lookupValue(data, path)
  return typeof cur === 'string' || typeof cur === 'number' ? String(cur) : undefined
}

const berlinDay = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Berlin' })
const berlinTime = new Intl.DateTimeFormat('de-DE', {
  timeZone: 'Europe/Berlin',
  hour: '2-digit',
  minute: '2-digit',
})

/** `|date` → the Berlin day (JJJJ-MM-TT) of a timestamp, `|time` → „14:05 Uhr“. */
function convert(v: string | undefined, filter: string | undefined): string | undefined {
  if (v === undefined || !filter) return v
  const t = new Date(v)
  if (Number.isNaN(t.getTime())) return undefined
  return filter === 'date' ? berlinDay.format(t) : `${berlinTime.format(t)} Uhr`
}

export function prefillFields(
  mapping: Record<string, string> | undefined,
  formData: unknown,
): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [field, pattern] of Object.entries(mapping ?? {})) {
    let complete = true
    const value = pattern.replace(
      /\{\{([\w.]+)(?:\|(date|time))?\}\}/g,
      (_, path: string, filter: string | undefined) => {
        const v = convert(lookup(formData, path), filter)
        if (v === undefined) complete = false
        return v ?? ''
      },
    )
    if (complete && value.trim()) out[field] = value.trim()
  }
  return out
}

export type ReasonsData = Record<
  string,
  { from: string; type: 'money' | 'count' | 'text' | 'date'; label?: string }
>

/** The values of `reasonsData` the submitted form holds (a count is an array's length or a number). */
export function reasonsDataValues(
  mapping: ReasonsData | undefined,
  formData: unknown,
): Record<string, PlaceholderValue> {
  const out: Record<string, PlaceholderValue> = {}
  for (const [name, { from, type }] of Object.entries(mapping ?? {})) {
    const v = lookupValue(formData, from)
    if (type === 'count') {
      const n = Array.isArray(v)
        ? v.length
        : typeof v === 'number' && Number.isInteger(v) && v >= 0
          ? v
          : undefined
      if (n !== undefined) out[name] = { type, value: n }
    } else if (type === 'money') {
      if (typeof v === 'number' && Number.isFinite(v) && v >= 0)
        out[name] = { type, value: Math.round(v * 100) / 100 }
    } else if (typeof v === 'string' && v.trim()) {
      out[name] = { type, value: v }
    }
  }
  return out
}
