// What the decision pane shows for one case: the decision, the template's outcomes with their
// fields and skeletons (prefilled from the case), what is still missing, and who may do what.
import { getCase } from '../../../db/repositories/cases'
import { pendingNoticeDispatchDate } from '../../../db/repositories/outbox'
import { replyDeliveriesOfCase } from '../../../db/repositories/replies'
import type { DecisionView } from '../../../preload/contract/index'
import { notFound } from '../../core/errors'
import { lawOf } from '../../core/procedures'
import { periodText } from '../../lib/deadlines'
import type { AppContext } from '../../core/context'
import {
  decisionFields,
  hearingRequired,
  loadNoticeTemplate,
  OUTCOMES,
} from '../../lib/notices/noticeModel'
import { today } from '../cases/service'
import { mayWorkOn } from '../casework/actions'
import { certificatesOf } from '../notices/certificates'
import { missingParts, rememberedPassword } from '../notices/service'
import { prefillFields } from './prefill'
import { mayReview } from './review'
import { getDecision } from './service'
import { openParts, outcomeLabelOf, reasonsSkeleton } from './text'

export function decisionView(ctx: AppContext, id: string): DecisionView {
  const c = getCase(ctx.db, id)
  if (!c) throw notFound('Der Vorgang')
  const d = getDecision(ctx.db, id)
  const me = ctx.currentUser()
  const tpl = loadNoticeTemplate(c.procedureId)
  const late = pendingNoticeDispatchDate(ctx.db, id)
  const missing = d ? missingParts(ctx, id) : []
  const open = d && !d.dispatchDate ? openParts(missing) : []
  return {
    replies: replyDeliveriesOfCase(ctx.db, id).map((r) => ({
      kind: r.kind,
      state: r.state,
      createdAt: r.createdAt,
      deliveredAt: r.deliveredAt,
      windowEnd: r.windowEnd,
      retrievedAt: r.retrievedAt,
      attempts: r.attempts,
    })),
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
          returned:
            d.returnedAt && d.returnNote
              ? {
                  byName: ctx.userName(d.returnedBy) ?? d.returnedBy ?? '',
                  at: d.returnedAt,
                  note: d.returnNote,
                }
              : null,
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
    law: lawOf(ctx.procedures.byId(c.procedureId), periodText),
    prefill: {
      applicationDate: c.receivedAt.slice(0, 10),
      ...prefillFields(tpl.prefill, c.formData),
    },
    missing,
    canDecide:
      ['in_bearbeitung', 'entscheidungsreif', 'entschieden'].includes(c.status) &&
      mayWorkOn(ctx, c.id),
    canCosign: mayReview(ctx, c, d),
    cosignPending: Boolean(
      d && d.cosignRequired && !d.cosignedAt && !d.returnedAt && c.status === 'entscheidungsreif',
    ),
    canIssue: c.status === 'entschieden' && mayWorkOn(ctx, c.id),
    certificates: certificatesOf(me.userId).map((c) => ({
      ...c,
      passwordRemembered: rememberedPassword(ctx, c.value),
    })),
    noticeLate: late && late < today(ctx) ? { dispatchDate: late } : null,
  }
}
