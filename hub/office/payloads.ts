// zod schemas of the office mutation payloads (documented in hub/README.md, "Office").
import { z } from 'zod'

const text = (max: number) => z.string().max(max)
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/)
export const STATUSES = [
  'eingegangen',
  'in_bearbeitung',
  'nachforderung',
  'entscheidungsreif',
  'entschieden',
  'versandt',
  'abgeschlossen',
] as const

export const documentPayload = z.object({
  id: z.string().min(1).max(100),
  kind: text(100),
  title: text(1000),
  filename: text(1000),
  mimeType: text(200),
  size: z.number().int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: text(40),
})
export type DocumentPayload = z.infer<typeof documentPayload>

export const FORM_MAX_DEPTH = 32
export const FORM_MAX_BYTES = 5 * 1024 * 1024
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype'])

/** Why form data is refused, or null. Iterative: a hostile nesting cannot overflow the stack. */
export function formDataProblem(value: unknown): string | null {
  const stack: [unknown, number][] = [[value, 0]]
  while (stack.length > 0) {
    const [v, d] = stack.pop()!
    if (v === null || typeof v !== 'object') continue
    if (d + 1 > FORM_MAX_DEPTH) return `formData nested deeper than ${FORM_MAX_DEPTH} levels`
    for (const [k, child] of Object.entries(v)) {
      if (!Array.isArray(v) && RESERVED_KEYS.has(k)) return `formData uses the reserved key "${k}"`
      stack.push([child, d + 1])
    }
  }
  if (Buffer.byteLength(JSON.stringify(value ?? null)) > FORM_MAX_BYTES)
    return `formData larger than ${FORM_MAX_BYTES} bytes`
  return null
}

export const payloadSchemas = {
  'case.register': z.object({
    submissionId: z.string().min(1).max(100).nullable().optional(),
    aktenzeichen: z.string().min(1).max(100),
    procedureId: z.string().min(1).max(100),
    subject: text(1000),
    applicantName: text(1000),
    applicantAddress: text(2000),
    receivedAt: text(40),
    deadline: z.string().max(40).nullable(),
    channel: z.enum(['online', 'paper', 'phone']),
    // the same limits as the desk's (db/text.ts FORM_LIMITS; docs/hub-protocol.md): 32 levels, 5 MiB, no prototype keys
    formData: z.unknown().superRefine((v, ctx) => {
      const problem = formDataProblem(v)
      if (problem) ctx.addIssue({ code: 'custom', message: problem })
    }),
    documents: z.array(documentPayload).max(1000),
  }),
  'case.assign': z.object({
    assignee: z.string().min(1).max(100).nullable(),
    previous: z.string().max(100).nullable().optional(),
    reason: text(2000).optional(),
  }),
  'case.status': z.object({
    from: z.enum(STATUSES).optional(),
    to: z.enum(STATUSES),
    reason: text(2000).optional(),
  }),
  'case.note': z.object({
    noteId: z.string().min(1).max(100),
    kind: z.enum(['note', 'phone']),
    text: text(20_000),
  }),
  'case.followUp': z.object({ date: isoDate.nullable(), reason: text(2000).optional() }),
  'case.requestDocuments': z.object({
    items: z.array(text(500)).max(100),
    deadline: isoDate,
    document: documentPayload,
  }),
  'case.decide': z.object({
    outcome: z.string().min(1).max(100),
    fields: z.record(z.string(), z.unknown()).default({}),
    reasons: text(100_000).default(''),
    hearing: z.unknown().optional(),
    cosignRequired: z.boolean().optional(),
    /** the status the decision leaves the case in: a draft stays in_bearbeitung */
    status: z.enum(['in_bearbeitung', 'entscheidungsreif', 'entschieden']).optional(),
    draft: z.boolean().optional(),
  }),
  'case.cosign': z.object({ comment: text(2000).optional() }).loose(),
  'notice.issue': z.object({ document: documentPayload, dispatchDate: isoDate }),
  /** the printed notice of the postal channel was handed to the post */
  'notice.posted': z.object({ postedOn: isoDate, document: z.string().max(100).optional() }),
  'case.close': z.object({ closedAt: text(40), retentionEnd: text(40) }),
  'case.reopen': z.object({ reason: text(2000) }),
  'case.document': z.object({ document: documentPayload }),
} as const

export type MutationType = keyof typeof payloadSchemas
export type PayloadOf<T extends MutationType> = z.infer<(typeof payloadSchemas)[T]>
export const MUTATION_TYPES = Object.keys(payloadSchemas) as MutationType[]

/** Changes that collide with a concurrent change of the same case (conflict when the version moved). */
export const COLLIDING = new Set<MutationType>([
  'case.assign',
  'case.status',
  'case.requestDocuments',
  'case.decide',
  'notice.issue',
  'case.close',
])

export const mutationEnvelope = z.object({
  mutationId: z.string().min(1).max(100),
  type: z.string().max(100),
  caseId: z.string().min(1).max(100),
  baseVersion: z.number().int().min(0),
  at: z.string().max(40),
  payload: z.record(z.string(), z.unknown()),
})

export const batchBody = z.object({
  deskId: z.string().min(1).max(100),
  mutations: z.array(z.unknown()).max(1000),
})
