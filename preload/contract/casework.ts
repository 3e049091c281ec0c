/** `casework.*` — Working on a case: take over, hand back, status, notes, Wiedervorlage, Nachforderung. */
import { z } from 'zod'
import { type ActionResult, caseTags, id, isoDate, mutation, namespace, returns } from './shared'
import { CASE_STATUSES as caseStatuses } from '../../db/domain'

export const casework = namespace('casework', {
  take: mutation(z.object({ id }).strict(), returns<ActionResult>(), (i) => caseTags(i.id)),
  release: mutation(
    z.object({ id, reason: z.string().trim().max(500).optional() }).strict(),
    returns<ActionResult>(),
    (i) => caseTags(i.id),
  ),
  setStatus: mutation(
    z
      .object({ id, to: z.enum(caseStatuses), reason: z.string().trim().max(500).optional() })
      .strict(),
    returns<ActionResult>(),
    (i) => caseTags(i.id),
  ),
  addNote: mutation(
    z
      .object({
        id,
        text: z
          .string()
          .trim()
          .min(1, 'Der Vermerk ist leer')
          .max(10_000, 'Der Vermerk ist zu lang'),
        kind: z.enum(['note', 'phone']).default('note'),
        party: z.string().trim().max(200).optional(),
      })
      .strict(),
    // the new note's id: the screen moves the focus to it
    returns<ActionResult & { noteId: string }>(),
    (i) => caseTags(i.id),
  ),
  setFollowUp: mutation(
    z
      .object({ id, date: isoDate.nullable(), reason: z.string().trim().max(500).optional() })
      .strict(),
    returns<ActionResult>(),
    (i) => caseTags(i.id),
  ),
  requestDocuments: mutation(
    z
      .object({
        id,
        items: z
          .array(z.string().trim().min(1).max(200))
          .min(1, 'Mindestens eine Unterlage auswählen')
          .max(20),
        deadline: isoDate,
      })
      .strict(),
    returns<ActionResult>(),
    (i) => caseTags(i.id),
  ),
})
