/** `notices.*` — The signed notice (Bescheid): preview, sign and send, late release, remembered passwords. */
import { z } from 'zod'
import { type ActionResult, caseTags, id, mutation, namespace, query, returns } from './shared'
import { type MissingPart } from './decisions'

/** What signing and sending today would do (first step of „Signieren und versenden“). */
export interface NoticeSummary {
  addressee: string[]
  channel: 'post' | 'portal'
  channelLabel: string
  outcomeLabel: string
  amounts: { label: string; value: string }[]
  dispatchDate: string
  deliveredOn: string | null
  objectionEnd: string | null
  /** the legal remedy of the procedure's law: „Widerspruch“ (one month) or „Einspruch“ (two weeks) */
  objection: { name: string; period: string; norm: string }
}
/** A signed notice for the postal channel not yet handed to the post (Postausgang). */
export interface PostOutboxRow {
  caseId: string
  aktenzeichen: string
  addressee: string[]
  outcomeLabel: string
  dispatchDate: string
  documentId: string
  filename: string
  /** a portal notice the applicant did not retrieve within the ten days (Rückkanal): now by post */
  notRetrieved: boolean
}

export const notices = namespace('notices', {
  confirmLate: mutation(z.object({ id }).strict(), returns<ActionResult>(), (i) => caseTags(i.id)),
  forgetPassword: mutation(
    z.object({ certificate: z.enum(['personal', 'seal']) }).strict(),
    returns<{ forgotten: true }>(),
    [{ type: 'Case' }],
  ),
  preview: query(
    z.object({ id }).strict(),
    returns<{ base64: string; missing: MissingPart[] }>(),
    (i) => [{ type: 'Case', id: i.id }],
    { keepFor: 5 },
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
  /** first step of „Signieren und versenden“: what sending today would do */
  summary: query(
    z.object({ id, channel: z.enum(['post', 'portal']).default('post') }).strict(),
    returns<NoticeSummary>(),
    (i) => [{ type: 'Case', id: i.id }],
    { keepFor: 0 },
  ),
  /** signed notices for the post not yet handed over (Postausgang) */
  postOutbox: query(z.object({}).strict(), returns<{ rows: PostOutboxRow[] }>(), [
    { type: 'CaseList' },
  ]),
  markPosted: mutation(z.object({ id }).strict(), returns<ActionResult>(), (i) => caseTags(i.id)),
})
