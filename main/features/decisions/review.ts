/**
 * After the decision: the team lead's Mitzeichnung (co-sign with a comment, or return to the
 * clerk with a note; four eyes compare user ids), the summary before signing and sending, and
 * the Postausgang of notices to be posted. Each action is one recordAction transaction.
 */
import { replyDeliveriesOfCase } from '../../../db/repositories/replies'
import { bekanntgabeNorms, lawOf, objectionRule } from '../../core/procedures'
import { getCase, setCaseStatus, type CaseRecord } from '../../../db/repositories/cases'
import {
  cosignQueue,
  recordCosign,
  recordPosted,
  recordReturn,
  unpostedNotices,
} from '../../../db/repositories/decisions'
import type { CosignInboxRow, NoticeSummary, PostOutboxRow } from '../../../preload/contract/index'
import { placeholderText } from '../../../preload/contract/decisionForm'
import { ApiFailure, notFound } from '../../core/errors'
import { caseRefusalFor, rightsWorld } from '../../core/caseRights'
import { addresseeOf } from '../../core/addressing'
import { recordAction } from '../casework/actions'
import { berlinDate } from '../../core/clock'
import type { AppContext } from '../../core/context'
import { bekanntgabe, periodText } from '../../lib/deadlines'
import { asPlaceholder, outcomeLabelOf } from './text'
import { getDecision, type Decision } from './service'
import { loadNoticeTemplate, type NoticeTemplate } from '../../lib/notices/noticeModel'

const requireCase = (ctx: AppContext, id: string): CaseRecord => {
  const c = getCase(ctx.db, id)
  if (!c) throw notFound('Der Vorgang')
  return c
}

/**
 * Why this decision cannot be co-signed or returned now (its state); null when it can. Who may
 * (a lead of the case's team other than the decider) is the dispatcher's rights gate.
 */
function reviewForbidden(c: CaseRecord, d: Decision | undefined): ApiFailure | null {
  if (!d)
    return new ApiFailure('invalid_transition', 'Es gibt noch keine Entscheidung zum Mitzeichnen.')
  if (!d.cosignRequired || d.cosignedAt || d.returnedAt || c.status !== 'entscheidungsreif')
    return new ApiFailure(
      'invalid_transition',
      'Diese Entscheidung wartet nicht auf eine Mitzeichnung.',
    )
  return null
}

/** Whether the current user may co-sign now: the decision waits, and the rights allow it (four eyes). */
export const mayReview = (ctx: AppContext, c: CaseRecord, d: Decision | undefined): boolean =>
  reviewForbidden(c, d) === null && caseRefusalFor(ctx, 'review', c.id) === null

export function cosign(ctx: AppContext, id: string, comment?: string) {
  const c = requireCase(ctx, id)
  const d = getDecision(ctx.db, id)
  const denied = reviewForbidden(c, d)
  if (denied) throw denied
  const me = ctx.currentUser()
  const note = comment?.trim() ? comment.trim() : null
  return recordAction(ctx, {
    caseId: id,
    type: 'case.cosign',
    payload: note ? { comment: note } : {},
    history: {
      action: 'Mitgezeichnet',
      detail: `${me.name} (Vier-Augen-Prinzip)${note ? ` – Anmerkung: ${note}` : ''}`,
    },
    apply: () => {
      recordCosign(ctx.db, id, me.userId, ctx.clock.now().toISOString(), note)
      setCaseStatus(ctx.db, id, 'entschieden')
    },
  })
}

/** The team lead sends the decision back to the clerk with a note instead of co-signing it. */
export function returnForChanges(ctx: AppContext, id: string, note: string) {
  const c = requireCase(ctx, id)
  const d = getDecision(ctx.db, id)
  const denied = reviewForbidden(c, d)
  if (denied)
    throw new ApiFailure(
      denied.code,
      denied.message
        .replace('zum Mitzeichnen', 'zum Zurückgeben')
        .replace('Mitzeichnung', 'Prüfung'),
    )
  const text = note.trim()
  if (!text)
    throw new ApiFailure('invalid_input', 'Bitte eine Anmerkung für die Sachbearbeitung angeben.')
  const me = ctx.currentUser()
  return recordAction(ctx, {
    caseId: id,
    // the office sees the status step back; the note travels as its reason
    type: 'case.status',
    payload: {
      from: c.status,
      to: 'in_bearbeitung',
      reason: `Zurück mit Anmerkung: ${text}`,
      returnNote: text,
    },
    history: {
      action: `Zurück an ${ctx.userName(d!.decidedBy) ?? d!.decidedBy} mit Anmerkung`,
      detail: text,
    },
    apply: () => {
      recordReturn(ctx.db, id, me.userId, ctx.clock.now().toISOString(), text)
      setCaseStatus(ctx.db, id, 'in_bearbeitung')
    },
  })
}

/** Decisions waiting for the current team lead's co-signature (not their own). */
export function cosignInbox(ctx: AppContext): CosignInboxRow[] {
  const me = ctx.currentUser()
  if (me.role !== 'lead') return []
  const world = rightsWorld(ctx)
  const mine = (id: string) => caseRefusalFor(ctx, 'review', id, { world }) === null
  return cosignQueue(ctx.db, me.userId)
    .filter(mine)
    .map((case_id) => {
      const c = getCase(ctx.db, case_id)!
      const d = getDecision(ctx.db, case_id)!
      return {
        caseId: c.id,
        aktenzeichen: c.aktenzeichen,
        applicantName: c.applicantName,
        procedureName: ctx.procedures.byId(c.procedureId)?.name ?? c.procedureId,
        outcomeLabel: outcomeLabelOf(c.procedureId, d.outcome),
        decidedByName: ctx.userName(d.decidedBy) ?? d.decidedBy,
        decidedAt: d.decidedAt,
        deadline: c.deadline,
        amounts: amountsOf(loadNoticeTemplate(c.procedureId), d),
      }
    })
}

/** The money fields of a decision, in German. */
export function amountsOf(
  tpl: NoticeTemplate,
  d: Pick<Decision, 'fields'>,
): { label: string; value: string }[] {
  return tpl.fields
    .filter((f) => f.type === 'money' && typeof d.fields[f.name] === 'number')
    .map((f) => ({
      label: f.label,
      value: placeholderText(asPlaceholder('money', d.fields[f.name]!))!,
    }))
}

/** What signing and sending today would do: to whom, which way, the amounts and the dates. */
export function noticeSummary(
  ctx: AppContext,
  id: string,
  channel: 'post' | 'portal',
): NoticeSummary {
  const c = requireCase(ctx, id)
  const d = getDecision(ctx.db, id)
  if (!d) throw new ApiFailure('invalid_transition', 'Es ist noch keine Entscheidung erfasst.')
  const a = addresseeOf(c)
  const dispatchDate = berlinDate(ctx.clock.now())
  const dates = bekanntgabe({
    dispatchDate,
    channel,
    norms: bekanntgabeNorms(ctx.procedures.byId(c.procedureId)),
    objection: objectionRule(ctx.procedures.byId(c.procedureId)),
  })
  return {
    addressee: [a.name, a.street, `${a.postalCode} ${a.city}`.trim()].filter(Boolean),
    channel,
    channelLabel:
      channel === 'post'
        ? `Post (Bekanntgabe am vierten Tag nach Aufgabe, ${ctx.procedures.byId(c.procedureId)?.law.bekanntgabePost ?? '§ 41 Abs. 2 VwVfG'})`
        : `Portal (Bekanntgabe am Tag nach dem Abruf, ${ctx.procedures.byId(c.procedureId)?.law.bekanntgabePortal ?? '§ 41 Abs. 2a VwVfG'})`,
    outcomeLabel: outcomeLabelOf(c.procedureId, d.outcome),
    amounts: amountsOf(loadNoticeTemplate(c.procedureId), d),
    dispatchDate,
    deliveredOn: dates.deliveredOn,
    objectionEnd: dates.objectionPeriodEnd,
    objection: lawOf(ctx.procedures.byId(c.procedureId), periodText).objection,
  }
}

/** Postausgang: notices signed for the postal channel that are not yet noted as handed to the post. */
export function postOutbox(ctx: AppContext): PostOutboxRow[] {
  return unpostedNotices(ctx.db).flatMap((r) => {
    const c = getCase(ctx.db, r.caseId)
    const d = getDecision(ctx.db, r.caseId)
    if (!c || !d) return []
    const a = addresseeOf(c)
    return [
      {
        caseId: c.id,
        aktenzeichen: c.aktenzeichen,
        addressee: [a.name, a.street, `${a.postalCode} ${a.city}`.trim()].filter(Boolean),
        outcomeLabel: outcomeLabelOf(c.procedureId, d.outcome),
        dispatchDate: r.dispatchDate,
        documentId: r.noticeDocument,
        filename: r.filename,
        notRetrieved: replyDeliveriesOfCase(ctx.db, c.id).some(
          (x) => x.kind === 'bescheid' && x.state === 'not_retrieved',
        ),
      },
    ]
  })
}

/** The printed notice went into the post: it leaves the Postausgang. */
export function markPosted(ctx: AppContext, id: string) {
  requireCase(ctx, id)
  const d = getDecision(ctx.db, id)
  if (!d?.noticeDocument || d.channel !== 'post')
    throw new ApiFailure(
      'invalid_transition',
      'Für diesen Vorgang liegt kein Bescheid für den Postversand vor.',
    )
  if (d.postedAt) return { mutationId: null }
  const me = ctx.currentUser()
  const postedOn = berlinDate(ctx.clock.now())
  return recordAction(ctx, {
    caseId: id,
    type: 'notice.posted',
    payload: { postedOn, document: d.noticeDocument },
    history: {
      action: 'Bescheid zur Post gegeben',
      detail: `${me.name}, ${postedOn.split('-').reverse().join('.')}`,
    },
    apply: () => {
      recordPosted(ctx.db, id, me.userId, ctx.clock.now().toISOString())
    },
  })
}
