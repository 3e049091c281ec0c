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
  law: { name: string; bekanntgabePost: string; bekanntgabePortal: string }
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

/** The Bekanntgabe norms a procedure's law cites (VwVfG when the procedure is unknown). */
export function bekanntgabeNorms(
  p: Procedure | undefined,
): { post: string; portal: string } | undefined {
  return p ? { post: p.law.bekanntgabePost, portal: p.law.bekanntgabePortal } : undefined
}
