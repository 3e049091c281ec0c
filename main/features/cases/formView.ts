import { formatMoney } from '../../../common/germanNumbers'
import type { JsonSchema } from '../../core/procedures'

export interface FormField {
  path: string
  label: string
  value: string
  depth: number
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/

function formatValue(v: unknown, schema: JsonSchema | undefined): string {
  if (v === null || v === undefined) return '—'
  if (typeof v === 'boolean') return v ? 'Ja' : 'Nein'
  if (typeof v === 'number') {
    const money =
      schema?.format === 'money' ||
      /betrag|miete|einkommen|gebuehr|euro/i.test(String(schema?.title ?? ''))
    return money ? formatMoney(v) : new Intl.NumberFormat('de-DE').format(v)
  }
  if (typeof v === 'string') {
    const m = DATE.exec(v)
    return m ? `${m[3]}.${m[2]}.${m[1]}` : v
  }
  return JSON.stringify(v)
}

const humanise = (key: string): string =>
  key.replace(/([a-zäöü])([A-ZÄÖÜ])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase())

/**
 * Flattens submitted form data into labelled rows using the procedure schema's German titles,
 * so the clerk reads a form, not JSON. Values stay text; the renderer shows them inertly.
 */
export function formFields(
  data: unknown,
  schema: JsonSchema | undefined,
  path = '',
  depth = 0,
): FormField[] {
  if (depth > 8) return []
  if (Array.isArray(data)) {
    return data.slice(0, 200).flatMap((item, i) => {
      const itemSchema = schema?.items
      const label = `${itemSchema?.title ?? 'Eintrag'} ${i + 1}`
      if (item !== null && typeof item === 'object') {
        return [
          { path: `${path}[${i}]`, label, value: '', depth },
          ...formFields(item, itemSchema, `${path}[${i}]`, depth + 1),
        ]
      }
      return [{ path: `${path}[${i}]`, label, value: formatValue(item, itemSchema), depth }]
    })
  }
  if (data !== null && typeof data === 'object') {
    return Object.entries(data as Record<string, unknown>).flatMap(([key, value]) => {
      const sub = schema?.properties?.[key]
      const label = sub?.title ?? humanise(key)
      const p = path ? `${path}.${key}` : key
      if (value !== null && typeof value === 'object') {
        return [{ path: p, label, value: '', depth }, ...formFields(value, sub, p, depth + 1)]
      }
      return [{ path: p, label, value: formatValue(value, sub), depth }]
    })
  }
  return [{ path, label: schema?.title ?? '', value: formatValue(data, schema), depth }]
}
