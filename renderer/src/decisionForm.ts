import type { DecisionFieldDef, DecisionFieldValue } from '../../preload/contract'

/** Form strings for the decision form: stored values → what the inputs show. */
export function toFormValues(fields: Record<string, DecisionFieldValue>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, Array.isArray(v) ? v.join('\n') : String(v)]))
}

/** What the inputs hold → the values to store (only the given fields). */
export function fromFormValues(values: Record<string, string>, defs: DecisionFieldDef[]): Record<string, DecisionFieldValue> {
  const fields: Record<string, DecisionFieldValue> = {}
  for (const f of defs) {
    const raw = (values[f.name] ?? '').trim()
    if (!raw) continue
    fields[f.name] = f.type === 'money' ? Number(raw.replace(/\./g, '').replace(',', '.')) : f.type === 'list' ? raw.split('\n').map((x) => x.trim()).filter(Boolean) : raw
  }
  return fields
}
