/** `intake.*` — How cases arrive: the intake log of the hub's submissions and „Antrag erfassen“ (paper, phone). */
import { depthOf, FORM_LIMITS } from '../../common/text'
import { z } from 'zod'
import { id, isoDate, mutation, namespace, query, returns } from './shared'
import { type IntakeLogEntry, type QuarantinedSubmission } from '../../db/domain'
import type { IntakeField } from './intakeForm'

export const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024

export const intake = namespace('intake', {
  log: query(
    z.object({ limit: z.number().int().min(1).max(1000).default(200) }).strict(),
    returns<{ entries: IntakeLogEntry[] }>(),
    [{ type: 'IntakeLog' }],
  ),
  /** Zurückgestellte Einreichungen: could not be stored, not clearly rejectable; skipped until retried. */
  quarantine: query(z.object({}).strict(), returns<{ entries: QuarantinedSubmission[] }>(), [
    { type: 'IntakeLog' },
  ]),
  /** „Erneut versuchen“: the next sync pass tries the parked submission (or all of them) again. */
  retry: mutation(
    z.object({ submissionId: id.optional() }).strict(),
    returns<{ requested: number }>(),
    [{ type: 'IntakeLog' }],
  ),
  /** The procedure's form fields for „Antrag erfassen“, from its JSON schema (German titles). */
  formFields: query(
    z.object({ procedureId: id }).strict(),
    returns<{ fields: IntakeField[] }>(),
    [],
    { keepFor: 3600 },
  ),
  create: mutation(
    z
      .object({
        procedureId: id,
        applicantName: z.string().trim().min(1, 'Name der antragstellenden Person fehlt').max(300),
        applicantAddress: z.string().trim().min(1, 'Anschrift fehlt').max(500),
        subject: z.string().trim().max(300).optional(),
        formData: z
          .record(z.string(), z.unknown())
          .refine(
            (v) => depthOf(v) <= FORM_LIMITS.maxDepth,
            `Die Formulardaten sind zu tief verschachtelt (höchstens ${FORM_LIMITS.maxDepth} Ebenen)`,
          )
          .refine(
            (v) => new TextEncoder().encode(JSON.stringify(v)).length <= FORM_LIMITS.maxBytes,
            'Die Formulardaten sind größer als 5 MB',
          )
          .optional(),
        channel: z.enum(['paper', 'phone']),
        /** Eingangsdatum (Eingangsstempel, JJJJ-MM-TT): the statutory deadline runs from it; default today. */
        receivedOn: isoDate.optional(),
        /** the person recording it works on the case („Ich bearbeite den Vorgang“, on by default in the screen) */
        assignToMe: z.boolean().optional(),
        attachments: z
          .array(
            z
              .object({
                filename: z.string().min(1).max(1000),
                mimeType: z.string().max(200),
                // base64 of at most MAX_ATTACHMENT_BYTES
                base64: z
                  .string()
                  .max(
                    Math.ceil((MAX_ATTACHMENT_BYTES * 4) / 3) + 4,
                    'Die Datei ist größer als 20 MB',
                  ),
              })
              .strict(),
          )
          .max(20, 'Höchstens 20 Anlagen')
          .default([]),
      })
      .strict(),
    returns<{ caseId: string; aktenzeichen: string; mutationId: string }>(),
    [{ type: 'CaseList' }, { type: 'Sync' }],
  ),
})
