// The Anhörung (§ 28 VwVfG) as a letter: rendered like the Nachforderung, filed in Dokumente,
// delivered through the reply outbox when the applicant named a reply channel, and recorded on the
// decision (its hearing gets the date and the letter) with the decision's own office mutation;
// the letter itself goes to the office as a `case.document`.
import { germanDate } from '../../../common/dates'
import { getCase } from '../../../db/repositories/cases'
import { insertDocument } from '../../../db/repositories/documents'
import { enqueueMutation } from '../../../db/repositories/outbox'
import { addresseeOf, clerkOf, issuingAuthority } from '../../core/addressing'
import { berlinDate } from '../../core/clock'
import type { AppContext } from '../../core/context'
import { ApiFailure } from '../../core/errors'
import { hearingRequired, loadNoticeTemplate, OUTCOME_LABELS } from '../../lib/notices/noticeModel'
import { prepareReply } from '../replies/enqueue'
import { decide, getDecision, requireCase } from './service'

/** at least two weeks to comment (the usual appropriate period of § 28 Abs. 1 VwVfG) */
export const HEARING_MIN_DAYS = 14

const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000)

export async function sendHearingLetter(
  ctx: AppContext,
  id: string,
  points: string[],
  deadline: string,
) {
  const c = requireCase(ctx, id)
  const d = getDecision(ctx.db, id)
  const tpl = loadNoticeTemplate(c.procedureId)
  if (!d)
    throw new ApiFailure(
      'invalid_transition',
      'Bitte erfassen Sie zuerst die beabsichtigte Entscheidung (als Entwurf genügt); die Anhörung nennt sie.',
    )
  if (!hearingRequired(tpl, d.outcome))
    throw new ApiFailure(
      'invalid_input',
      `Für das Ergebnis „${OUTCOME_LABELS[d.outcome]}“ ist keine Anhörung vorgesehen.`,
    )
  const date = berlinDate(ctx.clock.now())
  if (daysBetween(date, deadline) < HEARING_MIN_DAYS)
    throw new ApiFailure(
      'invalid_input',
      `Die Frist zur Äußerung muss mindestens zwei Wochen betragen – bitte ein Datum ab dem ${germanDate(addDays(date, HEARING_MIN_DAYS))} wählen.`,
    )
  // pdf-lib and the fonts load with the first letter, not with the app (cold start)
  const { renderHearingLetter } = await import('../../lib/notices/hearingLetter')
  const bytes = await renderHearingLetter({
    procedureId: c.procedureId,
    authority: issuingAuthority(ctx, c.procedureId),
    addressee: addresseeOf(c),
    aktenzeichen: c.aktenzeichen,
    date,
    clerk: clerkOf(ctx, ctx.currentUser()),
    applicationDate: c.receivedAt.slice(0, 10),
    intended: tpl.outcomes[d.outcome]?.label ?? OUTCOME_LABELS[d.outcome],
    points,
    deadline,
    legalBasis: tpl.hearing.legalBasis,
    channel: c.channel,
  })
  const createdAt = ctx.clock.now().toISOString()
  const doc = {
    id: ctx.newId(),
    caseId: id,
    kind: 'anhoerung',
    title: `Anhörung vom ${germanDate(date)}`,
    filename: `Anhoerung-${c.aktenzeichen}.pdf`,
    mimeType: 'application/pdf',
    size: bytes.length,
    sha256: ctx.blobs.put(bytes),
    createdAt,
  }
  // Rückkanal: the letter goes the same way as the Nachforderung and the Bescheid
  const reply = await prepareReply(ctx, id, doc.id, {
    kind: 'anhoerung',
    title: doc.title,
    filename: doc.filename,
    mimeType: doc.mimeType,
    bytes,
    createdAt,
  })
  const done = decide(
    ctx,
    id,
    {
      outcome: d.outcome,
      fields: d.fields,
      reasons: d.reasons,
      hearing: { done: true, date, letter: { documentId: doc.id, deadline, points } },
    },
    {
      history: {
        action: 'Anhörung versandt',
        detail: `${points.join('; ')} – Äußerung bis ${germanDate(deadline)}`,
      },
      alsoApply: () => {
        insertDocument(ctx.db, doc)
        // the office files the letter like any document (before the decision that names it)
        enqueueMutation(ctx.db, {
          mutationId: ctx.newId(),
          type: 'case.document',
          caseId: id,
          baseVersion: getCase(ctx.db, id)!.version,
          at: createdAt,
          actor: ctx.currentUser().userId,
          payload: { document: { ...doc, caseId: undefined } },
        })
        reply?.apply()
      },
    },
  )
  return { ...done, documentId: doc.id }
}

function addDays(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)
}
