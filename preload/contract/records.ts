/** `records.*` — Records management on a single case: zdA (close) and reopening. */
import { z } from 'zod'
import { type ActionResult, caseTags, id, mutation, namespace, query, returns } from './shared'

export const archivalValues = ['archivwürdig', 'prüfen', 'vernichten'] as const
export type ArchivalValue = (typeof archivalValues)[number]
/** The zdA dialog: the file plan's proposal, and for a closed case what was decided. */
export interface ClosingView {
  fileCode: string
  fileTitle: string
  proposedRetentionYears: number
  proposedArchivalValue: ArchivalValue
  closed: {
    retentionYears: number | null
    archivalValue: ArchivalValue | null
    recordsNote: string | null
  } | null
}

export const records = namespace('records', {
  closing: query(z.object({ id }).strict(), returns<ClosingView>(), (i) => [
    { type: 'Case', id: i.id },
  ]),
  close: mutation(
    z
      .object({
        id,
        /** Aufbewahrungsfrist in Jahren; default from the file plan */
        retentionYears: z
          .number()
          .int()
          .min(1, 'Mindestens ein Jahr')
          .max(100, 'Höchstens 100 Jahre')
          .optional(),
        archivalValue: z.enum(archivalValues).optional(),
        /** Registraturvermerk */
        note: z
          .string()
          .trim()
          .max(2000, 'Der Registraturvermerk ist zu lang (höchstens 2000 Zeichen)')
          .optional(),
      })
      .strict(),
    returns<ActionResult>(),
    (i) => caseTags(i.id),
  ),
  reopen: mutation(
    z
      .object({ id, reason: z.string().trim().min(1, 'Bitte einen Grund angeben').max(1000) })
      .strict(),
    returns<ActionResult>(),
    (i) => caseTags(i.id),
  ),
})
