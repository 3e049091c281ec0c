// The reference hub's Rückkanal (reply channel, docs/hub-protocol.md "Replies"): the subscriber
// (the desk) answers into the case of a submission; the sender (the applicant's portal) lists,
// fetches and accepts (retrieval confirmation). FIT-Connect Submission API 1.1.3 has no reply
// endpoints; these follow FITKO's later /v2/replies design (create, submit, list, get, accept)
// and write the events submit-reply and accept-reply into the case's event log.
import { createHash, randomUUID } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { SignJWT, importJWK } from 'jose'
import { z } from 'zod'
import type { Jwk } from './keys'
import { badRequest, conflict, notFound } from './problems'
import { notificationSchema, type ReplyMailer } from './replyMail'
import type { ReplyRow } from './replyStore'
import type { HubRuntime } from './runtime'
import { EVENT_BASE, SET_SCHEMA } from './sets'
import { isUniqueViolation } from './storage/errors'

export const REPLY_EVENT = {
  submit: `${EVENT_BASE}submit-reply`,
  accept: `${EVENT_BASE}accept-reply`,
} as const

const UUID = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a UUID')
const JWE_RE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/
/** a notice PDF inline, base64 and encrypted: generous, but bounded */
const MAX_REPLY_CHARS = 40_000_000

const createBody = z
  .object({ replyId: UUID, caseId: UUID, announcedAttachments: z.array(UUID).max(0).default([]) })
  .strict()
const submitBody = z
  .object({ encryptedData: z.string().max(MAX_REPLY_CHARS), notification: notificationSchema })
  .strict()
const listQuery = z.object({
  caseId: UUID.optional(),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(100),
})

function parseOr400<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value)
  if (!r.success)
    throw badRequest(
      r.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '),
    )
  return r.data
}

function checkReplyJwe(jwe: string): void {
  if (!JWE_RE.test(jwe)) throw badRequest('encryptedData must be a JWE in compact serialisation.')
  let header: Record<string, unknown>
  try {
    header = JSON.parse(
      Buffer.from(jwe.slice(0, jwe.indexOf('.')), 'base64url').toString('utf8'),
    ) as Record<string, unknown>
  } catch {
    throw badRequest('encryptedData: the protected header is not JSON.')
  }
  if (header['alg'] !== 'RSA-OAEP-256') throw badRequest('encryptedData: alg must be RSA-OAEP-256.')
  if (header['enc'] !== 'A256GCM') throw badRequest('encryptedData: enc must be A256GCM.')
  if (typeof header['kid'] !== 'string' || !header['kid'])
    throw badRequest("encryptedData: kid must name the applicant's reply key.")
}

export interface ReplyRuntime extends Pick<
  HubRuntime,
  'store' | 'clock' | 'requireRole' | 'requireDestination'
> {
  hubPrivateJwk: Jwk
  issuer: () => string
  /** the e-mail channel: the portal's reply key and the test mailbox (hub/replyMail.ts) */
  mailer?: ReplyMailer
}

const view = (r: ReplyRow, withData: boolean) => ({
  replyId: r.reply_id,
  caseId: r.case_id,
  destinationId: r.destination_id,
  status: r.state,
  submittedAt: r.submitted_at === null ? null : new Date(r.submitted_at).toISOString(),
  acceptedAt: r.accepted_at === null ? null : new Date(r.accepted_at).toISOString(),
  ...(withData ? { encryptedData: r.encrypted_data } : {}),
})

export function registerReplies(app: FastifyInstance, rt: ReplyRuntime): void {
  const { store, clock, requireRole, requireDestination } = rt
  const replies = { q: store.storage.q.replies }
  let key: ReturnType<typeof importJWK> | undefined
  async function replySet(r: ReplyRow, event: string, payload: Record<string, unknown>) {
    const { key_ops: _ops, ...jwk } = rt.hubPrivateJwk
    key ??= importJWK(jwk, 'PS512')
    return new SignJWT({
      $schema: SET_SCHEMA,
      sub: `reply:${r.reply_id}`,
      txn: `case:${r.case_id}`,
      events: { [event]: payload },
    })
      .setProtectedHeader({ alg: 'PS512', typ: 'secevent+jwt', kid: rt.hubPrivateJwk.kid })
      .setIssuer(rt.issuer())
      .setIssuedAt(Math.floor(clock() / 1000))
      .setJti(randomUUID())
      .sign(await key)
  }
  async function loadReply(
    c: Parameters<typeof requireDestination>[0],
    replyId: string,
  ): Promise<ReplyRow> {
    const r = await replies.q.get.get(replyId)
    if (!r) throw notFound(`Reply ${replyId} not found.`)
    requireDestination(c, r.destination_id)
    return r
  }

  // ---- subscriber (the desk): create, submit ----
  app.post('/v2/replies', async (req, reply) => {
    const c = await requireRole(req, 'subscriber')
    const body = parseOr400(createBody, req.body)
    const s = await store.q.getSubmissionByCase.get(body.caseId)
    if (!s) throw notFound(`Case ${body.caseId} not found.`)
    requireDestination(c, s.destination_id)
    const existing = await replies.q.get.get(body.replyId)
    if (existing) {
      // the idempotency key: the same reply created again is the same reply
      if (existing.case_id !== s.case_id)
        throw conflict('The replyId is already used for another case.')
      return reply.code(200).send(view(existing, false))
    }
    if (s.state !== 'accepted' && s.state !== 'deleted')
      throw conflict(`The submission is ${s.state}; a reply needs an accepted submission.`)
    try {
      await replies.q.insert.run(body.replyId, s.case_id, s.destination_id, clock())
    } catch (e) {
      // the same reply created at the same moment through another hub process
      const again = isUniqueViolation(e) ? await replies.q.get.get(body.replyId) : undefined
      if (!again) throw e
      if (again.case_id !== s.case_id)
        throw conflict('The replyId is already used for another case.')
      return reply.code(200).send(view(again, false))
    }
    return reply.code(201).send(view((await replies.q.get.get(body.replyId))!, false))
  })

  app.put<{ Params: { replyId: string } }>('/v2/replies/:replyId', async (req, reply) => {
    const c = await requireRole(req, 'subscriber')
    const r = await loadReply(c, req.params.replyId)
    const body = parseOr400(submitBody, req.body)
    checkReplyJwe(body.encryptedData)
    const hash = createHash('sha256').update(body.encryptedData).digest('hex')
    if (r.state !== 'created') {
      if (r.data_hash === hash) return reply.code(202).send(view(r, false)) // a repeated submit
      throw conflict(`The reply is already ${r.state} with other content.`)
    }
    const now = clock()
    const set = await replySet(r, REPLY_EVENT.submit, {})
    const applied = await store.transaction(async () => {
      const submitted = await replies.q.submit.run(body.encryptedData, hash, now, r.reply_id)
      if (submitted.changes !== 1) return false
      await store.q.insertEvent.run(r.case_id, REPLY_EVENT.submit, set, now)
      return true
    })
    const cur = (await replies.q.get.get(r.reply_id))!
    if (!applied && cur.data_hash !== hash) throw conflict('The reply was submitted concurrently.')
    if (applied && body.notification && rt.mailer)
      rt.mailer.notify(r.reply_id, body.notification.eMail, now)
    return reply.code(202).send(view(cur, false))
  })

  // the portal's public reply key: letters to applicants who named only an e-mail address are
  // encrypted to it (public, like the destinations' keys)
  app.get('/v2/portal/reply-key', async (_req, reply) => {
    if (!rt.mailer) throw notFound('This hub has no portal reply key.')
    return reply.header('cache-control', 'no-cache').send((await rt.mailer.portalKey()).publicJwk)
  })

  // ---- both sides: list and get; the sender (the portal) gets the ciphertext ----
  app.get('/v2/replies', async (req) => {
    const c = await requireRole(req, 'sender', 'subscriber')
    const q = parseOr400(listQuery, req.query)
    const rows = (
      q.caseId
        ? await replies.q.listForCases.all(JSON.stringify([q.caseId]))
        : await replies.q.listAll.all()
    ).filter((r) => {
      try {
        requireDestination(c, r.destination_id)
        return true
      } catch {
        return false
      }
    })
    const page = rows.slice(q.offset, q.offset + q.limit)
    return {
      count: page.length,
      offset: q.offset,
      totalCount: rows.length,
      replies: page.map((r) => view(r, false)),
    }
  })

  app.get<{ Params: { replyId: string } }>('/v2/replies/:replyId', async (req) => {
    const c = await requireRole(req, 'sender', 'subscriber')
    const r = await loadReply(c, req.params.replyId)
    if (r.state === 'created') throw notFound('The reply has not been submitted yet.')
    return view(r, c.role === 'sender')
  })

  // the applicant retrieved the reply: accept-reply in the case's event log (once)
  app.post<{ Params: { replyId: string } }>('/v2/replies/:replyId/accept', async (req, reply) => {
    const c = await requireRole(req, 'sender')
    const r = await loadReply(c, req.params.replyId)
    if (r.state === 'accepted') return reply.code(204).send()
    if (r.state !== 'submitted') throw conflict(`The reply is ${r.state}.`)
    const now = clock()
    const set = await replySet(r, REPLY_EVENT.accept, {
      acceptedAt: new Date(now).toISOString(),
    })
    await store.transaction(async () => {
      if ((await replies.q.accept.run(now, r.reply_id)).changes === 1)
        await store.q.insertEvent.run(r.case_id, REPLY_EVENT.accept, set, now)
    })
    return reply.code(204).send()
  })
}
