import { getCase, type CaseRecord } from '../../db/repositories/cases'
import { insertDocument } from '../../db/repositories/documents'
import { appendHistory } from '../../db/repositories/history'
import type { Db } from '../../db/open'
import { ApiFailure, notFound } from '../api/errors'
import { actsFor, recordAction } from './caseActions'
import { berlinDate } from './clock'
import type { AppContext } from './context'
import { bekanntgabe } from './deadlines'
import { addresseeOf, clerkOf } from './addressing'
import { checkNotice, loadNoticeTemplate, fieldsOfOutcome, OUTCOME_LABELS, type MissingPart, type NoticeInput, type NoticeTemplate } from './notices/noticeModel'
import { fillPlaceholders, placeholderText, type PlaceholderValue } from '../../preload/decisionForm'
import { parseMoney } from '../../preload/germanNumbers'
import { prefillFields, reasonsDataValues } from './prefill'
import type { Procedure } from './procedures'
import { assetPath } from './procedures'
import { readFileSync } from 'node:fs'

import type { CosignInboxRow, DecisionFieldValue as FieldValue, HearingRecord, NoticeSummary, Outcome, PostOutboxRow } from '../../preload/contract'
export type { FieldValue, HearingRecord, Outcome }

export interface Decision {
  caseId: string
  outcome: Outcome
  fields: Record<string, FieldValue>
  reasons: string
  hearing: HearingRecord | null
  decidedBy: string
  decidedAt: string
  cosignRequired: boolean
  cosignedBy: string | null
  cosignedAt: string | null
  cosignComment: string | null
  returnedBy: string | null
  returnedAt: string | null
  returnNote: string | null
  postedAt: string | null
  noticeDocument: string | null
  dispatchDate: string | null
  channel: 'post' | 'portal' | null
  deliveredOn: string | null
  objectionEnd: string | null
}

interface DecisionRow {
  case_id: string
  outcome: Outcome
  fields: string
  reasons: string
  hearing: string | null
  decided_by: string
  decided_at: string
  cosign_required: number
  cosigned_by: string | null
  cosigned_at: string | null
  cosign_comment: string | null
  returned_by: string | null
  returned_at: string | null
  return_note: string | null
  posted_at: string | null
  notice_document: string | null
  dispatch_date: string | null
  channel: 'post' | 'portal' | null
  delivered_on: string | null
  objection_end: string | null
}

export function getDecision(db: Db, caseId: string): Decision | undefined {
  const r = db.prepare('SELECT * FROM decisions WHERE case_id = ?').get(caseId) as DecisionRow | undefined
  if (!r) return undefined
  return {
    caseId: r.case_id,
    outcome: r.outcome,
    fields: JSON.parse(r.fields) as Record<string, FieldValue>,
    reasons: r.reasons,
    hearing: r.hearing ? (JSON.parse(r.hearing) as HearingRecord) : null,
    decidedBy: r.decided_by,
    decidedAt: r.decided_at,
    cosignRequired: r.cosign_required === 1,
    cosignedBy: r.cosigned_by,
    cosignedAt: r.cosigned_at,
    cosignComment: r.cosign_comment,
    returnedBy: r.returned_by,
    returnedAt: r.returned_at,
    returnNote: r.return_note,
    postedAt: r.posted_at,
    noticeDocument: r.notice_document,
    dispatchDate: r.dispatch_date,
    channel: r.channel,
    deliveredOn: r.delivered_on,
    objectionEnd: r.objection_end,
  }
}

/** Four eyes (product.md): every Baugenehmigung, Wohngeld above an amount — from assets/procedures.json. */
export function cosignRequired(procedure: Procedure | undefined, fields: Record<string, FieldValue>): boolean {
  const rule = procedure?.cosign
  if (!rule) return false
  if (rule.rule === 'always') return true
  const v = fields[rule.field]
  return typeof v === 'number' && v > rule.threshold
}

const requireCase = (ctx: AppContext, id: string): CaseRecord => {
  const c = getCase(ctx.db, id)
  if (!c) throw notFound('Der Vorgang')
  return c
}

/** The template's name of an outcome („Bewilligung“), wherever the UI or the file shows it. */
export function outcomeLabelOf(procedureId: string, outcome: Outcome): string {
  return loadNoticeTemplate(procedureId).outcomes[outcome]?.label ?? OUTCOME_LABELS[outcome]
}

/** Generic labels of the outcomes; shown only where no template is at hand. */
export const outcomeLabel: Record<Outcome, string> = OUTCOME_LABELS

const asPlaceholder = (type: PlaceholderValue['type'], value: FieldValue): PlaceholderValue => ({ type, value })

/**
 * What the case itself holds for the Begründung: the day of receipt, the decision fields the
 * submitted form prefills, the values the template's `reasonsData` names and the hearing date.
 */
export function caseValues(tpl: NoticeTemplate, c: CaseRecord, hearing?: HearingRecord | null): Record<string, PlaceholderValue> {
  const out: Record<string, PlaceholderValue> = { applicationDate: asPlaceholder('date', c.receivedAt.slice(0, 10)) }
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
function fieldValues(tpl: NoticeTemplate, fields: Record<string, FieldValue>): Record<string, PlaceholderValue> {
  const out: Record<string, PlaceholderValue> = {}
  for (const f of tpl.fields) {
    const v = fields[f.name]
    if (v !== undefined) out[f.name] = asPlaceholder(f.type, v)
  }
  return out
}

/** The Begründung skeleton of an outcome with everything the case holds filled in. */
export function reasonsSkeleton(tpl: NoticeTemplate, c: CaseRecord, outcome: Outcome): string {
  return fillPlaceholders(tpl.outcomes[outcome]?.reasonsSkeleton ?? '', caseValues(tpl, c))
}

/** Parts of the check before signing that make a decision a draft: open fields and open placeholders. */
const DRAFT_CODES = new Set(['FIELD_MISSING', 'FIELD_INVALID', 'REASONS_MISSING'])
export function openParts(missing: MissingPart[]): MissingPart[] {
  return missing.filter((m) => DRAFT_CODES.has(m.code))
}

const hearingText = (h: HearingRecord | null | undefined) =>
  !h ? 'keine Angabe' : h.done ? `durchgeführt am ${h.date.split('-').reverse().join('.')}` : `entbehrlich (${h.dispensableReason})`

/** „Monatliches Wohngeld 187,50 € → 190,00 €“ for every changed part of the decision. */
export function decisionChanges(
  tpl: NoticeTemplate,
  before: Pick<Decision, 'outcome' | 'fields' | 'reasons' | 'hearing'>,
  after: Pick<Decision, 'outcome' | 'fields' | 'reasons' | 'hearing'>,
): string[] {
  const changes: string[] = []
  const label = (o: Outcome) => tpl.outcomes[o]?.label ?? OUTCOME_LABELS[o]
  if (before.outcome !== after.outcome) changes.push(`Ergebnis ${label(before.outcome)} → ${label(after.outcome)}`)
  for (const f of tpl.fields) {
    const a = placeholderText(before.fields[f.name] === undefined ? undefined : asPlaceholder(f.type, before.fields[f.name]!)) ?? '—'
    const b = placeholderText(after.fields[f.name] === undefined ? undefined : asPlaceholder(f.type, after.fields[f.name]!)) ?? '—'
    if (a !== b) changes.push(`${f.label} ${a} → ${b}`)
  }
  if (before.reasons !== after.reasons) changes.push('Begründung geändert')
  if (hearingText(before.hearing) !== hearingText(after.hearing)) changes.push(`Anhörung ${hearingText(before.hearing)} → ${hearingText(after.hearing)}`)
  return changes
}

export function decide(ctx: AppContext, id: string, d: { outcome: Outcome; fields: Record<string, FieldValue>; reasons: string; hearing?: HearingRecord | undefined }) {
  const c = requireCase(ctx, id)
  if (!['in_bearbeitung', 'entscheidungsreif', 'entschieden'].includes(c.status))
    throw new ApiFailure('invalid_transition', 'Entschieden werden kann ein Vorgang in Bearbeitung oder entscheidungsreif – nicht nach dem Versand.')
  if (!actsFor(ctx, c.assignee)) throw new ApiFailure('forbidden', 'Entscheiden kann die zuständige Person, ihre Vertretung oder die Sachgebietsleitung.')
  const tpl = loadNoticeTemplate(c.procedureId)
  if (!tpl.outcomes[d.outcome]) throw new ApiFailure('invalid_input', `Das Ergebnis „${OUTCOME_LABELS[d.outcome]}“ ist für dieses Verfahren nicht vorgesehen.`)
  const unknown = Object.keys(d.fields).filter((k) => !tpl.fields.some((f) => f.name === k))
  if (unknown.length) throw new ApiFailure('invalid_input', `Unbekannte Felder für dieses Verfahren: ${unknown.join(', ')}`)
  // only the fields of the chosen outcome are stored (a withdrawal has no monthly amount)
  const relevant = new Set(fieldsOfOutcome(tpl, d.outcome).map((f) => f.name))
  const fields = Object.fromEntries(Object.entries(d.fields).filter(([k]) => relevant.has(k)))
  const hearing = d.hearing ?? null
  // everything the case and the decision hold is written into the Begründung
  const reasons = fillPlaceholders(d.reasons, { ...caseValues(tpl, c, hearing), ...fieldValues(tpl, fields) })
  const before = getDecision(ctx.db, id)
  const me = ctx.currentUser()
  const next: Decision = {
    caseId: id, outcome: d.outcome, fields, reasons, hearing, decidedBy: me.userId, decidedAt: '', cosignRequired: false, cosignedBy: null, cosignedAt: null,
    cosignComment: null, returnedBy: null, returnedAt: null, returnNote: null, postedAt: null, noticeDocument: null, dispatchDate: null, channel: null, deliveredOn: null, objectionEnd: null,
  }
  const open = openParts(checkNotice(noticeInputFor(ctx, c, next)))
  const draft = open.length > 0
  // a draft is not yet anything to co-sign
  const needsCosign = !draft && cosignRequired(ctx.procedures.byId(c.procedureId), fields)
  const status = draft ? (c.status === 'entschieden' ? 'in_bearbeitung' : c.status) : needsCosign ? 'entscheidungsreif' : 'entschieden'
  const changes = before ? decisionChanges(tpl, before, next) : []
  const resubmitted = Boolean(before?.returnedAt)
  // opened and saved unchanged: nothing happened, nothing is recorded (a co-signature stays)
  if (before && changes.length === 0 && !resubmitted && (before.cosignedAt ? c.status === 'entschieden' : status === c.status)) return { mutationId: null }
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
    payload: { outcome: d.outcome, fields, reasons, hearing, cosignRequired: needsCosign, status, draft },
    history: { action, detail },
    apply: () => {
      ctx.db
        .prepare(
          `INSERT INTO decisions (case_id, outcome, fields, reasons, hearing, decided_by, decided_at, cosign_required)
           VALUES (@id, @outcome, @fields, @reasons, @hearing, @by, @at, @cosign)
           ON CONFLICT (case_id) DO UPDATE SET outcome = excluded.outcome, fields = excluded.fields, reasons = excluded.reasons,
             hearing = excluded.hearing, decided_by = excluded.decided_by, decided_at = excluded.decided_at,
             cosign_required = excluded.cosign_required, cosigned_by = NULL, cosigned_at = NULL, cosign_comment = NULL,
             returned_by = NULL, returned_at = NULL, return_note = NULL`,
        )
        .run({ id, outcome: d.outcome, fields: JSON.stringify(fields), reasons, hearing: hearing ? JSON.stringify(hearing) : null, by: me.userId, at, cosign: needsCosign ? 1 : 0 })
      ctx.db.prepare('UPDATE cases SET status = ? WHERE id = ?').run(status, id)
    },
  })
}

/** Why the current user may not co-sign or return this decision; null when they may. */
function reviewForbidden(ctx: AppContext, c: CaseRecord, d: Decision | undefined): ApiFailure | null {
  const me = ctx.currentUser()
  if (!d) return new ApiFailure('invalid_transition', 'Es gibt noch keine Entscheidung zum Mitzeichnen.')
  if (me.role !== 'lead') return new ApiFailure('forbidden', 'Mitzeichnen darf nur die Sachgebietsleitung.')
  // four eyes: the person, not the role or the name, must differ
  if (d.decidedBy === me.userId) return new ApiFailure('forbidden', 'Vier-Augen-Prinzip: Die eigene Entscheidung kann nicht mitgezeichnet werden.')
  if (!d.cosignRequired || d.cosignedAt || d.returnedAt || c.status !== 'entscheidungsreif') return new ApiFailure('invalid_transition', 'Diese Entscheidung wartet nicht auf eine Mitzeichnung.')
  return null
}

export const mayReview = (ctx: AppContext, c: CaseRecord, d: Decision | undefined): boolean => reviewForbidden(ctx, c, d) === null

export function cosign(ctx: AppContext, id: string, comment?: string) {
  const c = requireCase(ctx, id)
  const d = getDecision(ctx.db, id)
  const denied = reviewForbidden(ctx, c, d)
  if (denied) throw denied
  const me = ctx.currentUser()
  const note = comment?.trim() ? comment.trim() : null
  return recordAction(ctx, {
    caseId: id,
    type: 'case.cosign',
    payload: note ? { comment: note } : {},
    history: { action: 'Mitgezeichnet', detail: `${me.name} (Vier-Augen-Prinzip)${note ? ` – Anmerkung: ${note}` : ''}` },
    apply: () => {
      ctx.db.prepare('UPDATE decisions SET cosigned_by = ?, cosigned_at = ?, cosign_comment = ? WHERE case_id = ?').run(me.userId, ctx.clock.now().toISOString(), note, id)
      ctx.db.prepare("UPDATE cases SET status = 'entschieden' WHERE id = ?").run(id)
    },
  })
}

/** The team lead sends the decision back to the clerk with a note instead of co-signing it. */
export function returnForChanges(ctx: AppContext, id: string, note: string) {
  const c = requireCase(ctx, id)
  const d = getDecision(ctx.db, id)
  const denied = reviewForbidden(ctx, c, d)
  if (denied) throw new ApiFailure(denied.code, denied.message.replace('mitgezeichnet', 'zurückgegeben').replace('Mitzeichnen darf', 'Zurückgeben darf'))
  const text = note.trim()
  if (!text) throw new ApiFailure('invalid_input', 'Bitte eine Anmerkung für die Sachbearbeitung angeben.')
  const me = ctx.currentUser()
  return recordAction(ctx, {
    caseId: id,
    // the office sees the status step back; the note travels as its reason
    type: 'case.status',
    payload: { from: c.status, to: 'in_bearbeitung', reason: `Zurück mit Anmerkung: ${text}`, returnNote: text },
    history: { action: `Zurück an ${ctx.userName(d!.decidedBy) ?? d!.decidedBy} mit Anmerkung`, detail: text },
    apply: () => {
      ctx.db.prepare('UPDATE decisions SET returned_by = ?, returned_at = ?, return_note = ? WHERE case_id = ?').run(me.userId, ctx.clock.now().toISOString(), text, id)
      ctx.db.prepare("UPDATE cases SET status = 'in_bearbeitung' WHERE id = ?").run(id)
    },
  })
}

/** Decisions waiting for the current team lead's co-signature (not their own). */
export function cosignInbox(ctx: AppContext): CosignInboxRow[] {
  const me = ctx.currentUser()
  if (me.role !== 'lead') return []
  const rows = ctx.db
    .prepare(
      `SELECT d.case_id FROM decisions d JOIN cases c ON c.id = d.case_id
        WHERE d.cosign_required = 1 AND d.cosigned_at IS NULL AND d.returned_at IS NULL AND c.status = 'entscheidungsreif' AND c.retired_into IS NULL
          AND d.decided_by <> ?
        ORDER BY d.decided_at, d.case_id`,
    )
    .all(me.userId) as { case_id: string }[]
  return rows.map(({ case_id }) => {
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
export function amountsOf(tpl: NoticeTemplate, d: Pick<Decision, 'fields'>): { label: string; value: string }[] {
  return tpl.fields
    .filter((f) => f.type === 'money' && typeof d.fields[f.name] === 'number')
    .map((f) => ({ label: f.label, value: placeholderText(asPlaceholder('money', d.fields[f.name]!))! }))
}

/** The notice input for a case's decision, dated today. */
export function noticeInputFor(ctx: AppContext, c: CaseRecord, d: Decision): NoticeInput {
  const clerk = ctx.directory().users.find((u) => u.userId === d.decidedBy) ?? ctx.currentUser()
  return {
    procedureId: c.procedureId,
    authority: ctx.procedures.authority,
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

export function missingParts(ctx: AppContext, id: string): MissingPart[] {
  const c = requireCase(ctx, id)
  const d = getDecision(ctx.db, id)
  if (!d) return [{ code: 'INVALID_INPUT', messageDe: 'Es ist noch keine Entscheidung erfasst.' }]
  return checkNotice(noticeInputFor(ctx, c, d))
}

export async function previewNotice(ctx: AppContext, id: string): Promise<{ pdf: Uint8Array; missing: MissingPart[] }> {
  const c = requireCase(ctx, id)
  const d = getDecision(ctx.db, id)
  if (!d) throw new ApiFailure('invalid_transition', 'Es ist noch keine Entscheidung erfasst.')
  const input = noticeInputFor(ctx, c, d)
  // pdf-lib, fontkit and the signature stack load on first use, not with the app (cold start)
  const { renderNotice } = await import('./notices/noticePdf')
  return { pdf: await renderNotice(input, { now: ctx.clock.now() }), missing: checkNotice(input) }
}

export type SigningChoice = 'personal' | 'seal'
const certificateFile: Record<SigningChoice, string> = { personal: 'demo-sachbearbeiter.p12', seal: 'demo-siegel.p12' }

/**
 * Signs and issues the notice in one local transaction: the signed PDF goes into the file, the
 * Bekanntgabe dates are computed, status → versandt, `notice.issue` goes to the outbox.
 */
const passwordKey = (ctx: AppContext, certificate: SigningChoice) => `signing.password.${ctx.currentUser().userId}.${certificate}`
export const rememberedPassword = (ctx: AppContext, certificate: SigningChoice): boolean => Boolean(ctx.secrets.get(passwordKey(ctx, certificate)))
export function forgetPassword(ctx: AppContext, certificate: SigningChoice): void {
  ctx.secrets.set(passwordKey(ctx, certificate), '')
}

export async function issueNotice(
  ctx: AppContext,
  id: string,
  opts: { certificate: SigningChoice; password?: string | undefined; remember?: boolean | undefined; channel: 'post' | 'portal' },
) {
  const c = requireCase(ctx, id)
  const d = getDecision(ctx.db, id)
  if (!d) throw new ApiFailure('invalid_transition', 'Es ist noch keine Entscheidung erfasst.')
  if (c.status !== 'entschieden')
    throw new ApiFailure('invalid_transition', d.cosignRequired && !d.cosignedAt ? 'Der Bescheid wartet noch auf die Mitzeichnung der Sachgebietsleitung.' : 'Nur ein entschiedener Vorgang kann einen Bescheid erhalten.')
  const input = noticeInputFor(ctx, c, d)
  const missing = checkNotice(input)
  if (missing.length) throw new ApiFailure('notice_incomplete', `Der Bescheid ist unvollständig: ${missing.map((m) => m.messageDe).join(' ')}`)
  // asked each time unless the user let the OS keep it (safeStorage in Electron, 0600 file in browser mode)
  const password = opts.password || ctx.secrets.get(passwordKey(ctx, opts.certificate)) || ''
  if (!password) throw new ApiFailure('invalid_input', 'Bitte das Passwort des Zertifikats eingeben.')
  let identity
  try {
    const { loadPkcs12 } = await import('./signature')
    identity = await loadPkcs12(readFileSync(assetPath('certs', certificateFile[opts.certificate])), password)
    if (opts.remember && opts.password) ctx.secrets.set(passwordKey(ctx, opts.certificate), opts.password)
  } catch (err) {
    if (err instanceof Error && (err.name === 'WrongCertificatePasswordError' || /Passwort/.test(err.message)))
      throw new ApiFailure('wrong_password', 'Das Passwort des Zertifikats ist falsch.')
    throw err
  }
  const now = ctx.clock.now()
  const { signNotice } = await import('./notices/signNotice')
  const pdf = await signNotice(input, identity, { signingTime: now, now })
  const sha256 = ctx.blobs.put(pdf)
  const dispatchDate = berlinDate(now)
  // Portal: notified the day after retrieval (§41 Abs. 2a VwVfG) – unknown until the applicant retrieves it.
  const dates = bekanntgabe({ dispatchDate, channel: opts.channel })
  const docId = ctx.newId()
  const createdAt = now.toISOString()
  const doc = { id: docId, caseId: id, kind: 'bescheid', title: `Bescheid vom ${dispatchDate.split('-').reverse().join('.')} (${outcomeLabelOf(c.procedureId, d.outcome)})`, filename: `Bescheid-${c.aktenzeichen}.pdf`, mimeType: 'application/pdf', size: pdf.length, sha256, createdAt }
  return recordAction(ctx, {
    caseId: id,
    type: 'notice.issue',
    payload: { document: { ...doc, caseId: undefined }, dispatchDate, channel: opts.channel, deliveredOn: dates.deliveredOn, objectionEnd: dates.objectionPeriodEnd },
    history: {
      action: 'Bescheid signiert und versandt',
      detail: `Signiert: ${identity.commonName} – Bekanntgabe ${dates.deliveredOn ? dates.deliveredOn.split('-').reverse().join('.') : 'mit Abruf'}, Widerspruchsfrist bis ${dates.objectionPeriodEnd ? dates.objectionPeriodEnd.split('-').reverse().join('.') : '—'}`,
    },
    apply: () => {
      insertDocument(ctx.db, doc)
      ctx.db
        .prepare('UPDATE decisions SET notice_document = ?, dispatch_date = ?, channel = ?, delivered_on = ?, objection_end = ? WHERE case_id = ?')
        .run(docId, dispatchDate, opts.channel, dates.deliveredOn, dates.objectionPeriodEnd, id)
      ctx.db.prepare("UPDATE cases SET status = 'versandt' WHERE id = ?").run(id)
    },
  })
}

/** What signing and sending today would do: to whom, which way, the amounts and the dates. */
export function noticeSummary(ctx: AppContext, id: string, channel: 'post' | 'portal'): NoticeSummary {
  const c = requireCase(ctx, id)
  const d = getDecision(ctx.db, id)
  if (!d) throw new ApiFailure('invalid_transition', 'Es ist noch keine Entscheidung erfasst.')
  const a = addresseeOf(c)
  const dispatchDate = berlinDate(ctx.clock.now())
  const dates = bekanntgabe({ dispatchDate, channel })
  return {
    addressee: [a.name, a.street, `${a.postalCode} ${a.city}`.trim()].filter(Boolean),
    channel,
    channelLabel: channel === 'post' ? 'Post (Bekanntgabe am vierten Tag nach Aufgabe, § 41 Abs. 2 VwVfG)' : 'Portal (Bekanntgabe am Tag nach dem Abruf)',
    outcomeLabel: outcomeLabelOf(c.procedureId, d.outcome),
    amounts: amountsOf(loadNoticeTemplate(c.procedureId), d),
    dispatchDate,
    deliveredOn: dates.deliveredOn,
    objectionEnd: dates.objectionPeriodEnd,
  }
}

/** Postausgang: notices signed for the postal channel that are not yet noted as handed to the post. */
export function postOutbox(ctx: AppContext): PostOutboxRow[] {
  const rows = ctx.db
    .prepare(
      `SELECT d.case_id, d.dispatch_date, d.notice_document, doc.filename FROM decisions d JOIN documents doc ON doc.id = d.notice_document
        WHERE d.channel = 'post' AND d.notice_document IS NOT NULL AND d.posted_at IS NULL ORDER BY d.dispatch_date, d.case_id`,
    )
    .all() as { case_id: string; dispatch_date: string; notice_document: string; filename: string }[]
  return rows.flatMap((r) => {
    const c = getCase(ctx.db, r.case_id)
    const d = getDecision(ctx.db, r.case_id)
    if (!c || !d) return []
    const a = addresseeOf(c)
    return [{ caseId: c.id, aktenzeichen: c.aktenzeichen, addressee: [a.name, a.street, `${a.postalCode} ${a.city}`.trim()].filter(Boolean), outcomeLabel: outcomeLabelOf(c.procedureId, d.outcome), dispatchDate: r.dispatch_date, documentId: r.notice_document, filename: r.filename }]
  })
}

/** The printed notice went into the post: it leaves the Postausgang. */
export function markPosted(ctx: AppContext, id: string) {
  requireCase(ctx, id)
  const d = getDecision(ctx.db, id)
  if (!d?.noticeDocument || d.channel !== 'post') throw new ApiFailure('invalid_transition', 'Für diesen Vorgang liegt kein Bescheid für den Postversand vor.')
  if (d.postedAt) return { mutationId: null }
  const me = ctx.currentUser()
  const postedOn = berlinDate(ctx.clock.now())
  return recordAction(ctx, {
    caseId: id,
    type: 'notice.posted',
    payload: { postedOn, document: d.noticeDocument },
    history: { action: 'Bescheid zur Post gegeben', detail: `${me.name}, ${postedOn.split('-').reverse().join('.')}` },
    apply: () => {
      ctx.db.prepare('UPDATE decisions SET posted_by = ?, posted_at = ? WHERE case_id = ?').run(me.userId, ctx.clock.now().toISOString(), id)
    },
  })
}

/**
 * A notice held in the offline outbox past its date goes only after the clerk confirms. It then
 * goes with today as its dispatch day, and Bekanntgabe and objection period are recomputed.
 */
export function confirmLateNotice(ctx: AppContext, id: string) {
  const row = ctx.db
    .prepare("SELECT mutation_id, payload FROM outbox WHERE case_id = ? AND type = 'notice.issue' AND state = 'pending'")
    .get(id) as { mutation_id: string; payload: string } | undefined
  if (!row) throw new ApiFailure('invalid_transition', 'Für diesen Vorgang wartet kein Bescheid im Postausgang.')
  const payload = JSON.parse(row.payload) as { dispatchDate: string; channel: 'post' | 'portal'; [k: string]: unknown }
  const dispatchDate = berlinDate(ctx.clock.now())
  const dates = bekanntgabe({ dispatchDate, channel: payload.channel })
  const me = ctx.currentUser()
  ctx.db.transaction(() => {
    ctx.db
      .prepare('UPDATE outbox SET payload = ? WHERE mutation_id = ?')
      .run(JSON.stringify({ ...payload, dispatchDate, deliveredOn: dates.deliveredOn, objectionEnd: dates.objectionPeriodEnd, confirmedLate: true, datedOn: payload.dispatchDate }), row.mutation_id)
    ctx.db.prepare('UPDATE decisions SET dispatch_date = ?, delivered_on = ?, objection_end = ?, late_confirmed = 1 WHERE case_id = ?').run(dispatchDate, dates.deliveredOn, dates.objectionPeriodEnd, id)
    appendHistory(ctx.db, {
      caseId: id,
      at: ctx.clock.now().toISOString(),
      actor: me.userId,
      action: 'Verspäteter Versand freigegeben',
      detail: `Bescheid vom ${payload.dispatchDate.split('-').reverse().join('.')} geht am ${dispatchDate.split('-').reverse().join('.')} hinaus; Widerspruchsfrist bis ${dates.objectionPeriodEnd?.split('-').reverse().join('.') ?? '—'}`,
    })
  })()
  ctx.events.emit('changed', { tags: [{ type: 'Case', id }, { type: 'Sync' }] })
  return { mutationId: row.mutation_id }
}
