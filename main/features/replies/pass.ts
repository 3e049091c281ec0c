// The reply outbox pass (issue #16): deliver pending replies into their FIT-Connect case, learn
// retrievals from the case's event log (accept-reply), and move a notice nobody retrieved within
// the ten days to the Postausgang. One bad reply never stops the others.
import { createLocalJWKSet, decodeJwt, jwtVerify } from 'jose'
import { z } from 'zod'
import {
  markReplyDelivered,
  markReplyFailed,
  markReplyNotRetrieved,
  markReplyRetrieved,
  moveNoticeToPost,
  openReplyDeliveries,
  recordNoticeRetrieved,
  type ReplyDelivery,
} from '../../../db/repositories/replies'
import { getCase } from '../../../db/repositories/cases'
import { appendHistory } from '../../../db/repositories/history'
import { berlinDate } from '../../core/clock'
import type { AppContext } from '../../core/context'
import { bekanntgabeNorms, objectionRule } from '../../core/procedures'
import type { HubClient } from '../../hub-client'
import { encryptPayload, replyKeySchema } from './channel'
import { addDays, bekanntgabe, diffDays } from '../../lib/deadlines'

const ACCEPT_REPLY = 'https://schema.fitko.de/fit-connect/events/accept-reply'
const jwks = z.object({ keys: z.array(z.object({ kid: z.string() }).loose()) })
const acceptPayload = z.object({ acceptedAt: z.string().datetime({ offset: true }) })
const de = (d: string) => d.split('-').reverse().join('.')

export interface ReplyPassResult {
  delivered: number
  retrieved: number
  notRetrieved: number
  failed: number
}

export async function runReplyPass(ctx: AppContext, client: HubClient): Promise<ReplyPassResult> {
  const result: ReplyPassResult = { delivered: 0, retrieved: 0, notRetrieved: 0, failed: 0 }
  const open = openReplyDeliveries(ctx.db)
  for (const d of open.filter((r) => r.state === 'pending')) {
    try {
      await deliver(ctx, client, d)
      result.delivered++
    } catch (e) {
      result.failed++
      markReplyFailed(ctx.db, d.deliveryId, (e as Error).message.slice(0, 500))
    }
  }
  const waiting = openReplyDeliveries(ctx.db).filter((r) => r.state === 'delivered')
  if (waiting.length) {
    let keySet: ReturnType<typeof createLocalJWKSet> | undefined
    for (const hubCaseId of new Set(waiting.map((w) => w.hubCaseId))) {
      try {
        keySet ??= createLocalJWKSet(
          jwks.parse(
            await (await client.request('/.well-known/jwks.json', { method: 'GET' })).json(),
          ),
        )
        const accepted = await acceptedReplies(await client.getEventLog(hubCaseId), keySet)
        for (const d of waiting.filter((w) => w.hubCaseId === hubCaseId)) {
          const at = accepted.get(d.deliveryId)
          if (at && recordRetrieval(ctx, d, at)) result.retrieved++
        }
      } catch {
        result.failed++ // the window check below still runs; the next pass asks again
      }
    }
  }
  result.notRetrieved = expireUnretrieved(ctx)
  if (result.delivered || result.retrieved || result.notRetrieved)
    ctx.events.emit('changed', { tags: [{ type: 'CaseList' }] })
  return result
}

/** The e-mail channel: the stored payload encrypted to the portal's reply key (fetched, checked). */
async function portalJwe(client: HubClient, payload: Uint8Array): Promise<string> {
  const res = await client.request('/v2/portal/reply-key', { method: 'GET' })
  const key = replyKeySchema.parse(await res.json())
  return encryptPayload(key, payload)
}

async function deliver(ctx: AppContext, client: HubClient, d: ReplyDelivery): Promise<void> {
  const stored = ctx.blobs.get(d.jweSha256)
  const jwe = d.notifyEmail ? await portalJwe(client, stored) : new TextDecoder().decode(stored)
  const json = { 'content-type': 'application/json' }
  const created = await client.request('/v2/replies', {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ replyId: d.deliveryId, caseId: d.hubCaseId, announcedAttachments: [] }),
  })
  await created.body?.cancel()
  const submitted = await client.request(`/v2/replies/${encodeURIComponent(d.deliveryId)}`, {
    method: 'PUT',
    headers: json,
    body: JSON.stringify({
      encryptedData: jwe,
      ...(d.notifyEmail ? { notification: { eMail: d.notifyEmail } } : {}),
    }),
  })
  await submitted.body?.cancel()
  const now = ctx.clock.now()
  const providedOn = berlinDate(now)
  const windowEnd = addDays(providedOn, 10)
  ctx.db.transaction(() => {
    markReplyDelivered(ctx.db, d.deliveryId, now.toISOString(), providedOn, windowEnd)
    appendHistory(ctx.db, {
      caseId: d.caseId,
      at: now.toISOString(),
      actor: 'system',
      action: `${label(d)} zum Abruf bereitgestellt`,
      detail: d.notifyEmail
        ? `Im Portal zum Abruf bereitgestellt, Benachrichtigung per E-Mail (Antwort ${d.deliveryId}); Abruf bis ${de(windowEnd)} möglich.`
        : `Über den FIT-Connect-Rückkanal zugestellt (Antwort ${d.deliveryId}); Abruf bis ${de(windowEnd)} möglich.`,
    })
  })()
}

const label = (d: ReplyDelivery) =>
  d.kind === 'bescheid' ? 'Bescheid' : d.kind === 'nachforderung' ? 'Nachforderung' : 'Anhörung'

/** reply id → the time the applicant retrieved it, from verified accept-reply SETs */
async function acceptedReplies(
  tokens: string[],
  keySet: ReturnType<typeof createLocalJWKSet>,
): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  for (const token of tokens) {
    const claims = decodeJwt(token)
    const events = claims['events'] as Record<string, unknown> | undefined
    if (!events || !(ACCEPT_REPLY in events)) continue
    const { payload } = await jwtVerify(token, keySet, { typ: 'secevent+jwt' })
    const sub = typeof payload.sub === 'string' ? payload.sub : ''
    const p = acceptPayload.safeParse((payload['events'] as Record<string, unknown>)[ACCEPT_REPLY])
    if (sub.startsWith('reply:') && p.success) out.set(sub.slice(6), p.data.acceptedAt)
  }
  return out
}

function datesFor(ctx: AppContext, caseId: string, dispatchDate: string, retrievalDate?: string) {
  const c = getCase(ctx.db, caseId)
  const procedure = c ? ctx.procedures.byId(c.procedureId) : undefined
  return bekanntgabe({
    dispatchDate,
    channel: retrievalDate === undefined ? 'post' : 'portal',
    ...(retrievalDate ? { retrievalDate } : {}),
    norms: bekanntgabeNorms(procedure),
    objection: objectionRule(procedure),
  })
}

function recordRetrieval(ctx: AppContext, d: ReplyDelivery, acceptedAt: string): boolean {
  const retrievalDate = berlinDate(new Date(acceptedAt))
  if (!d.providedOn || !d.windowEnd || diffDays(d.windowEnd, retrievalDate) > 0) return false
  const dates = datesFor(ctx, d.caseId, d.providedOn, retrievalDate)
  const at = ctx.clock.now().toISOString()
  ctx.db.transaction(() => {
    markReplyRetrieved(ctx.db, d.deliveryId, acceptedAt)
    if (d.kind === 'bescheid')
      recordNoticeRetrieved(ctx.db, d.caseId, {
        dispatchDate: d.providedOn!,
        deliveredOn: dates.deliveredOn,
        objectionEnd: dates.objectionPeriodEnd,
      })
    appendHistory(ctx.db, {
      caseId: d.caseId,
      at,
      actor: 'system',
      action: `${label(d)} abgerufen`,
      detail:
        d.kind === 'bescheid'
          ? `Abgerufen am ${de(retrievalDate)}; Bekanntgabe ${dates.deliveredOn ? de(dates.deliveredOn) : '—'}, Widerspruchsfrist bis ${dates.objectionPeriodEnd ? de(dates.objectionPeriodEnd) : '—'}.`
          : `Abgerufen am ${de(retrievalDate)}.`,
    })
  })()
  ctx.events.emit('changed', { tags: [{ type: 'Case', id: d.caseId }] })
  return true
}

/** Ten days without retrieval: „nicht abgerufen“; a Bescheid goes to the Postausgang from today. */
export function expireUnretrieved(ctx: AppContext): number {
  const today = berlinDate(ctx.clock.now())
  let n = 0
  for (const d of openReplyDeliveries(ctx.db)) {
    if (d.state !== 'delivered' || !d.windowEnd || diffDays(d.windowEnd, today) <= 0) continue
    const dates = datesFor(ctx, d.caseId, today)
    ctx.db.transaction(() => {
      markReplyNotRetrieved(ctx.db, d.deliveryId)
      if (d.kind === 'bescheid')
        moveNoticeToPost(ctx.db, d.caseId, {
          dispatchDate: today,
          deliveredOn: dates.deliveredOn,
          objectionEnd: dates.objectionPeriodEnd,
        })
      appendHistory(ctx.db, {
        caseId: d.caseId,
        at: ctx.clock.now().toISOString(),
        actor: 'system',
        action: `${label(d)} nicht abgerufen`,
        detail:
          d.kind === 'bescheid'
            ? `Bis ${de(d.windowEnd!)} nicht abgerufen; der Bescheid liegt im Postausgang. Bei Aufgabe zur Post am ${de(today)}: Bekanntgabe ${dates.deliveredOn ? de(dates.deliveredOn) : '—'}, Widerspruchsfrist bis ${dates.objectionPeriodEnd ? de(dates.objectionPeriodEnd) : '—'}.`
            : `Bis ${de(d.windowEnd!)} nicht abgerufen; bitte per Post senden.`,
      })
    })()
    ctx.events.emit('changed', { tags: [{ type: 'Case', id: d.caseId }] })
    n++
  }
  return n
}
