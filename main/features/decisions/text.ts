/**
 * The words of a decision: the template's outcome labels, what the case holds for the Begründung
 * skeleton, the draft check and the Verlauf line „Monatliches Wohngeld 187,50 € → 190,00 €“.
 */
import type { CaseRecord } from '../../../db/repositories/cases'
import type {
  DecisionFieldValue as FieldValue,
  HearingRecord,
  Outcome,
} from '../../../preload/contract/index'
import {
  fillPlaceholders,
  placeholderText,
  type PlaceholderValue,
} from '../../../preload/contract/decisionForm'
import { parseMoney } from '../../../common/germanNumbers'
import type { Decision } from './service'
import type { AppContext } from '../../core/context'
import { addresseeOf, clerkOf, issuingAuthority } from '../../core/addressing'
import { berlinDate } from '../../core/clock'
import type { NoticeInput } from '../../lib/notices/noticeModel'
import {
  loadNoticeTemplate,
  OUTCOME_LABELS,
  type MissingPart,
  type NoticeTemplate,
} from '../../lib/notices/noticeModel'
import { prefillFields, reasonsDataValues } from './prefill'

/** The template's name of an outcome („Bewilligung“), wherever the UI or the file shows it. */
export function outcomeLabelOf(procedureId: string, outcome: Outcome): string {
  return loadNoticeTemplate(procedureId).outcomes[outcome]?.label ?? OUTCOME_LABELS[outcome]
}

export const asPlaceholder = (
  type: PlaceholderValue['type'],
  value: FieldValue,
): PlaceholderValue => ({ type, value })

/**
 * What the case itself holds for the Begründung: the day of receipt, the decision fields the
 * submitted form prefills, the values the template's `reasonsData` names and the hearing date.
 */
export function caseValues(
  tpl: NoticeTemplate,
  c: CaseRecord,
  hearing?: HearingRecord | null,
): Record<string, PlaceholderValue> {
  const out: Record<string, PlaceholderValue> = {
    applicationDate: asPlaceholder('date', c.receivedAt.slice(0, 10)),
  }
  const defs = new Map(tpl.fields.map((f) => [f.name, f]))
  for (const [name, text] of Object.entries(prefillFields(tpl.prefill, c.formData))) {
    const def = defs.get(name)
    if (!def) continue
    if (def.type === 'money') {
      const m = parseMoney(text)
      if (m.ok) out[name] = asPlaceholder('money', m.value)
    } else out[name] = asPlaceholder(def.type, def.type === 'list' ? [text] : text)
  }
  Object.assign(out, reasonsDataValues(tpl.reasonsData, c.formData))
  if (hearing?.done) out.hearingDate = asPlaceholder('date', hearing.date)
  return out
}

/** The decision's own field values, typed by the template. */
export function fieldValues(
  tpl: NoticeTemplate,
  fields: Record<string, FieldValue>,
): Record<string, PlaceholderValue> {
  const out: Record<string, PlaceholderValue> = {}
  for (const f of tpl.fields) {
    const v = fields[f.name]
    if (v !== undefined) out[f.name] = asPlaceholder(f.type, v)
  }
  return out
}

/** The Begründung skeleton of an outcome with everything the case holds filled in. */
export function reasonsSkeleton(tpl: NoticeTemplate, c: CaseRecord, outcome: Outcome): string {
  // the period stays a placeholder: the form and the save write in the period of the fields (one
  // source with the Tenor), not the one the application asked for
  const values = caseValues(tpl, c)
  if (tpl.period) {
    delete values[tpl.period.from]
    delete values[tpl.period.to]
  }
  return fillPlaceholders(tpl.outcomes[outcome]?.reasonsSkeleton ?? '', values)
}

/** Parts of the check before signing that make a decision a draft: open fields and open placeholders. */
const DRAFT_CODES = new Set([
  'FIELD_MISSING',
  'FIELD_INVALID',
  'REASONS_MISSING',
  'REASONS_CONFLICT',
])
export function openParts(missing: MissingPart[]): MissingPart[] {
  return missing.filter((m) => DRAFT_CODES.has(m.code))
}

const hearingText = (h: HearingRecord | null | undefined) =>
  !h
    ? 'keine Angabe'
    : h.done
      ? `durchgeführt am ${h.date.split('-').reverse().join('.')}`
      : `entbehrlich (${h.dispensableReason})`

/** „Monatliches Wohngeld 187,50 € → 190,00 €“ for every changed part of the decision. */
export function decisionChanges(
  tpl: NoticeTemplate,
  before: Pick<Decision, 'outcome' | 'fields' | 'reasons' | 'hearing'>,
  after: Pick<Decision, 'outcome' | 'fields' | 'reasons' | 'hearing'>,
): string[] {
  const changes: string[] = []
  const label = (o: Outcome) => tpl.outcomes[o]?.label ?? OUTCOME_LABELS[o]
  if (before.outcome !== after.outcome)
    changes.push(`Ergebnis ${label(before.outcome)} → ${label(after.outcome)}`)
  for (const f of tpl.fields) {
    const a =
      placeholderText(
        before.fields[f.name] === undefined
          ? undefined
          : asPlaceholder(f.type, before.fields[f.name]!),
      ) ?? '—'
    const b =
      placeholderText(
        after.fields[f.name] === undefined
          ? undefined
          : asPlaceholder(f.type, after.fields[f.name]!),
      ) ?? '—'
    if (a !== b) changes.push(`${f.label} ${a} → ${b}`)
  }
  if (before.reasons !== after.reasons) changes.push('Begründung geändert')
  if (hearingText(before.hearing) !== hearingText(after.hearing))
    changes.push(`Anhörung ${hearingText(before.hearing)} → ${hearingText(after.hearing)}`)
  return changes
}

/** The notice input for a case's decision, dated today. */
export function noticeInputFor(ctx: AppContext, c: CaseRecord, d: Decision): NoticeInput {
  const clerk = ctx.directory().users.find((u) => u.userId === d.decidedBy) ?? ctx.currentUser()
  return {
    procedureId: c.procedureId,
    authority: issuingAuthority(ctx, c.procedureId),
    addressee: addresseeOf(c),
    aktenzeichen: c.aktenzeichen,
    date: berlinDate(ctx.clock.now()),
    outcome: d.outcome,
    // data that came in digitally is never retyped: the application date is the day of receipt
    fields: { applicationDate: c.receivedAt.slice(0, 10), ...d.fields },
    reasons: d.reasons,
    ...(d.hearing ? { hearing: d.hearing } : {}),
    clerk: clerkOf(ctx, clerk),
  }
}
