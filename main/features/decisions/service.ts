import { getCase, setCaseStatus, type CaseRecord } from '../../../db/repositories/cases'
import { insertDocument } from '../../../db/repositories/documents'
import { appendHistory } from '../../../db/repositories/history'
import { decisionOf, pendingNoticeOf, recordCosign, recordLateDispatch, recordNoticeIssued, replacePendingNoticePayload, saveDecision } from '../../../db/repositories/decisions'
import type { ReadDb } from '../../../db/sql'
import { ApiFailure, notFound } from '../../core/errors'
import { recordAction } from '../casework/actions'
import { berlinDate } from '../../core/clock'
import type { AppContext } from '../../core/context'
import { bekanntgabe } from '../../lib/deadlines'
import { addresseeOf, clerkOf } from '../../core/addressing'
import { checkNotice, decisionFields, type MissingPart, type NoticeInput } from '../../lib/notices/noticeModel'
import type { Procedure } from '../../core/procedures'
import { assetPath } from '../../core/procedures'
import { readFileSync } from 'node:fs'

import type { DecisionFieldValue as FieldValue, HearingRecord, Outcome } from '../../../preload/contract/index'
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
  noticeDocument: string | null
  dispatchDate: string | null
  channel: 'post' | 'portal' | null
  deliveredOn: string | null
  objectionEnd: string | null
}

export function getDecision(db: ReadDb, caseId: string): Decision | undefined {
  const r = decisionOf(db, caseId)
  if (!r) return undefined
  // the JSON columns hold what decide() stored from the validated input
  return { ...r, fields: r.fields as Record<string, FieldValue>, hearing: r.hearing as HearingRecord | null }
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
  const known = new Set(decisionFields(c.procedureId, d.outcome).map((f) => f.name))
  const unknown = Object.keys(d.fields).filter((k) => !known.has(k))
  if (unknown.length) throw new ApiFailure('invalid_input', `Unbekannte Felder für dieses Verfahren: ${unknown.join(', ')}`)
  const procedure = ctx.procedures.byId(c.procedureId)
  const needsCosign = cosignRequired(procedure, d.fields)
  const me = ctx.currentUser()
  const at = ctx.clock.now().toISOString()
  return recordAction(ctx, {
    caseId: id,
    type: 'case.decide',
    payload: { outcome: d.outcome, fields: d.fields, reasons: d.reasons, hearing: d.hearing ?? null, cosignRequired: needsCosign },
    history: { action: `Entscheidung erfasst: ${outcomeLabel[d.outcome]}`, detail: needsCosign ? 'Mitzeichnung durch die Sachgebietsleitung erforderlich' : '' },
    apply: () => {
      saveDecision(ctx.db, { caseId: id, outcome: d.outcome, fields: d.fields, reasons: d.reasons, hearing: d.hearing ?? null, decidedBy: me.userId, decidedAt: at, cosignRequired: needsCosign })
      setCaseStatus(ctx.db, id, needsCosign ? 'entscheidungsreif' : 'entschieden')
    },
  })
}

export const outcomeLabel: Record<Outcome, string> = {
  stattgegeben: 'stattgegeben',
  teilweise_stattgegeben: 'teilweise stattgegeben',
  abgelehnt: 'abgelehnt',
  eingestellt: 'eingestellt',
}

export function cosign(ctx: AppContext, id: string) {
  requireCase(ctx, id)
  const d = getDecision(ctx.db, id)
  const me = ctx.currentUser()
  if (!d) throw new ApiFailure('invalid_transition', 'Es gibt noch keine Entscheidung zum Mitzeichnen.')
  if (me.role !== 'lead') throw new ApiFailure('forbidden', 'Mitzeichnen darf nur die Sachgebietsleitung.')
  if (d.decidedBy === me.userId) throw new ApiFailure('forbidden', 'Vier-Augen-Prinzip: Die eigene Entscheidung kann nicht mitgezeichnet werden.')
  if (!d.cosignRequired || d.cosignedAt) throw new ApiFailure('invalid_transition', 'Diese Entscheidung wartet nicht auf eine Mitzeichnung.')
  return recordAction(ctx, {
    caseId: id,
    type: 'case.cosign',
    payload: {},
    history: { action: 'Mitgezeichnet', detail: `${me.name} (Vier-Augen-Prinzip)` },
    apply: () => {
      recordCosign(ctx.db, id, me.userId, ctx.clock.now().toISOString())
      setCaseStatus(ctx.db, id, 'entschieden')
    },
  })
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
  const { renderNotice } = await import('../../lib/notices/noticePdf')
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
    const { loadPkcs12 } = await import('../../lib/signature')
    identity = await loadPkcs12(readFileSync(assetPath('certs', certificateFile[opts.certificate])), password)
    if (opts.remember && opts.password) ctx.secrets.set(passwordKey(ctx, opts.certificate), opts.password)
  } catch (err) {
    if (err instanceof Error && (err.name === 'WrongCertificatePasswordError' || /Passwort/.test(err.message)))
      throw new ApiFailure('wrong_password', 'Das Passwort des Zertifikats ist falsch.')
    throw err
  }
  const now = ctx.clock.now()
  const { signNotice } = await import('../../lib/notices/signNotice')
  const pdf = await signNotice(input, identity, { signingTime: now, now })
  const sha256 = ctx.blobs.put(pdf)
  const dispatchDate = berlinDate(now)
  // Portal: notified the day after retrieval (§41 Abs. 2a VwVfG) – unknown until the applicant retrieves it.
  const dates = bekanntgabe({ dispatchDate, channel: opts.channel })
  const docId = ctx.newId()
  const createdAt = now.toISOString()
  const doc = { id: docId, caseId: id, kind: 'bescheid', title: `Bescheid vom ${dispatchDate.split('-').reverse().join('.')} (${outcomeLabel[d.outcome]})`, filename: `Bescheid-${c.aktenzeichen}.pdf`, mimeType: 'application/pdf', size: pdf.length, sha256, createdAt }
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
      recordNoticeIssued(ctx.db, id, { noticeDocument: docId, dispatchDate, channel: opts.channel, deliveredOn: dates.deliveredOn, objectionEnd: dates.objectionPeriodEnd })
      setCaseStatus(ctx.db, id, 'versandt')
    },
  })
}

/**
 * A notice held in the offline outbox past its date goes only after the clerk confirms. It then
 * goes with today as its dispatch day, and Bekanntgabe and objection period are recomputed.
 */
export function confirmLateNotice(ctx: AppContext, id: string) {
  const row = pendingNoticeOf(ctx.db, id)
  if (!row) throw new ApiFailure('invalid_transition', 'Für diesen Vorgang wartet kein Bescheid im Postausgang.')
  // the payload issueNotice() enqueued
  const payload = row.payload as { dispatchDate: string; channel: 'post' | 'portal'; [k: string]: unknown }
  const dispatchDate = berlinDate(ctx.clock.now())
  const dates = bekanntgabe({ dispatchDate, channel: payload.channel })
  const me = ctx.currentUser()
  ctx.db.transaction(() => {
    replacePendingNoticePayload(ctx.db, row.mutationId, { ...payload, dispatchDate, deliveredOn: dates.deliveredOn, objectionEnd: dates.objectionPeriodEnd, confirmedLate: true, datedOn: payload.dispatchDate })
    recordLateDispatch(ctx.db, id, { dispatchDate, deliveredOn: dates.deliveredOn, objectionEnd: dates.objectionPeriodEnd })
    appendHistory(ctx.db, {
      caseId: id,
      at: ctx.clock.now().toISOString(),
      actor: me.userId,
      action: 'Verspäteter Versand freigegeben',
      detail: `Bescheid vom ${payload.dispatchDate.split('-').reverse().join('.')} geht am ${dispatchDate.split('-').reverse().join('.')} hinaus; Widerspruchsfrist bis ${dates.objectionPeriodEnd?.split('-').reverse().join('.') ?? '—'}`,
    })
  })()
  ctx.events.emit('changed', { tags: [{ type: 'Case', id }, { type: 'Sync' }] })
  return { mutationId: row.mutationId }
}
