import { getCase } from '../../db/repositories/cases'
import type { DecisionView } from '../../preload/contract'
import { today } from '../services/cases'
import { confirmLateNotice, decide, forgetPassword, getDecision, issueNotice, missingParts, previewNotice, rememberedPassword } from '../services/decisions'
import { cosign, cosignInbox, markPosted, mayReview, noticeSummary, postOutbox, returnForChanges } from '../services/decisionReview'
import { openParts, outcomeLabelOf, reasonsSkeleton } from '../services/decisionText'
import { decisionFields, hearingRequired, loadNoticeTemplate, OUTCOMES } from '../services/notices/noticeModel'
import { prefillFields } from '../services/prefill'
import { actsFor } from '../services/caseActions'
import { notFound } from './errors'
import type { HandlerSlice } from './registry'

export const decisionHandlers: HandlerSlice<
  | 'decisions.get'
  | 'decisions.decide'
  | 'decisions.cosign'
  | 'decisions.returnForChanges'
  | 'decisions.cosignInbox'
  | 'notices.preview'
  | 'notices.summary'
  | 'notices.issue'
  | 'notices.postOutbox'
  | 'notices.markPosted'
  | 'notices.confirmLate'
  | 'notices.forgetPassword'
> = {
  'decisions.get': ({ id }, ctx): DecisionView => {
    const c = getCase(ctx.db, id)
    if (!c) throw notFound('Der Vorgang')
    const d = getDecision(ctx.db, id)
    const me = ctx.currentUser()
    const tpl = loadNoticeTemplate(c.procedureId)
    const late = ctx.db
      .prepare("SELECT json_extract(payload, '$.dispatchDate') AS d FROM outbox WHERE case_id = ? AND type = 'notice.issue' AND state = 'pending'")
      .get(id) as { d: string } | undefined
    const missing = d ? missingParts(ctx, id) : []
    const open = d && !d.dispatchDate ? openParts(missing) : []
    return {
      decision: d
        ? {
            outcome: d.outcome,
            outcomeLabel: outcomeLabelOf(c.procedureId, d.outcome),
            fields: d.fields,
            reasons: d.reasons,
            hearing: d.hearing,
            decidedBy: ctx.userName(d.decidedBy) ?? d.decidedBy,
            decidedById: d.decidedBy,
            decidedAt: d.decidedAt,
            draft: open.length > 0,
            open,
            cosignRequired: d.cosignRequired,
            cosignedBy: d.cosignedBy ? (ctx.userName(d.cosignedBy) ?? d.cosignedBy) : null,
            cosignedAt: d.cosignedAt,
            cosignComment: d.cosignComment,
            returned: d.returnedAt && d.returnNote ? { byName: ctx.userName(d.returnedBy) ?? d.returnedBy ?? '', at: d.returnedAt, note: d.returnNote } : null,
            noticeDocumentId: d.noticeDocument,
            postedAt: d.postedAt,
            dispatchDate: d.dispatchDate,
            channel: d.channel,
            deliveredOn: d.deliveredOn,
            objectionEnd: d.objectionEnd,
          }
        : null,
      outcomes: OUTCOMES.filter((o) => tpl.outcomes[o]).map((o) => ({
        value: o,
        label: outcomeLabelOf(c.procedureId, o),
        // everything the case holds is already written in: the day of receipt, the form's values
        reasonsSkeleton: reasonsSkeleton(tpl, c, o),
        fields: decisionFields(c.procedureId, o),
        hearingRequired: hearingRequired(tpl, o),
      })),
      hearingLegalBasis: tpl.hearing.legalBasis,
      prefill: { applicationDate: c.receivedAt.slice(0, 10), ...prefillFields(tpl.prefill, c.formData) },
      missing,
      canDecide: ['in_bearbeitung', 'entscheidungsreif', 'entschieden'].includes(c.status) && actsFor(ctx, c.assignee),
      canCosign: mayReview(ctx, c, d),
      cosignPending: Boolean(d && d.cosignRequired && !d.cosignedAt && !d.returnedAt && c.status === 'entscheidungsreif'),
      canIssue: c.status === 'entschieden' && actsFor(ctx, c.assignee),
      certificates: [
        ...(me.userId === 'u-jweiss' ? [{ value: 'personal' as const, label: 'Persönliches Zertifikat (Jörg Weiß, Demo)' }] : []),
        { value: 'seal' as const, label: 'Behördensiegel (Stadtverwaltung Görlitz, Demo)' },
      ].map((c) => ({ ...c, passwordRemembered: rememberedPassword(ctx, c.value) })),
      noticeLate: late && late.d < today(ctx) ? { dispatchDate: late.d } : null,
    }
  },
  'decisions.decide': ({ id, ...d }, ctx) => decide(ctx, id, d),
  'decisions.cosign': ({ id, comment }, ctx) => cosign(ctx, id, comment),
  'decisions.returnForChanges': ({ id, note }, ctx) => returnForChanges(ctx, id, note),
  'decisions.cosignInbox': (_input, ctx) => ({ rows: cosignInbox(ctx) }),
  'notices.preview': async ({ id }, ctx) => {
    const { pdf, missing } = await previewNotice(ctx, id)
    return { base64: Buffer.from(pdf).toString('base64'), missing }
  },
  'notices.summary': ({ id, channel }, ctx) => noticeSummary(ctx, id, channel),
  'notices.issue': ({ id, certificate, password, remember, channel }, ctx) => issueNotice(ctx, id, { certificate, password, remember, channel }),
  'notices.postOutbox': (_input, ctx) => ({ rows: postOutbox(ctx) }),
  'notices.markPosted': ({ id }, ctx) => markPosted(ctx, id),
  'notices.forgetPassword': ({ certificate }, ctx) => {
    forgetPassword(ctx, certificate)
    return { forgotten: true }
  },
  'notices.confirmLate': ({ id }, ctx) => confirmLateNotice(ctx, id),
}
