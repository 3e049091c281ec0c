/** `notices.*` — The signed notice (Bescheid): preview, sign and send, late release, remembered passwords. */
import { z } from 'zod'
import { type ActionResult, caseTags, id, mutation, namespace, query, returns } from './shared'
import { type MissingPart } from './decisions'

export const notices = namespace('notices', {
  confirmLate: mutation(
    z.object({ id }).strict(),
    returns<ActionResult>(),
    (i) => caseTags(i.id),
  ),
  forgetPassword: mutation(
    z.object({ certificate: z.enum(['personal', 'seal']) }).strict(),
    returns<{ forgotten: true }>(),
    [{ type: 'Case' }],
  ),
  preview: query(
    z.object({ id }).strict(),
    returns<{ base64: string; missing: MissingPart[] }>(),
    (i) => [{ type: 'Case', id: i.id }], { keepFor: 5 },
  ),
  issue: mutation(
    z
      .object({
        id,
        certificate: z.enum(['personal', 'seal']),
        /** optional when the user let the OS keep it (see `remember`) */
        password: z.string().max(200).optional(),
        remember: z.boolean().optional(),
        channel: z.enum(['post', 'portal']).default('post'),
        confirmLate: z.boolean().optional(),
      })
      .strict(),
    returns<ActionResult>(),
    (i) => caseTags(i.id),
  ),
})
