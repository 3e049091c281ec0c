import { all, get, oneOf, run, shape, sql, type ReadDb, type Row, type WriteDb } from '../sql'

export const DECISION_OUTCOMES = [
  'stattgegeben',
  'teilweise_stattgegeben',
  'abgelehnt',
  'eingestellt',
] as const
export type DecisionOutcome = (typeof DECISION_OUTCOMES)[number]
export const NOTICE_CHANNELS = ['post', 'portal'] as const
export type NoticeChannel = (typeof NOTICE_CHANNELS)[number]

/** A decision as stored; `fields` and `hearing` are the parsed JSON (typed by the service). */
export interface DecisionRecord {
  caseId: string
  outcome: DecisionOutcome
  fields: unknown
  reasons: string
  hearing: unknown
  decidedBy: string
  decidedAt: string
  cosignRequired: boolean
  cosignedBy: string | null
  cosignedAt: string | null
  cosignComment: string | null
  /** the team lead sent the decision back to the clerk with a note */
  returnedBy: string | null
  returnedAt: string | null
  returnNote: string | null
  /** a notice sent by post was noted as handed to the post (Postausgang) */
  postedBy: string | null
  postedAt: string | null
  noticeDocument: string | null
  dispatchDate: string | null
  channel: NoticeChannel | null
  deliveredOn: string | null
  objectionEnd: string | null
}

const decisionShape = shape({
  case_id: 'text',
  outcome: 'text',
  fields: 'json',
  reasons: 'text',
  hearing: 'json?',
  decided_by: 'text',
  decided_at: 'text',
  cosign_required: 'int',
  cosigned_by: 'text?',
  cosigned_at: 'text?',
  cosign_comment: 'text?',
  returned_by: 'text?',
  returned_at: 'text?',
  return_note: 'text?',
  posted_by: 'text?',
  posted_at: 'text?',
  notice_document: 'text?',
  dispatch_date: 'text?',
  channel: 'text?',
  delivered_on: 'text?',
  objection_end: 'text?',
})

const toDecision = (row: Row): DecisionRecord => {
  const r = decisionShape(row)
  return {
    caseId: r.case_id,
    outcome: oneOf(DECISION_OUTCOMES, r.outcome, 'outcome'),
    fields: r.fields,
    reasons: r.reasons,
    hearing: r.hearing,
    decidedBy: r.decided_by,
    decidedAt: r.decided_at,
    cosignRequired: r.cosign_required === 1,
    cosignedBy: r.cosigned_by,
    cosignedAt: r.cosigned_at,
    cosignComment: r.cosign_comment,
    returnedBy: r.returned_by,
    returnedAt: r.returned_at,
    returnNote: r.return_note,
    postedBy: r.posted_by,
    postedAt: r.posted_at,
    noticeDocument: r.notice_document,
    dispatchDate: r.dispatch_date,
    channel: r.channel === null ? null : oneOf(NOTICE_CHANNELS, r.channel, 'channel'),
    deliveredOn: r.delivered_on,
    objectionEnd: r.objection_end,
  }
}

export function decisionOf(db: ReadDb, caseId: string): DecisionRecord | undefined {
  return get(db, sql`SELECT * FROM decisions WHERE case_id = ${caseId}`, toDecision)
}

const outcomeShape = shape({ outcome: 'text' })
export function decisionOutcomeOf(db: ReadDb, caseId: string): DecisionOutcome | undefined {
  return get(db, sql`SELECT outcome FROM decisions WHERE case_id = ${caseId}`, (r) =>
    oneOf(DECISION_OUTCOMES, outcomeShape(r).outcome, 'outcome'),
  )
}

/** Records (or replaces) the decision; a replaced decision needs a new co-signature (and is no longer returned). */
export function saveDecision(
  db: WriteDb,
  d: {
    caseId: string
    outcome: DecisionOutcome
    fields: unknown
    reasons: string
    hearing: unknown
    decidedBy: string
    decidedAt: string
    cosignRequired: boolean
  },
): void {
  run(
    db,
    sql`INSERT INTO decisions (case_id, outcome, fields, reasons, hearing, decided_by, decided_at, cosign_required)
           VALUES (${d.caseId}, ${d.outcome}, ${JSON.stringify(d.fields)}, ${d.reasons}, ${d.hearing ? JSON.stringify(d.hearing) : null}, ${d.decidedBy}, ${d.decidedAt}, ${d.cosignRequired ? 1 : 0})
           ON CONFLICT (case_id) DO UPDATE SET outcome = excluded.outcome, fields = excluded.fields, reasons = excluded.reasons,
             hearing = excluded.hearing, decided_by = excluded.decided_by, decided_at = excluded.decided_at,
             cosign_required = excluded.cosign_required, cosigned_by = NULL, cosigned_at = NULL, cosign_comment = NULL,
             returned_by = NULL, returned_at = NULL, return_note = NULL`,
  )
}

/** The team lead's Mitzeichnung, with an optional comment. */
export function recordCosign(
  db: WriteDb,
  caseId: string,
  by: string,
  at: string,
  comment: string | null,
): void {
  run(
    db,
    sql`UPDATE decisions SET cosigned_by = ${by}, cosigned_at = ${at}, cosign_comment = ${comment} WHERE case_id = ${caseId}`,
  )
}

/** The team lead sends the decision back to the clerk with a note instead of co-signing it. */
export function recordReturn(
  db: WriteDb,
  caseId: string,
  by: string,
  at: string,
  note: string,
): void {
  run(
    db,
    sql`UPDATE decisions SET returned_by = ${by}, returned_at = ${at}, return_note = ${note} WHERE case_id = ${caseId}`,
  )
}

/** The printed notice went into the post: it leaves the Postausgang. */
export function recordPosted(db: WriteDb, caseId: string, by: string, at: string): void {
  run(db, sql`UPDATE decisions SET posted_by = ${by}, posted_at = ${at} WHERE case_id = ${caseId}`)
}

const caseIdShape = shape({ case_id: 'text' })
/** Decisions waiting for a co-signature by someone other than `reviewer` (oldest first): their case ids. */
export function cosignQueue(db: ReadDb, reviewer: string): string[] {
  return all(
    db,
    sql`SELECT d.case_id FROM decisions d JOIN cases c ON c.id = d.case_id
        WHERE d.cosign_required = 1 AND d.cosigned_at IS NULL AND d.returned_at IS NULL AND c.status = 'entscheidungsreif' AND c.retired_into IS NULL
          AND d.decided_by <> ${reviewer}
        ORDER BY d.decided_at, d.case_id`,
    (r) => caseIdShape(r).case_id,
  )
}

const postOutboxShape = shape({
  case_id: 'text',
  dispatch_date: 'text',
  notice_document: 'text',
  filename: 'text',
})
/** Postausgang: notices signed for the postal channel not yet noted as handed to the post, with their file name. */
export function unpostedNotices(
  db: ReadDb,
): { caseId: string; dispatchDate: string; noticeDocument: string; filename: string }[] {
  return all(
    db,
    sql`SELECT d.case_id, d.dispatch_date, d.notice_document, doc.filename FROM decisions d JOIN documents doc ON doc.id = d.notice_document
        WHERE d.channel = 'post' AND d.notice_document IS NOT NULL AND d.posted_at IS NULL ORDER BY d.dispatch_date, d.case_id`,
    (row) => {
      const r = postOutboxShape(row)
      return {
        caseId: r.case_id,
        dispatchDate: r.dispatch_date,
        noticeDocument: r.notice_document,
        filename: r.filename,
      }
    },
  )
}

export interface NoticeDates {
  dispatchDate: string
  deliveredOn: string | null
  objectionEnd: string | null
}

/** The issued notice: its document, channel and Bekanntgabe dates. */
export function recordNoticeIssued(
  db: WriteDb,
  caseId: string,
  n: NoticeDates & { noticeDocument: string; channel: NoticeChannel },
): void {
  run(
    db,
    sql`UPDATE decisions SET notice_document = ${n.noticeDocument}, dispatch_date = ${n.dispatchDate}, channel = ${n.channel}, delivered_on = ${n.deliveredOn}, objection_end = ${n.objectionEnd} WHERE case_id = ${caseId}`,
  )
}

/** A late notice confirmed by the clerk goes with new dates. */
export function recordLateDispatch(db: WriteDb, caseId: string, n: NoticeDates): void {
  run(
    db,
    sql`UPDATE decisions SET dispatch_date = ${n.dispatchDate}, delivered_on = ${n.deliveredOn}, objection_end = ${n.objectionEnd}, late_confirmed = 1 WHERE case_id = ${caseId}`,
  )
}

/** The notice document is deleted (archive transfer): the decision no longer refers to it. */
export function clearNoticeDocument(db: WriteDb, caseId: string): void {
  run(db, sql`UPDATE decisions SET notice_document = NULL WHERE case_id = ${caseId}`)
}

// The issued notice while it waits in the outbox (notice.issue, not yet sent to the office)

const pendingNoticeShape = shape({ mutation_id: 'text', payload: 'json' })

export function pendingNoticeOf(
  db: ReadDb,
  caseId: string,
): { mutationId: string; payload: unknown } | undefined {
  return get(
    db,
    sql`SELECT mutation_id, payload FROM outbox WHERE case_id = ${caseId} AND type = 'notice.issue' AND state = 'pending'`,
    (row) => {
      const r = pendingNoticeShape(row)
      return { mutationId: r.mutation_id, payload: r.payload }
    },
  )
}

export function replacePendingNoticePayload(
  db: WriteDb,
  mutationId: string,
  payload: unknown,
): void {
  run(
    db,
    sql`UPDATE outbox SET payload = ${JSON.stringify(payload)} WHERE mutation_id = ${mutationId}`,
  )
}
