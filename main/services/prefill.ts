/**
 * Decision fields prefilled from the submitted form, so nothing that came in digitally is
 * retyped. The mapping lives in each notice template (`prefill`: field → "{{form.path}} …";
 * `reasonsData`: values the Begründung names, e.g. the number of household members).
 */
import type { PlaceholderValue } from '../../preload/decisionForm'

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

export function prefillFields(mapping: Record<string, string> | undefined, formData: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [field, pattern] of Object.entries(mapping ?? {})) {
    let complete = true
    const value = pattern.replace(/\{\{([\w.]+)\}\}/g, (_, path: string) => {
      const v = lookup(formData, path)
      if (v === undefined) complete = false
      return v ?? ''
    })
    if (complete && value.trim()) out[field] = value.trim()
  }
  return out
}

export type ReasonsData = Record<string, { from: string; type: 'money' | 'count' | 'text' | 'date' }>

/** The values of `reasonsData` the submitted form holds (a count is an array's length or a number). */
export function reasonsDataValues(mapping: ReasonsData | undefined, formData: unknown): Record<string, PlaceholderValue> {
  const out: Record<string, PlaceholderValue> = {}
  for (const [name, { from, type }] of Object.entries(mapping ?? {})) {
    const v = lookupValue(formData, from)
    if (type === 'count') {
      const n = Array.isArray(v) ? v.length : typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined
      if (n !== undefined) out[name] = { type, value: n }
    } else if (type === 'money') {
      if (typeof v === 'number' && Number.isFinite(v) && v >= 0) out[name] = { type, value: Math.round(v * 100) / 100 }
    } else if (typeof v === 'string' && v.trim()) {
      out[name] = { type, value: v }
    }
  }
  return out
}
