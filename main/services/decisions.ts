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
import { checkNotice, fieldsOfOutcome, loadNoticeTemplate, OUTCOME_LABELS, type MissingPart, type NoticeInput } from './notices/noticeModel'
import { fillPlaceholders } from '../../preload/decisionForm'
import { caseValues, decisionChanges, fieldValues, openParts, outcomeLabelOf } from './decisionText'
import type { Procedure } from './procedures'
import { assetPath } from './procedures'
import { readFileSync } from 'node:fs'

import type { DecisionFieldValue as FieldValue, HearingRecord, Outcome } from '../../preload/contract'
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

export const outcomeLabel: Record<Outcome, string> = {
  stattgegeben: 'stattgegeben',
  teilweise_stattgegeben: 'teilweise stattgegeben',
  abgelehnt: 'abgelehnt',
  eingestellt: 'eingestellt',
}

// Mitzeichnung, the summary before sending and the Postausgang: decisionReview.ts; the words of a decision: decisionText.ts

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
