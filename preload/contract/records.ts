/** `records.*` — Records management on a single case: zdA (close) and reopening. */
import { z } from 'zod'
import { type ActionResult, caseTags, id, mutation, namespace, returns } from './shared'

export const records = namespace('records', {
  close: mutation(
    z.object({ id }).strict(),
    returns<ActionResult>(),
    (i) => caseTags(i.id),
  ),
  reopen: mutation(
    z.object({ id, reason: z.string().trim().min(1, 'Bitte einen Grund angeben').max(1000) }).strict(),
    returns<ActionResult>(),
    (i) => caseTags(i.id),
  ),
})
