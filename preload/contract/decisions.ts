/** `decisions.*` — The decision on a case and its Mitzeichnung (four-eyes). */
import { z } from 'zod'
import {
  type ActionResult,
  caseTags,
  id,
  isoDate,
  mutation,
  namespace,
  query,
  returns,
} from './shared'

// the outcome vocabulary is declared once in db/domain.ts
export { OUTCOMES as outcomes, type Outcome } from '../../db/domain'
import { OUTCOMES as outcomes, type Outcome } from '../../db/domain'
export type DecisionFieldValue = number | string | string[]
export type HearingRecord =
  { done: true; date: string } | { done: false; dispensableReason: string }
export interface DecisionFieldDef {
  name: string
  label: string
  type: 'money' | 'date' | 'text' | 'list'
  required: boolean
  hint?: string
}
export interface MissingPart {
  code: string
  messageDe: string
}
/** One letter to the applicant through the Rückkanal (FIT-Connect reply channel, issue #16). */
export interface ReplyStateView {
  kind: 'bescheid' | 'nachforderung' | 'anhoerung'
  /** pending: waits for the line; delivered: ready for retrieval; not_retrieved: goes by post */
  state: 'pending' | 'delivered' | 'retrieved' | 'not_retrieved'
  createdAt: string
  deliveredAt: string | null
  /** the last day the applicant may retrieve it (ten days, § 41 Abs. 2a VwVfG) */
  windowEnd: string | null
  retrievedAt: string | null
  attempts: number
}
export interface DecisionView {
  /** the case's letters through the Rückkanal, oldest first */
  replies: ReplyStateView[]
  decision: {
    outcome: Outcome
    fields: Record<string, DecisionFieldValue>
    reasons: string
    hearing: HearingRecord | null
    decidedBy: string
    decidedAt: string
    cosignRequired: boolean
    cosignedBy: string | null
    cosignedAt: string | null
    dispatchDate: string | null
    channel: 'post' | 'portal' | null
    deliveredOn: string | null
    objectionEnd: string | null
    /** the co-signer's optional comment */
    cosignComment: string | null
    /** user id of the person who decided (four eyes compare identities, never names) */
    decidedById: string
    /** the template's name of the outcome, e.g. „Bewilligung“ */
    outcomeLabel: string
    /** open fields or placeholders: the decision is a draft, the case not „Entschieden“ */
    draft: boolean
    open: MissingPart[]
    /** the team lead sent it back instead of co-signing */
    returned: { byName: string; at: string; note: string } | null
    noticeDocumentId: string | null
    /** postal channel: when the printed notice was noted as handed to the post */
    postedAt: string | null
  } | null
  outcomes: {
    value: Outcome
    label: string
    reasonsSkeleton: string
    fields: DecisionFieldDef[]
    hearingRequired: boolean
  }[]
  hearingLegalBasis: string
  /** the procedure's law: the Bekanntgabe norms and the legal remedy with its period */
  law: {
    bekanntgabePost: string
    bekanntgabePortal: string
    objection: { name: string; period: string; norm: string }
  }
  /** field values taken from the submitted form (and the date of receipt) */
  prefill: Record<string, string>
  missing: MissingPart[]
  canDecide: boolean
  canCosign: boolean
  /** complete and waiting for the team lead's co-signature */
  cosignPending: boolean
  canIssue: boolean
  certificates: { value: 'personal' | 'seal'; label: string; passwordRemembered: boolean }[]
  noticeLate: { dispatchDate: string } | null
}

/** A decision waiting for the team lead's co-signature (Mitzeichnung inbox). */
export interface CosignInboxRow {
  caseId: string
  aktenzeichen: string
  applicantName: string
  procedureName: string
  outcomeLabel: string
  decidedByName: string
  decidedAt: string
  deadline: string | null
  amounts: { label: string; value: string }[]
}
export const decisions = namespace('decisions', {
  get: query(z.object({ id }).strict(), returns<DecisionView>(), (i) => [
    { type: 'Case', id: i.id },
  ]),
  decide: mutation(
    z
      .object({
        id,
        outcome: z.enum(outcomes),
        fields: z.record(
          z
            .string()
            .regex(/^[a-zA-Z][a-zA-Z0-9]*$/)
            .max(60),
          z.union([
            z.number().finite().min(0).max(1e9),
            z.string().max(2000),
            z.array(z.string().max(500)).max(50),
          ]),
        ),
        reasons: z.string().max(20_000, 'Die Begründung ist zu lang'),
        hearing: z
          .union([
            z.object({ done: z.literal(true), date: isoDate }).strict(),
            z
              .object({
                done: z.literal(false),
                dispensableReason: z.string().trim().min(1, 'Grund fehlt').max(2000),
              })
              .strict(),
          ])
          .optional(),
      })
      .strict(),
    returns<ActionResult>(),
    (i) => caseTags(i.id),
  ),
  cosign: mutation(
    z
      .object({ id, comment: z.string().trim().max(2000, 'Die Anmerkung ist zu lang').optional() })
      .strict(),
    returns<ActionResult>(),
    (i) => caseTags(i.id),
  ),
  returnForChanges: mutation(
    z
      .object({
        id,
        note: z
          .string()
          .trim()
          .min(1, 'Bitte eine Anmerkung für die Sachbearbeitung angeben')
          .max(2000, 'Die Anmerkung ist zu lang'),
      })
      .strict(),
    returns<ActionResult>(),
    (i) => caseTags(i.id),
  ),
  /** the Mitzeichnung inbox of a team lead */
  cosignInbox: query(z.object({}).strict(), returns<{ rows: CosignInboxRow[] }>(), [
    { type: 'CaseList' },
  ]),
})
