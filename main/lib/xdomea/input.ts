// Input of the archive export, validated at the boundary (docs/architecture.md, rule 4).

import { z } from 'zod'

/** The xdomea stringUUIDType pattern (hex digits, 8-4-4-4-12). */
export const UUID_RE =
  /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/

const uuid = z.string().regex(UUID_RE, 'keine UUID')
const isoDateTime = z.iso.datetime({ offset: true })
const isoDate = z.iso.date()
/** A calendar date or a timestamp (converted to the Berlin calendar date). */
const dateOrDateTime = z.union([isoDate, isoDateTime])
const text = z.string().trim().min(1)

export const contactSchema = z.object({
  name: text,
  /** Organisationseinheit, e.g. 'Bürgeramt' */
  department: text.optional(),
  /** Behördenkennung for addressing, e.g. { praefix: 'ags:', kennung: '14626110' } */
  behoerdenkennung: z.object({ praefix: text.optional(), kennung: text }).optional(),
  street: text.optional(),
  houseNumber: text.optional(),
  postalCode: text.optional(),
  city: text.optional(),
})

export const historyEntrySchema = z.object({
  at: isoDateTime,
  actor: text,
  action: text,
  text: z.string().optional(),
})

export const documentSchema = z.object({
  id: uuid,
  title: text,
  /** Original file name (metadata only) */
  filename: text,
  mimeType: text,
  createdAt: isoDateTime,
  bytes: z.custom<Uint8Array>(
    (v) => v instanceof Uint8Array,
    'Dateiinhalt muss ein Uint8Array sein',
  ),
  /** The PDF carries an embedded electronic signature or seal (e.g. the signed notice). */
  signed: z.boolean().optional(),
  author: text.optional(),
})

export const caseSchema = z.object({
  id: uuid,
  aktenzeichen: text,
  betreff: text,
  fileCode: text,
  fileTitle: text,
  retentionYears: z.number().int().min(0).max(65_535),
  disposal: z.enum(['archivwürdig', 'vernichten', 'prüfen']),
  openedAt: dateOrDateTime,
  closedAt: dateOrDateTime,
  history: z.array(historyEntrySchema).default([]),
  documents: z.array(documentSchema).default([]),
})

export const archiveExportSchema = z
  .object({
    prozessId: uuid,
    createdAt: isoDateTime,
    sender: contactSchema,
    receiver: contactSchema,
    system: z.object({ product: text, version: text, instanceId: text.optional() }),
    cases: z.array(caseSchema).min(1),
    /** Kopf/Hinweis */
    note: z.string().optional(),
    /** Ask the archive for a receipt (0504 for a 0501, 0507 for a 0503). Default: 0501 yes, 0503 no. */
    requestReceipt: z.boolean().optional(),
    /** 0503: ask the archive to return its archive identifiers in the 0506 (default true). */
    requestArchiveIds: z.boolean().optional(),
  })
  .superRefine((input, ctx) => {
    const seen = new Set<string>()
    const check = (id: string, path: (string | number)[]) => {
      const key = id.toLowerCase()
      if (seen.has(key))
        ctx.addIssue({ code: 'custom', message: `UUID ${id} kommt mehrfach vor`, path })
      seen.add(key)
    }
    input.cases.forEach((c, i) => {
      check(c.id, ['cases', i, 'id'])
      c.documents.forEach((d, j) => check(d.id, ['cases', i, 'documents', j, 'id']))
      if (berlinDate(c.closedAt) < berlinDate(c.openedAt)) {
        ctx.addIssue({
          code: 'custom',
          message: 'closedAt liegt vor openedAt',
          path: ['cases', i, 'closedAt'],
        })
      }
    })
  })

export type ArchiveExportInput = z.input<typeof archiveExportSchema>
export type ArchiveExport = z.output<typeof archiveExportSchema>
export type ArchiveCase = ArchiveExport['cases'][number]
export type ArchiveDocument = ArchiveCase['documents'][number]
export type ArchiveContact = ArchiveExport['sender']

export class ArchiveInputError extends Error {
  constructor(readonly issues: z.core.$ZodIssue[]) {
    super(
      `Ungültige Archiv-Exportdaten: ${issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    )
    this.name = 'ArchiveInputError'
  }
}

export function parseArchiveExport(input: ArchiveExportInput): ArchiveExport {
  const r = archiveExportSchema.safeParse(input)
  if (!r.success) throw new ArchiveInputError(r.error.issues)
  return r.data
}

const berlinFormatter = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Berlin',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
})

/** 'YYYY-MM-DD' stays; a timestamp becomes its calendar date in Europe/Berlin. */
export function berlinDate(value: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value
  return berlinFormatter.format(new Date(value))
}
