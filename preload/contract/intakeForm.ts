/**
 * „Antrag erfassen“: the procedure's form fields, generated from its JSON schema, and the typed
 * values turned back into form data of the schema's shape (so the case view reads it with the
 * same German titles and the decision form prefills from it). Pure: no DOM, no Node.
 *
 * Supported: nested objects (as groups), strings, `format: date` (TT.MM.JJJJ → ISO), enums,
 * numbers (German input „1.234,56“), booleans. Arrays (e.g. Haushaltsmitglieder) are not offered.
 */
import { parseMoney } from '../../common/germanNumbers'

export interface IntakeField {
  /** dotted path into the form data, e.g. „fahrzeug.fin“ */
  path: string
  label: string
  kind: 'group' | 'text' | 'date' | 'number' | 'boolean' | 'enum'
  required: boolean
  options?: string[]
  depth: number
}

export interface SchemaNode {
  title?: string
  type?: string | string[]
  properties?: Record<string, SchemaNode>
  required?: string[]
  enum?: unknown[]
  format?: string
}

const humanise = (key: string): string =>
  key.replace(/([a-zäöü])([A-ZÄÖÜ])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase())

export function intakeFields(schema: SchemaNode | undefined, path = '', depth = 0): IntakeField[] {
  if (!schema?.properties || depth > 4) return []
  const required = new Set(schema.required ?? [])
  return Object.entries(schema.properties).flatMap(([key, sub]): IntakeField[] => {
    const p = path ? `${path}.${key}` : key
    const label = sub.title ?? humanise(key)
    const type = Array.isArray(sub.type) ? sub.type.find((t) => t !== 'null') : sub.type
    const isRequired = required.has(key)
    if (type === 'object') {
      const inner = intakeFields(sub, p, depth + 1)
      return inner.length
        ? [{ path: p, label, kind: 'group', required: isRequired, depth }, ...inner]
        : []
    }
    if (type === 'array') return []
    if (Array.isArray(sub.enum))
      return [
        {
          path: p,
          label,
          kind: 'enum',
          required: isRequired,
          options: sub.enum.map(String),
          depth,
        },
      ]
    if (type === 'boolean')
      return [{ path: p, label, kind: 'boolean', required: isRequired, depth }]
    if (type === 'number' || type === 'integer')
      return [{ path: p, label, kind: 'number', required: isRequired, depth }]
    if (sub.format === 'date')
      return [{ path: p, label, kind: 'date', required: isRequired, depth }]
    return [{ path: p, label, kind: 'text', required: isRequired, depth }]
  })
}

export type IntakeValues = Record<string, string | boolean>

/** Typed values → nested form data; empty fields are left out, a bad number is a German error. */
export function toFormData(
  fields: IntakeField[],
  values: IntakeValues,
): { data: Record<string, unknown>; errors: string[] } {
  const data: Record<string, unknown> = {}
  const errors: string[] = []
  const set = (path: string, v: unknown) => {
    const keys = path.split('.')
    let node = data
    for (const k of keys.slice(0, -1)) node = (node[k] ??= {}) as Record<string, unknown>
    node[keys[keys.length - 1]!] = v
  }
  for (const f of fields) {
    if (f.kind === 'group') continue
    const v = values[f.path]
    if (f.kind === 'boolean') {
      if (v === true) set(f.path, true)
      continue
    }
    const text = typeof v === 'string' ? v.trim() : ''
    if (!text) continue
    if (f.kind === 'number') {
      const n = parseMoney(text)
      if (n.ok) set(f.path, n.value)
      else errors.push(`${f.label}: ${n.message.replace('Betrag', 'Zahl')}`)
    } else set(f.path, text)
  }
  return { data, errors }
}

/** „Name“ and „Anschrift“ from the usual applicant group of the schemas, where it was typed. */
export function applicantFrom(values: IntakeValues): { name: string; address: string } {
  const g = (k: string) =>
    typeof values[`antragsteller.${k}`] === 'string'
      ? String(values[`antragsteller.${k}`]).trim()
      : ''
  const name = [g('vorname'), g('nachname')].filter(Boolean).join(' ')
  const street = [g('strasse'), g('hausnummer')].filter(Boolean).join(' ')
  const town = [g('plz'), g('ort')].filter(Boolean).join(' ')
  return { name, address: [street, town].filter(Boolean).join(', ') }
}
