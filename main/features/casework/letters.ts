import { germanDate } from '../../../common/dates'
import type { CaseRecord } from '../../../db/repositories/cases'
import { addresseeOf, clerkOf, issuingAuthority } from '../../core/addressing'
import type { AppContext } from '../../core/context'
import { berlinDate } from '../../core/clock'
import { prepareReply } from '../replies/enqueue'
import { requestDocuments } from './actions'

/** Nachforderung with its generated letter (PDF) filed in Dokumente. */
export async function requestDocumentsWithLetter(
  ctx: AppContext,
  c: CaseRecord,
  items: string[],
  deadline: string,
) {
  const date = berlinDate(ctx.clock.now())
  // pdf-lib and the fonts load with the first letter, not with the app (cold start)
  const { renderDocumentRequestLetter } = await import('../../lib/notices/noticePdf')
  const bytes = await renderDocumentRequestLetter({
    procedureId: c.procedureId,
    authority: issuingAuthority(ctx, c.procedureId),
    addressee: addresseeOf(c),
    aktenzeichen: c.aktenzeichen,
    date,
    clerk: clerkOf(ctx, ctx.currentUser()),
    applicationDate: c.receivedAt.slice(0, 10),
    requestedDocuments: items,
    deadline,
    channel: c.channel,
  })
  const docId = ctx.newId()
  const letter = {
    id: docId,
    kind: 'nachforderung',
    title: `Nachforderung vom ${germanDate(date)}`,
    filename: `Nachforderung-${c.aktenzeichen}.pdf`,
    mimeType: 'application/pdf',
    bytes,
  }
  // Rückkanal: the letter goes the same way as the Bescheid when the applicant named a channel
  const reply = await prepareReply(ctx, c.id, docId, {
    kind: 'nachforderung',
    title: letter.title,
    filename: letter.filename,
    mimeType: letter.mimeType,
    bytes,
    createdAt: ctx.clock.now().toISOString(),
  })
  return requestDocuments(ctx, c.id, items, deadline, letter, reply && (() => reply.apply()))
}
