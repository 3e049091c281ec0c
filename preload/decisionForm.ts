/**
 * The decision form's values: what the inputs show for stored field values, and what is stored
 * for what the inputs hold. Pure, shared by the renderer form and the tests of the core.
 *
 * A value the user did not touch is stored exactly as it was: opening a saved decision and
 * saving it unchanged changes nothing (issue #15: 187,50 € came back as 1.875,00 €).
 */
import type { DecisionFieldDef, DecisionFieldValue } from './contract'
import { formatAmount, parseMoney } from './germanNumbers'

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

export function toFormValues(fields: Record<string, DecisionFieldValue>, defs: FieldDef[]): FormValues {
  const byName = new Map(defs.map((d) => [d.name, d]))
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, toFormValue(v, byName.get(k))]))
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
      const items = raw.split('\n').map((x) => x.trim()).filter(Boolean)
      if (items.length) fields[f.name] = items
    } else {
      fields[f.name] = raw
    }
  }
  return { fields, errors }
}
