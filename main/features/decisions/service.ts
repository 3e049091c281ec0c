import { getCase, setCaseStatus, type CaseRecord } from '../../../db/repositories/cases'
import { decisionOf, saveDecision, type DecisionRecord } from '../../../db/repositories/decisions'
import type { ReadDb } from '../../../db/open'
import { ApiFailure, notFound } from '../../core/errors'
import { recordAction } from '../casework/actions'
import type { AppContext } from '../../core/context'
import {
  checkNotice,
  fieldsOfOutcome,
  loadNoticeTemplate,
  OUTCOME_LABELS,
} from '../../lib/notices/noticeModel'
import { fillPlaceholders } from '../../../preload/contract/decisionForm'
import { caseValues, decisionChanges, fieldValues, noticeInputFor, openParts } from './text'
import type { Procedure } from '../../core/procedures'

import type {
  DecisionFieldValue as FieldValue,
  HearingRecord,
  Outcome,
} from '../../../preload/contract/index'
export type { FieldValue, HearingRecord, Outcome }

/** A decision with its JSON typed: `fields` and `hearing` were written by decide() (or the office) from checked input. */
export interface Decision extends Omit<DecisionRecord, 'fields' | 'hearing'> {
  fields: Record<string, FieldValue>
  hearing: HearingRecord | null
}

export function getDecision(db: ReadDb, caseId: string): Decision | undefined {
  const r = decisionOf(db, caseId)
  if (!r) return undefined
  return {
    ...r,
    fields: r.fields as Record<string, FieldValue>,
    hearing: (r.hearing ?? null) as HearingRecord | null,
  }
}

/** Four eyes (product.md): every Baugenehmigung, Wohngeld above an amount — from assets/procedures.json. */
export function cosignRequired(
  procedure: Procedure | undefined,
  fields: Record<string, FieldValue>,
): boolean {
  const rule = procedure?.cosign
  if (!rule) return false
  if (rule.rule === 'always') return true
  const v = fields[rule.field]
  return typeof v === 'number' && v > rule.threshold
}

export const requireCase = (ctx: AppContext, id: string): CaseRecord => {
  const c = getCase(ctx.db, id)
  if (!c) throw notFound('Der Vorgang')
  return c
}

export function decide(
  ctx: AppContext,
  id: string,
  d: {
    outcome: Outcome
    fields: Record<string, FieldValue>
    reasons: string
    hearing?: HearingRecord | undefined
  },
  /** another action recorded as this decision's change (the Anhörung letter, hearing.ts) */
  via?: { history: { action: string; detail: string }; alsoApply: () => void },
) {
  const c = requireCase(ctx, id)
  if (!['in_bearbeitung', 'entscheidungsreif', 'entschieden'].includes(c.status))
    throw new ApiFailure(
      'invalid_transition',
      'Entschieden werden kann ein Vorgang in Bearbeitung oder entscheidungsreif – nicht nach dem Versand.',
    )
  const tpl = loadNoticeTemplate(c.procedureId)
  if (!tpl.outcomes[d.outcome])
    throw new ApiFailure(
      'invalid_input',
      `Das Ergebnis „${OUTCOME_LABELS[d.outcome]}“ ist für dieses Verfahren nicht vorgesehen.`,
    )
  const unknown = Object.keys(d.fields).filter((k) => !tpl.fields.some((f) => f.name === k))
  if (unknown.length)
    throw new ApiFailure(
      'invalid_input',
      `Unbekannte Felder für dieses Verfahren: ${unknown.join(', ')}`,
    )
  // only the fields of the chosen outcome are stored (a withdrawal has no monthly amount)
  const relevant = new Set(fieldsOfOutcome(tpl, d.outcome).map((f) => f.name))
  const fields = Object.fromEntries(Object.entries(d.fields).filter(([k]) => relevant.has(k)))
  const before = getDecision(ctx.db, id)
  const hearing = keepLetter(d.hearing ?? null, before?.hearing ?? null)
  // everything the case and the decision hold is written into the Begründung
  const reasons = fillPlaceholders(d.reasons, {
    ...caseValues(tpl, c, hearing),
    ...fieldValues(tpl, fields),
  })
  const me = ctx.currentUser()
  const next: Decision = {
    caseId: id,
    outcome: d.outcome,
    fields,
    reasons,
    hearing,
    decidedBy: me.userId,
    decidedAt: '',
    cosignRequired: false,
    cosignedBy: null,
    cosignedAt: null,
    cosignComment: null,
    returnedBy: null,
    returnedAt: null,
    returnNote: null,
    postedBy: null,
    postedAt: null,
    noticeDocument: null,
    dispatchDate: null,
    channel: null,
    deliveredOn: null,
    objectionEnd: null,
  }
  const open = openParts(checkNotice(noticeInputFor(ctx, c, next)))
  const draft = open.length > 0
  // a draft is not yet anything to co-sign
  const needsCosign = !draft && cosignRequired(ctx.procedures.byId(c.procedureId), fields)
  const status = draft
    ? c.status === 'entschieden'
      ? 'in_bearbeitung'
      : c.status
    : needsCosign
      ? 'entscheidungsreif'
      : 'entschieden'
  const changes = before ? decisionChanges(tpl, before, next) : []
  const resubmitted = Boolean(before?.returnedAt)
  // opened and saved unchanged: nothing happened, nothing is recorded (a co-signature stays)
  if (
    !via &&
    before &&
    changes.length === 0 &&
    !resubmitted &&
    (before.cosignedAt ? c.status === 'entschieden' : status === c.status)
  )
    return { mutationId: null }
  const label = tpl.outcomes[d.outcome]?.label ?? OUTCOME_LABELS[d.outcome]
  const action = before
    ? changes.length
      ? `Entscheidung geändert: ${changes.join('; ')}`
      : resubmitted
        ? 'Entscheidung erneut zur Mitzeichnung vorgelegt'
        : 'Entscheidung unverändert erneut gespeichert'
    : draft
      ? `Entscheidung als Entwurf erfasst: ${label}`
      : `Entscheidung erfasst: ${label}`
  const detail = draft
    ? `Entwurf – noch offen: ${open.map((m) => m.messageDe).join(' ')}`
    : needsCosign
      ? 'Mitzeichnung durch die Sachgebietsleitung erforderlich'
      : ''
  const at = ctx.clock.now().toISOString()
  return recordAction(ctx, {
    caseId: id,
    type: 'case.decide',
    payload: {
      outcome: d.outcome,
      fields,
      reasons,
      hearing,
      cosignRequired: needsCosign,
      status,
      draft,
    },
    history: via?.history ?? { action, detail },
    apply: () => {
      via?.alsoApply()
      saveDecision(ctx.db, {
        caseId: id,
        outcome: d.outcome,
        fields,
        reasons,
        hearing,
        decidedBy: me.userId,
        decidedAt: at,
        cosignRequired: needsCosign,
      })
      setCaseStatus(ctx.db, id, status)
    },
  })
}

/** Saving the form again keeps the Anhörung letter of the hearing it names (the form has no letter). */
function keepLetter(next: HearingRecord | null, prev: HearingRecord | null): HearingRecord | null {
  if (next?.done && !next.letter && prev?.done && prev.letter && prev.date === next.date)
    return { ...next, letter: prev.letter }
  return next
}

export const outcomeLabel: Record<Outcome, string> = {
  stattgegeben: 'stattgegeben',
  teilweise_stattgegeben: 'teilweise stattgegeben',
  abgelehnt: 'abgelehnt',
  eingestellt: 'eingestellt',
}

// Mitzeichnung, the summary before sending and the Postausgang: review.ts; the words of a decision: text.ts
// the notice of a decision (preview, sign and send, late release): ../notices/service.ts
