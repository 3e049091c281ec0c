import { getCase } from '../../../db/repositories/cases'
import type { DecisionView } from '../../../preload/contract/index'
import { today } from '../cases/service'
import { rememberedPassword, cosign, decide, getDecision, missingParts } from './service'
import { decisionFields, hearingRequired, loadNoticeTemplate, OUTCOME_LABELS, OUTCOMES } from '../../lib/notices/noticeModel'
import { prefillFields } from './prefill'
import { actsFor } from '../casework/actions'
import { notFound } from '../../core/errors'
import { defineHandlers } from '../../api/registry'

export const decisionsHandlers = defineHandlers('decisions', {
  get: ({ id }, ctx): DecisionView => {
    const c = getCase(ctx.db, id)
    if (!c) throw notFound('Der Vorgang')
    const d = getDecision(ctx.db, id)
    const me = ctx.currentUser()
    const tpl = loadNoticeTemplate(c.procedureId)
    const late = ctx.db
      .prepare("SELECT json_extract(payload, '$.dispatchDate') AS d FROM outbox WHERE case_id = ? AND type = 'notice.issue' AND state = 'pending'")
      .get(id) as { d: string } | undefined
    return {
      decision: d
        ? {
            outcome: d.outcome,
            fields: d.fields,
            reasons: d.reasons,
            hearing: d.hearing,
            decidedBy: ctx.userName(d.decidedBy) ?? d.decidedBy,
            decidedAt: d.decidedAt,
            cosignRequired: d.cosignRequired,
            cosignedBy: d.cosignedBy ? (ctx.userName(d.cosignedBy) ?? d.cosignedBy) : null,
            cosignedAt: d.cosignedAt,
            dispatchDate: d.dispatchDate,
            channel: d.channel,
            deliveredOn: d.deliveredOn,
            objectionEnd: d.objectionEnd,
          }
        : null,
      outcomes: OUTCOMES.filter((o) => tpl.outcomes[o]).map((o) => ({
        value: o,
        label: tpl.outcomes[o]?.label ?? OUTCOME_LABELS[o],
        reasonsSkeleton: tpl.outcomes[o]?.reasonsSkeleton ?? '',
        fields: decisionFields(c.procedureId, o),
        hearingRequired: hearingRequired(tpl, o),
      })),
      hearingLegalBasis: tpl.hearing.legalBasis,
      prefill: { applicationDate: c.receivedAt.slice(0, 10), ...prefillFields(tpl.prefill, c.formData) },
      missing: d ? missingParts(ctx, id) : [],
      canDecide: ['in_bearbeitung', 'entscheidungsreif', 'entschieden'].includes(c.status) && actsFor(ctx, c.assignee),
      canCosign: Boolean(d?.cosignRequired && !d.cosignedAt && me.role === 'lead' && d.decidedBy !== me.userId),
      canIssue: c.status === 'entschieden' && actsFor(ctx, c.assignee),
      certificates: [
        ...(me.userId === 'u-jweiss' ? [{ value: 'personal' as const, label: 'Persönliches Zertifikat (Jörg Weiß, Demo)' }] : []),
        { value: 'seal' as const, label: 'Behördensiegel (Stadtverwaltung Görlitz, Demo)' },
      ].map((c) => ({ ...c, passwordRemembered: rememberedPassword(ctx, c.value) })),
      noticeLate: late && late.d < today(ctx) ? { dispatchDate: late.d } : null,
    }
  },
  decide: ({ id, ...d }, ctx) => decide(ctx, id, d),
  cosign: ({ id }, ctx) => cosign(ctx, id),
})
