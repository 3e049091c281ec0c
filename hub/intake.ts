// The reference hub's Intake face (docs/hub-protocol.md, "Intake"): /token, the hub's JWKS and
// the FIT-Connect Submission API routes under /v1 (subscriber and sender side).
/* eslint-disable @typescript-eslint/require-await -- fastify route handlers are async by contract */
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import type { FastifyInstance, FastifyReply } from 'fastify'
import { z } from 'zod'
import type { ServiceInfo } from './bootstrap'
import { hashSecret } from './bootstrap'
import { HttpProblem, badRequest, conflict, notFound } from './problems'
import type { HubRuntime } from './runtime'
import type { ClientRow, SubmissionRow } from './store'
import { EVENT, authTagOf, checkAcceptTags, checkRejectPayload, verifySubscriberSet } from './sets'

const UUID = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a UUID')
const JWE_RE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/

const announceBody = z.object({
  destinationId: UUID,
  announcedAttachments: z.array(UUID).max(100),
  serviceType: z.object({
    name: z.string().min(1).max(255),
    identifier: z.string().regex(/^urn:de:fim:leika:leistung:[0-9]{14}$/),
  }),
})
const submitBody = z.object({
  encryptedMetadata: z.string().max(5_000_000),
  encryptedData: z.string(),
})
const tokenBody = z.object({
  grant_type: z.literal('client_credentials'),
  client_id: z.string().min(1).max(200),
  client_secret: z.string().min(1).max(500),
})
const listQuery = z.object({
  destinationId: UUID,
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(100),
})

function parseOr400<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value)
  if (!r.success) {
    throw badRequest(
      r.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '),
    )
  }
  return r.data
}

function checkJwe(jwe: unknown, encryptionKid: string, what: string): string {
  if (typeof jwe !== 'string' || !JWE_RE.test(jwe))
    throw badRequest(`${what} must be a JWE in compact serialisation.`)
  let header: Record<string, unknown>
  try {
    header = JSON.parse(
      Buffer.from(jwe.slice(0, jwe.indexOf('.')), 'base64url').toString('utf8'),
    ) as Record<string, unknown>
  } catch {
    throw badRequest(`${what}: the protected header is not JSON.`)
  }
  if (header['alg'] !== 'RSA-OAEP-256') throw badRequest(`${what}: alg must be RSA-OAEP-256.`)
  if (header['enc'] !== 'A256GCM') throw badRequest(`${what}: enc must be A256GCM.`)
  if (header['kid'] !== encryptionKid)
    throw badRequest(`${what}: kid must be the destination's encryption key id.`)
  return jwe
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex')

export function registerIntake(app: FastifyInstance, rt: HubRuntime): void {
  const {
    store,
    clock,
    tokenTtl,
    hubPublicJwks,
    authenticate,
    requireRole,
    requireDestination,
    loadSubmission,
    hubSet,
  } = rt
  // ---- /token ----
  app.post('/token', async (req, reply) => {
    const body = parseOr400(tokenBody, req.body)
    const client = store.q.getClient.get(body.client_id)
    if (!client || client.secret_hash !== hashSecret(body.client_secret)) {
      return reply
        .code(401)
        .type('application/problem+json')
        .send(
          new HttpProblem(
            401,
            'invalid-client',
            'Invalid client',
            'Unknown client or wrong secret.',
          ).toProblem('/token'),
        )
    }
    const token = randomBytes(32).toString('base64url')
    const now = clock()
    store.q.purgeTokens.run(now)
    store.q.insertToken.run(sha256(token), client.client_id, now + tokenTtl * 1000)
    const scope = client.role === 'subscriber' ? 'subscribe:submissions' : 'send:submissions'
    return { access_token: token, token_type: 'Bearer', expires_in: tokenTtl, scope }
  })

  app.get('/.well-known/jwks.json', async () => ({ keys: hubPublicJwks }))

  // ---- destinations ----
  app.get<{ Params: { destinationId: string } }>('/v1/destinations/:destinationId', async (req) => {
    authenticate(req)
    const d = store.q.getDestination.get(req.params.destinationId)
    if (!d) throw notFound('Destination not found.')
    return {
      destinationId: d.destination_id,
      status: d.status,
      encryptionKid: d.encryption_kid,
      services: JSON.parse(d.services) as ServiceInfo[],
      metadataVersions: ['1.0.0'],
    }
  })
  app.get<{ Params: { destinationId: string; kid: string } }>(
    '/v1/destinations/:destinationId/keys/:kid',
    async (req) => {
      authenticate(req)
      const jwk = store.destinationKey(req.params.destinationId, req.params.kid)
      if (!jwk) throw notFound('Key not found.')
      return jwk
    },
  )

  // ---- subscriber ----
  app.get('/v1/submissions', async (req) => {
    const c = requireRole(req, 'subscriber')
    const q = parseOr400(listQuery, req.query)
    requireDestination(c, q.destinationId)
    const total = store.q.countPending.get(q.destinationId)?.n ?? 0
    const rows = store.q.listPending.all(q.destinationId, q.limit, q.offset)
    return {
      totalCount: total,
      offset: q.offset,
      count: rows.length,
      submissions: rows.map((r) => ({
        destinationId: r.destination_id,
        submissionId: r.submission_id,
        caseId: r.case_id,
      })),
    }
  })

  function readableSubmission(c: ClientRow, id: string): SubmissionRow {
    const s = loadSubmission(c, id)
    if (s.state === 'incomplete') throw notFound('The submission has not been submitted yet.')
    if (s.state === 'deleted') throw notFound('The submission has been deleted.')
    return s
  }

  app.get<{ Params: { submissionId: string } }>('/v1/submissions/:submissionId', async (req) => {
    const c = requireRole(req, 'subscriber')
    const s = readableSubmission(c, req.params.submissionId)
    return {
      submissionId: s.submission_id,
      caseId: s.case_id,
      destinationId: s.destination_id,
      serviceType: { name: s.service_name, identifier: s.service_identifier },
      attachments: JSON.parse(s.announced) as string[],
      encryptedMetadata: s.encrypted_metadata,
      encryptedData: s.encrypted_data,
    }
  })

  app.get<{ Params: { submissionId: string; attachmentId: string } }>(
    '/v1/submissions/:submissionId/attachments/:attachmentId',
    async (req, reply) => {
      const c = requireRole(req, 'subscriber')
      const s = readableSubmission(c, req.params.submissionId)
      const a = store.q.getAttachment.get(s.submission_id, req.params.attachmentId)
      if (!a) throw notFound('Attachment not found.')
      return reply.type('application/jose').send(a.jwe)
    },
  )

  function loadCase(c: ClientRow, caseId: string): SubmissionRow {
    const s = store.q.getSubmissionByCase.get(caseId)
    if (!s) throw notFound(`Case ${caseId} not found.`)
    requireDestination(c, s.destination_id)
    return s
  }

  app.get<{ Params: { caseId: string } }>('/v1/cases/:caseId/events', async (req) => {
    const c = requireRole(req, 'subscriber', 'sender')
    const s = loadCase(c, req.params.caseId)
    return { eventLog: store.q.events.all(s.case_id).map((e) => e.token) }
  })

  app.post<{ Params: { caseId: string } }>(
    '/v1/cases/:caseId/events',
    async (req, reply: FastifyReply) => {
      const c = requireRole(req, 'subscriber')
      const s = loadCase(c, req.params.caseId)
      if (typeof req.body !== 'string')
        throw badRequest('The body must be a SET (application/jose).')
      const dest = store.q.getDestination.get(s.destination_id)
      const sigJwk = dest && store.destinationKey(dest.destination_id, dest.signature_kid)
      if (!dest || !sigJwk) throw conflict('The destination has no registered signature key.')
      const set = await verifySubscriberSet(req.body, {
        signatureJwk: sigJwk,
        destinationId: s.destination_id,
        submissionId: s.submission_id,
        caseId: s.case_id,
      })
      // re-read: the state may have moved while we verified
      const cur = store.q.getSubmission.get(s.submission_id)!
      const wanted = set.event === 'accept' ? 'accepted' : 'rejected'
      if (cur.state === wanted) return reply.code(204).send() // repeated accept/reject is harmless
      if (cur.state !== 'submitted') {
        throw conflict(`The submission is ${cur.state}; ${set.event}-submission is not possible.`)
      }
      if (set.event === 'accept') {
        const attachments: Record<string, string> = {}
        for (const id of JSON.parse(cur.announced) as string[]) {
          attachments[id] = authTagOf(store.q.getAttachment.get(cur.submission_id, id)?.jwe ?? '')
        }
        checkAcceptTags(set.payload, {
          metadata: authTagOf(cur.encrypted_metadata ?? ''),
          data: authTagOf(cur.encrypted_data ?? ''),
          attachments,
        })
      } else {
        checkRejectPayload(set.payload)
      }
      const now = clock()
      const applied = store.db.transaction(() => {
        if (store.q.close.run(wanted, now, 0, cur.submission_id).changes !== 1) return false
        store.q.insertEvent.run(cur.case_id, set.eventUri, req.body, now)
        return true
      })()
      if (!applied) {
        const again = store.q.getSubmission.get(cur.submission_id)!
        if (again.state !== wanted) throw conflict(`The submission is ${again.state}.`)
      }
      return reply.code(204).send()
    },
  )

  // ---- sender ----
  app.post('/v1/submissions', async (req, reply) => {
    const c = requireRole(req, 'sender')
    const body = parseOr400(announceBody, req.body)
    requireDestination(c, body.destinationId)
    const dest = store.q.getDestination.get(body.destinationId)
    if (!dest) throw notFound('Destination not found.')
    if (dest.status !== 'active') throw conflict('The destination is not active.')
    const services = JSON.parse(dest.services) as ServiceInfo[]
    if (!services.some((s) => s.identifier === body.serviceType.identifier)) {
      throw badRequest(`The destination does not offer the service ${body.serviceType.identifier}.`)
    }
    if (
      new Set(body.announcedAttachments.map((a) => a.toLowerCase())).size !==
      body.announcedAttachments.length
    ) {
      throw badRequest('announcedAttachments contains duplicates.')
    }
    const row = {
      submission_id: randomUUID(),
      case_id: randomUUID(),
      destination_id: dest.destination_id,
      service_name: body.serviceType.name,
      service_identifier: body.serviceType.identifier,
      announced: JSON.stringify(body.announcedAttachments),
      created_at: clock(),
    }
    const set = await hubSet(row, EVENT.create, {})
    store.db.transaction(() => {
      store.q.insertSubmission.run(row)
      store.q.insertEvent.run(row.case_id, EVENT.create, set, row.created_at)
    })()
    return reply.code(201).send({
      submissionId: row.submission_id,
      caseId: row.case_id,
      destinationId: row.destination_id,
    })
  })

  app.put<{ Params: { submissionId: string; attachmentId: string } }>(
    '/v1/submissions/:submissionId/attachments/:attachmentId',
    async (req, reply) => {
      const c = requireRole(req, 'sender')
      const s = loadSubmission(c, req.params.submissionId)
      if (s.state !== 'incomplete')
        throw conflict(`The submission is ${s.state}; attachments can no longer be uploaded.`)
      if (!(JSON.parse(s.announced) as string[]).includes(req.params.attachmentId)) {
        throw notFound('The attachment was not announced for this submission.')
      }
      const dest = store.q.getDestination.get(s.destination_id)!
      const jwe = checkJwe(req.body, dest.encryption_kid, 'The attachment')
      store.q.putAttachment.run(s.submission_id, req.params.attachmentId, jwe)
      return reply.code(204).send()
    },
  )

  app.put<{ Params: { submissionId: string } }>('/v1/submissions/:submissionId', async (req) => {
    const c = requireRole(req, 'sender')
    const s = loadSubmission(c, req.params.submissionId)
    if (s.state !== 'incomplete') throw conflict(`The submission is already ${s.state}.`)
    const body = parseOr400(submitBody, req.body)
    const dest = store.q.getDestination.get(s.destination_id)!
    checkJwe(body.encryptedMetadata, dest.encryption_kid, 'encryptedMetadata')
    checkJwe(body.encryptedData, dest.encryption_kid, 'encryptedData')
    const uploaded = new Set(store.q.attachmentIds.all(s.submission_id).map((r) => r.attachment_id))
    const missing = (JSON.parse(s.announced) as string[]).filter((id) => !uploaded.has(id))
    if (missing.length > 0)
      throw conflict(`Announced attachments not uploaded: ${missing.join(', ')}.`)
    const set = await hubSet(s, EVENT.submit, {})
    const now = clock()
    const ok = store.db.transaction(() => {
      if (
        store.q.submit.run(body.encryptedMetadata, body.encryptedData, now, s.submission_id)
          .changes !== 1
      )
        return false
      store.q.insertEvent.run(s.case_id, EVENT.submit, set, now)
      return true
    })()
    if (!ok) throw conflict('The submission was submitted concurrently.')
    return { submissionId: s.submission_id, caseId: s.case_id, destinationId: s.destination_id }
  })
}
