/**
 * The Rückkanal's local state (issue #16): the reply channel of a case's submissions and the
 * outbox of replies to the applicant (migration 0016-replies).
 */
import { all, get, oneOf, run, shape, sql, type ReadDb, type WriteDb } from '../sql'

export const REPLY_KINDS = ['bescheid', 'nachforderung', 'anhoerung'] as const
export type ReplyKind = (typeof REPLY_KINDS)[number]
export const REPLY_STATES = ['pending', 'delivered', 'retrieved', 'not_retrieved'] as const
export type ReplyDeliveryState = (typeof REPLY_STATES)[number]

export interface ReplyDelivery {
  deliveryId: string
  caseId: string
  kind: ReplyKind
  documentId: string | null
  hubCaseId: string
  /** the JWE to send; with `notifyEmail` the plaintext payload, encrypted at delivery */
  jweSha256: string
  /** e-mail channel: the address the hub notifies (migration 0019-reply-email) */
  notifyEmail: string | null
  state: ReplyDeliveryState
  attempts: number
  lastError: string | null
  createdAt: string
  deliveredAt: string | null
  providedOn: string | null
  windowEnd: string | null
  retrievedAt: string | null
}

const deliveryRow = shape({
  delivery_id: 'text',
  case_id: 'text',
  kind: 'text',
  document_id: 'text?',
  hub_case_id: 'text',
  jwe_sha256: 'text',
  notify_email: 'text?',
  state: 'text',
  attempts: 'int',
  last_error: 'text?',
  created_at: 'text',
  delivered_at: 'text?',
  provided_on: 'text?',
  window_end: 'text?',
  retrieved_at: 'text?',
})
const toDelivery = (row: Readonly<Record<string, unknown>>): ReplyDelivery => {
  const r = deliveryRow(row)
  return {
    deliveryId: r.delivery_id,
    caseId: r.case_id,
    kind: oneOf(REPLY_KINDS, r.kind, 'kind'),
    documentId: r.document_id,
    hubCaseId: r.hub_case_id,
    jweSha256: r.jwe_sha256,
    notifyEmail: r.notify_email,
    state: oneOf(REPLY_STATES, r.state, 'state'),
    attempts: r.attempts,
    lastError: r.last_error,
    createdAt: r.created_at,
    deliveredAt: r.delivered_at,
    providedOn: r.provided_on,
    windowEnd: r.window_end,
    retrievedAt: r.retrieved_at,
  }
}

/** Keeps the reply channel a submission's metadata names (JSON as received, validated on use). */
export function saveReplyChannel(db: WriteDb, submissionId: string, channel: unknown): void {
  run(
    db,
    sql`UPDATE submissions SET reply_channel = ${JSON.stringify(channel)} WHERE submission_id = ${submissionId}`,
  )
}

const channelRow = shape({ hub_case_id: 'text', reply_channel: 'json' })
/** The FIT-Connect case of the case's first accepted submission and the latest reply channel named. */
export function replyChannelOfCase(
  db: ReadDb,
  caseId: string,
): { hubCaseId: string; channel: unknown } | undefined {
  const first = get(
    db,
    sql`SELECT hub_case_id, reply_channel FROM submissions
        WHERE case_id = ${caseId} AND outcome = 'accepted' AND reply_channel IS NOT NULL
        ORDER BY stored_at DESC LIMIT 1`,
    channelRow,
  )
  return first ? { hubCaseId: first.hub_case_id, channel: first.reply_channel } : undefined
}

export function insertReplyDelivery(
  db: WriteDb,
  d: Pick<
    ReplyDelivery,
    'deliveryId' | 'caseId' | 'kind' | 'documentId' | 'hubCaseId' | 'jweSha256' | 'createdAt'
  > & { notifyEmail?: string | null },
): void {
  run(
    db,
    sql`INSERT INTO reply_deliveries (delivery_id, case_id, kind, document_id, hub_case_id, jwe_sha256, notify_email, state, created_at)
        VALUES (${d.deliveryId}, ${d.caseId}, ${d.kind}, ${d.documentId}, ${d.hubCaseId}, ${d.jweSha256}, ${d.notifyEmail ?? null}, 'pending', ${d.createdAt})`,
  )
}

export function openReplyDeliveries(db: ReadDb): ReplyDelivery[] {
  return all(
    db,
    sql`SELECT * FROM reply_deliveries WHERE state IN ('pending','delivered') ORDER BY created_at, delivery_id`,
    toDelivery,
  )
}

export function replyDeliveriesOfCase(db: ReadDb, caseId: string): ReplyDelivery[] {
  return all(
    db,
    sql`SELECT * FROM reply_deliveries WHERE case_id = ${caseId} ORDER BY created_at, delivery_id`,
    toDelivery,
  )
}

export function markReplyDelivered(
  db: WriteDb,
  id: string,
  at: string,
  providedOn: string,
  windowEnd: string,
): void {
  run(
    db,
    sql`UPDATE reply_deliveries SET state = 'delivered', delivered_at = ${at}, provided_on = ${providedOn},
          window_end = ${windowEnd}, attempts = attempts + 1, last_error = NULL
        WHERE delivery_id = ${id} AND state = 'pending'`,
  )
}

export function markReplyFailed(db: WriteDb, id: string, error: string): void {
  run(
    db,
    sql`UPDATE reply_deliveries SET attempts = attempts + 1, last_error = ${error} WHERE delivery_id = ${id}`,
  )
}

export function markReplyRetrieved(db: WriteDb, id: string, at: string): void {
  run(
    db,
    sql`UPDATE reply_deliveries SET state = 'retrieved', retrieved_at = ${at} WHERE delivery_id = ${id} AND state = 'delivered'`,
  )
}

export function markReplyNotRetrieved(db: WriteDb, id: string): void {
  run(
    db,
    sql`UPDATE reply_deliveries SET state = 'not_retrieved' WHERE delivery_id = ${id} AND state = 'delivered'`,
  )
}

/** A notice whose portal provision lapsed goes by post: the Postausgang lists it from today. */
export function moveNoticeToPost(
  db: WriteDb,
  caseId: string,
  n: { dispatchDate: string; deliveredOn: string | null; objectionEnd: string | null },
): void {
  run(
    db,
    sql`UPDATE decisions SET channel = 'post', dispatch_date = ${n.dispatchDate}, delivered_on = ${n.deliveredOn},
          objection_end = ${n.objectionEnd} WHERE case_id = ${caseId}`,
  )
}

/** The retrieval fixed the Bekanntgabe of a portal notice. */
export function recordNoticeRetrieved(
  db: WriteDb,
  caseId: string,
  n: { dispatchDate: string; deliveredOn: string | null; objectionEnd: string | null },
): void {
  run(
    db,
    sql`UPDATE decisions SET dispatch_date = ${n.dispatchDate}, delivered_on = ${n.deliveredOn},
          objection_end = ${n.objectionEnd} WHERE case_id = ${caseId}`,
  )
}

const caseOfHubRow = shape({ id: 'text', status: 'text', aktenzeichen: 'text' })
/** The open case an earlier accepted submission of this FIT-Connect case (caseId) created. */
export function openCaseOfHubCase(
  db: ReadDb,
  hubCaseId: string,
): { id: string; status: string; aktenzeichen: string } | undefined {
  return get(
    db,
    sql`SELECT c.id, c.status, c.aktenzeichen FROM submissions s JOIN cases c ON c.id = s.case_id
        WHERE s.hub_case_id = ${hubCaseId} AND s.outcome = 'accepted'
          AND c.status <> 'abgeschlossen' AND c.retired_into IS NULL
        ORDER BY s.stored_at LIMIT 1`,
    caseOfHubRow,
  )
}

/**
 * Moves a delivered reply's retrieval window into the past (the demo's „nicht abgerufen“ notice,
 * main/demoReplies.ts): it was provided `providedOn`, the window ended `windowEnd`.
 */
export function backdateReplyWindow(
  db: WriteDb,
  id: string,
  providedOn: string,
  windowEnd: string,
): void {
  run(
    db,
    sql`UPDATE reply_deliveries SET provided_on = ${providedOn}, window_end = ${windowEnd}
        WHERE delivery_id = ${id} AND state = 'delivered'`,
  )
}
