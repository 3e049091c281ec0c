import { readFileSync } from 'node:fs'
import { assetPath } from '../../db/locate'

export interface Procedure {
  id: string
  name: string
  leika: string
  schemaUri: string
  fileCode: string
  fileTitle: string
  retentionYears: number
  disposal: 'archivwürdig' | 'vernichten' | 'prüfen'
  statutoryDeadlineDays: number
  cosign: { rule: 'always' } | { rule: 'amountAbove'; field: string; threshold: number } | null
  checklist: string[]
  /** the unit that issues the letters (Wohngeldstelle, Bauaufsicht …) */
  unit: string
  /** the procedural law: its name and the norms of the Bekanntgabe it cites */
  law: {
    name: string
    bekanntgabePost: string
    bekanntgabePortal: string
    /** the legal remedy and its period: Widerspruch one month (VwGO), Einspruch two weeks (OWiG) */
    objection?: {
      name: string
      period: { days: number } | { weeks: number } | { months: number }
      norm: string
    }
  }
}
export interface Authority {
  name: string
  department: string
  street: string
  postalCode: string
  city: string
  phone: string
  email: string
  web: string
  objectionAddress: string
  /** the archive that takes over records at Aussonderung (xdomea receiver) */
  archive: string
  /** the account fees and fines are paid to (named on fee notices with the Kassenzeichen) */
  payment?: { recipient: string; bank: string; iban: string; bic: string }
}
export interface ProcedureCatalog {
  authority: Authority
  procedures: Procedure[]
  byId(id: string): Procedure | undefined
  bySchemaUri(uri: string): Procedure | undefined
  schemaOf(id: string): JsonSchema | undefined
}
export interface JsonSchema {
  title?: string
  type?: string | string[]
  properties?: Record<string, JsonSchema>
  items?: JsonSchema
  enum?: unknown[]
  format?: string
  [k: string]: unknown
}

export { assetPath } from '../../db/locate'

let cached: ProcedureCatalog | undefined

/** The procedures and file plan shipped in assets/ (data, not code). */
export function loadProcedures(): ProcedureCatalog {
  if (cached) return cached
  const raw = JSON.parse(readFileSync(assetPath('procedures.json'), 'utf8')) as {
    authority: Authority
    procedures: Procedure[]
  }
  const schemas = new Map<string, JsonSchema | undefined>()
  const schemaOf = (id: string): JsonSchema | undefined => {
    if (!schemas.has(id)) {
      try {
        schemas.set(
          id,
          JSON.parse(
            readFileSync(assetPath('procedures', 'schemas', `${id}.schema.json`), 'utf8'),
          ) as JsonSchema,
        )
      } catch {
        schemas.set(id, undefined)
      }
    }
    return schemas.get(id)
  }
  cached = {
    authority: raw.authority,
    procedures: raw.procedures,
    byId: (id) => raw.procedures.find((p) => p.id === id),
    bySchemaUri: (uri) => raw.procedures.find((p) => p.schemaUri === uri),
    schemaOf,
  }
  return cached
}

/** The legal remedy of a procedure's law and its period (the default Widerspruch when not configured). */
export function objectionRule(
  p: Procedure | undefined,
): NonNullable<Procedure['law']['objection']> {
  return (
    p?.law.objection ?? { name: 'Widerspruch', period: { months: 1 }, norm: '§ 70 Abs. 1 VwGO' }
  )
}

/** What the screens show of a procedure's law: Bekanntgabe norms, the legal remedy and its period. */
export function lawOf(
  p: Procedure | undefined,
  periodText: (period: { days: number } | { weeks: number } | { months: number }) => string,
) {
  const o = objectionRule(p)
  return {
    bekanntgabePost: p?.law.bekanntgabePost ?? '§ 41 Abs. 2 Satz 1 VwVfG',
    bekanntgabePortal: p?.law.bekanntgabePortal ?? '§ 41 Abs. 2a VwVfG',
    objection: { name: o.name, period: periodText(o.period), norm: o.norm },
  }
}

/** The Bekanntgabe norms a procedure's law cites (VwVfG when the procedure is unknown). */
export function bekanntgabeNorms(
  p: Procedure | undefined,
): { post: string; portal: string } | undefined {
  return p ? { post: p.law.bekanntgabePost, portal: p.law.bekanntgabePortal } : undefined
}
