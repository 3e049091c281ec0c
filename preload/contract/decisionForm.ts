/**
 * The decision form's values: what the inputs show for stored field values, and what is stored
 * for what the inputs hold. Pure, shared by the renderer form and the tests of the core.
 *
 * A value the user did not touch is stored exactly as it was: opening a saved decision and
 * saving it unchanged changes nothing (issue #15: 187,50 € came back as 1.875,00 €).
 */
import type { DecisionFieldDef, DecisionFieldValue } from './'
import { formatAmount, formatInteger, formatMoney, parseMoney } from '../../common/germanNumbers'

type FieldDef = Pick<DecisionFieldDef, 'name' | 'label' | 'type'>
export type FormValues = Record<string, string>
export interface FieldError {
  field: string
  message: string
}

/** One stored value as its input shows it: money „187,50“, a list one entry per line. */
export function toFormValue(v: DecisionFieldValue | undefined, def: FieldDef | undefined): string {
  if (v === undefined) return ''
  if (Array.isArray(v)) return v.join('\n')
  if (typeof v === 'number') return def?.type === 'money' ? formatAmount(v) : String(v)
  return v
}

export function toFormValues(
  fields: Record<string, DecisionFieldValue>,
  defs: FieldDef[],
): FormValues {
  const byName = new Map(defs.map((d) => [d.name, d]))
  return Object.fromEntries(
    Object.entries(fields).map(([k, v]) => [k, toFormValue(v, byName.get(k))]),
  )
}

/**
 * What the inputs hold → the values to store, for the given fields only. Untouched inputs keep
 * the `original` value; money is read as German input („187,50“, „1.234,56 €“).
 */
export function fromFormValues(
  values: FormValues,
  defs: FieldDef[],
  original: Record<string, DecisionFieldValue> = {},
): { fields: Record<string, DecisionFieldValue>; errors: FieldError[] } {
  const fields: Record<string, DecisionFieldValue> = {}
  const errors: FieldError[] = []
  for (const f of defs) {
    const shown = values[f.name] ?? ''
    const before = original[f.name]
    if (before !== undefined && shown === toFormValue(before, f)) {
      fields[f.name] = before
      continue
    }
    const raw = shown.trim()
    if (!raw) continue
    if (f.type === 'money') {
      const r = parseMoney(raw)
      if (r.ok) fields[f.name] = r.value
      else errors.push({ field: f.name, message: `${f.label}: ${r.message}` })
    } else if (f.type === 'list') {
      const items = raw
        .split('\n')
        .map((x) => x.trim())
        .filter(Boolean)
      if (items.length) fields[f.name] = items
    } else {
      fields[f.name] = raw
    }
  }
  return { fields, errors }
}

/**
 * What the form starts with: a saved decision's own values for the fields of its outcome (a field
 * it left empty stays empty), and for every other field what the application holds (prefill).
 */
export function initialValues(
  saved: { outcome: string; fields: Record<string, DecisionFieldValue> } | null,
  prefill: Record<string, DecisionFieldValue>,
  outcomes: { value: string; fields: FieldDef[] }[],
): FormValues {
  const defs = outcomes.flatMap((o) => o.fields)
  if (!saved) return toFormValues(prefill, defs)
  const own = new Set(
    outcomes.find((o) => o.value === saved.outcome)?.fields.map((f) => f.name) ?? [],
  )
  const fromApplication = Object.fromEntries(Object.entries(prefill).filter(([k]) => !own.has(k)))
  return toFormValues({ ...fromApplication, ...saved.fields }, defs)
}

// ------------------------------------------------------------ placeholders in the Begründung

export type PlaceholderType = 'money' | 'date' | 'text' | 'list' | 'count'
export interface PlaceholderValue {
  type: PlaceholderType
  value: DecisionFieldValue
}

const isoDay = /^(\d{4})-(\d{2})-(\d{2})$/

/** How a value is written into a text: „187,50 €“, „01.12.2026“, „a; b“; null when empty. */
export function placeholderText(p: PlaceholderValue | undefined): string | null {
  if (!p) return null
  const v = p.value
  if (Array.isArray(v)) {
    const items = v.map((x) => x.trim()).filter(Boolean)
    return items.length ? items.join('; ') : null
  }
  if (typeof v === 'number') return p.type === 'money' ? formatMoney(v) : formatInteger(v)
  if (v.trim() === '') return null
  const m = p.type === 'date' ? isoDay.exec(v) : null
  return m ? `${m[3]}.${m[2]}.${m[1]}` : v
}

/** Fills every {{name}} the values hold; the others stay as they are (still open). */
export function fillPlaceholders(text: string, values: Record<string, PlaceholderValue>): string {
  return text.replace(
    /\{\{\s*([\w.]+)\s*\}\}/g,
    (whole, name: string) => placeholderText(values[name]) ?? whole,
  )
}
