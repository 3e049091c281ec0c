// The signed notice (Bescheid) of a decision: preview, sign and send, the late release of a notice
// that waited offline, remembered certificate passwords.
import { bekanntgabeNorms, objectionRule } from '../../core/procedures'
import { readFileSync } from 'node:fs'
import { setCaseStatus } from '../../../db/repositories/cases'
import {
  pendingNoticeOf,
  recordLateDispatch,
  recordNoticeIssued,
  replacePendingNoticePayload,
} from '../../../db/repositories/decisions'
import { insertDocument } from '../../../db/repositories/documents'
import { appendHistory } from '../../../db/repositories/history'
import { berlinDate } from '../../core/clock'
import type { AppContext } from '../../core/context'
import { ApiFailure } from '../../core/errors'
import { assetPath } from '../../core/procedures'
import { bekanntgabe } from '../../lib/deadlines'
import { checkNotice, type MissingPart } from '../../lib/notices/noticeModel'
import { recordAction } from '../casework/actions'
import { getDecision, requireCase } from '../decisions/service'
import { noticeInputFor, outcomeLabelOf } from '../decisions/text'
import { certificateFor, type SigningChoice } from './certificates'
import { prepareReply } from '../replies/enqueue'

export function missingParts(ctx: AppContext, id: string): MissingPart[] {
  const c = requireCase(ctx, id)
  const d = getDecision(ctx.db, id)
  if (!d) return [{ code: 'INVALID_INPUT', messageDe: 'Es ist noch keine Entscheidung erfasst.' }]
  return checkNotice(noticeInputFor(ctx, c, d))
}

export async function previewNotice(
  ctx: AppContext,
  id: string,
): Promise<{ pdf: Uint8Array; missing: MissingPart[] }> {
  const c = requireCase(ctx, id)
  const d = getDecision(ctx.db, id)
  if (!d) throw new ApiFailure('invalid_transition', 'Es ist noch keine Entscheidung erfasst.')
  const input = noticeInputFor(ctx, c, d)
  // pdf-lib, fontkit and the signature stack load on first use, not with the app (cold start)
  const { renderNotice } = await import('../../lib/notices/noticePdf')
  return { pdf: await renderNotice(input, { now: ctx.clock.now() }), missing: checkNotice(input) }
}

/**
 * Signs and issues the notice in one local transaction: the signed PDF goes into the file, the
 * Bekanntgabe dates are computed, status → versandt, `notice.issue` goes to the outbox.
 */
const passwordKey = (ctx: AppContext, certificate: SigningChoice) =>
  `signing.password.${ctx.currentUser().userId}.${certificate}`
export const rememberedPassword = (ctx: AppContext, certificate: SigningChoice): boolean =>
  Boolean(ctx.secrets.get(passwordKey(ctx, certificate)))
export function forgetPassword(ctx: AppContext, certificate: SigningChoice): void {
  ctx.secrets.set(passwordKey(ctx, certificate), '')
}

export async function issueNotice(
  ctx: AppContext,
  id: string,
  opts: {
    certificate: SigningChoice
    password?: string | undefined
    remember?: boolean | undefined
    channel: 'post' | 'portal'
  },
) {
  const c = requireCase(ctx, id)
  const d = getDecision(ctx.db, id)
  if (!d) throw new ApiFailure('invalid_transition', 'Es ist noch keine Entscheidung erfasst.')
  if (c.status !== 'entschieden')
    throw new ApiFailure(
      'invalid_transition',
      d.cosignRequired && !d.cosignedAt
        ? 'Der Bescheid wartet noch auf die Mitzeichnung der Sachgebietsleitung.'
        : 'Nur ein entschiedener Vorgang kann einen Bescheid erhalten.',
    )
  // the due day of a fee counts from the latest Bekanntgabe on the chosen channel
  const input = { ...noticeInputFor(ctx, c, d), channel: opts.channel }
  const missing = checkNotice(input)
  if (missing.length)
    throw new ApiFailure(
      'notice_incomplete',
      `Der Bescheid ist unvollständig: ${missing.map((m) => m.messageDe).join(' ')}`,
    )
  // asked each time unless the user let the OS keep it (safeStorage in Electron, 0600 file in browser mode)
  const password = opts.password || ctx.secrets.get(passwordKey(ctx, opts.certificate)) || ''
  if (!password)
    throw new ApiFailure('invalid_input', 'Bitte das Passwort des Zertifikats eingeben.')
  let identity
  // the signature stack loads on first use, not with the app (cold start)
  const { loadPkcs12, WrongCertificatePasswordError } = await import('../../lib/signature')
  try {
    const cert = certificateFor(ctx.currentUser().userId, opts.certificate)
    if (!cert)
      throw new ApiFailure(
        'forbidden',
        'Für Sie ist kein persönliches Zertifikat eingerichtet; bitte das Behördensiegel wählen.',
      )
    identity = await loadPkcs12(readFileSync(assetPath('certs', cert.file)), password)
    if (opts.remember && opts.password)
      ctx.secrets.set(passwordKey(ctx, opts.certificate), opts.password)
  } catch (err) {
    if (err instanceof WrongCertificatePasswordError)
      throw new ApiFailure('wrong_password', 'Das Passwort des Zertifikats ist falsch.')
    throw err
  }
  const now = ctx.clock.now()
  const { signNotice } = await import('../../lib/notices/signNotice')
  const pdf = await signNotice(input, identity, { signingTime: now, now })
  const sha256 = ctx.blobs.put(pdf)
  const dispatchDate = berlinDate(now)
  // Portal: notified the day after retrieval (§41 Abs. 2a VwVfG) – unknown until the applicant retrieves it.
  const dates = bekanntgabe({
    dispatchDate,
    channel: opts.channel,
    norms: bekanntgabeNorms(ctx.procedures.byId(c.procedureId)),
    objection: objectionRule(ctx.procedures.byId(c.procedureId)),
  })
  const docId = ctx.newId()
  const createdAt = now.toISOString()
  const doc = {
    id: docId,
    caseId: id,
    kind: 'bescheid',
    title: `Bescheid vom ${dispatchDate.split('-').reverse().join('.')} (${outcomeLabelOf(c.procedureId, d.outcome)})`,
    filename: `Bescheid-${c.aktenzeichen}.pdf`,
    mimeType: 'application/pdf',
    size: pdf.length,
    sha256,
    createdAt,
  }
  // Rückkanal: a portal notice to an applicant with a FIT-Connect reply channel is delivered
  // encrypted into the same case, through the reply outbox (offline-first)
  const reply =
    opts.channel === 'portal'
      ? await prepareReply(ctx, id, docId, {
          kind: 'bescheid',
          title: doc.title,
          filename: doc.filename,
          mimeType: doc.mimeType,
          bytes: pdf,
          createdAt,
        })
      : undefined
  return recordAction(ctx, {
    caseId: id,
    type: 'notice.issue',
    payload: {
      document: { ...doc, caseId: undefined },
      dispatchDate,
      channel: opts.channel,
      deliveredOn: dates.deliveredOn,
      objectionEnd: dates.objectionPeriodEnd,
    },
    history: {
      action: 'Bescheid signiert und versandt',
      detail: `Signiert: ${identity.commonName} – Bekanntgabe ${dates.deliveredOn ? dates.deliveredOn.split('-').reverse().join('.') : 'mit Abruf'}, Widerspruchsfrist bis ${dates.objectionPeriodEnd ? dates.objectionPeriodEnd.split('-').reverse().join('.') : '—'}`,
    },
    apply: () => {
      insertDocument(ctx.db, doc)
      recordNoticeIssued(ctx.db, id, {
        noticeDocument: docId,
        dispatchDate,
        channel: opts.channel,
        deliveredOn: dates.deliveredOn,
        objectionEnd: dates.objectionPeriodEnd,
      })
      setCaseStatus(ctx.db, id, 'versandt')
      reply?.apply()
    },
  })
}

/**
 * A notice held in the offline outbox past its date goes only after the clerk confirms. It then
 * goes with today as its dispatch day, and Bekanntgabe and objection period are recomputed.
 */
export function confirmLateNotice(ctx: AppContext, id: string) {
  const row = pendingNoticeOf(ctx.db, id)
  if (!row)
    throw new ApiFailure(
      'invalid_transition',
      'Für diesen Vorgang wartet kein Bescheid im Postausgang.',
    )
  // written by issueNotice (the notice.issue payload)
  const payload = row.payload as {
    dispatchDate: string
    channel: 'post' | 'portal'
    [k: string]: unknown
  }
  const dispatchDate = berlinDate(ctx.clock.now())
  const c = requireCase(ctx, id)
  const dates = bekanntgabe({
    dispatchDate,
    channel: payload.channel,
    norms: bekanntgabeNorms(ctx.procedures.byId(c.procedureId)),
    objection: objectionRule(ctx.procedures.byId(c.procedureId)),
  })
  const me = ctx.currentUser()
  ctx.db.transaction(() => {
    replacePendingNoticePayload(ctx.db, row.mutationId, {
      ...payload,
      dispatchDate,
      deliveredOn: dates.deliveredOn,
      objectionEnd: dates.objectionPeriodEnd,
      confirmedLate: true,
      datedOn: payload.dispatchDate,
    })
    recordLateDispatch(ctx.db, id, {
      dispatchDate,
      deliveredOn: dates.deliveredOn,
      objectionEnd: dates.objectionPeriodEnd,
    })
    appendHistory(ctx.db, {
      caseId: id,
      at: ctx.clock.now().toISOString(),
      actor: me.userId,
      action: 'Verspäteter Versand freigegeben',
      detail: `Bescheid vom ${payload.dispatchDate.split('-').reverse().join('.')} geht am ${dispatchDate.split('-').reverse().join('.')} hinaus; Widerspruchsfrist bis ${dates.objectionPeriodEnd?.split('-').reverse().join('.') ?? '—'}`,
    })
  })()
  return { mutationId: row.mutationId }
}
