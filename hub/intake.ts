// The reference hub's Intake face (docs/hub-protocol.md, "Intake"): /token, the hub's JWKS and
// the FIT-Connect Submission API routes under /v1 (subscriber and sender side).
import { randomBytes } from 'node:crypto'
import type { FastifyInstance, FastifyReply } from 'fastify'
import { z } from 'zod'
import type { ServiceInfo } from './bootstrap'
import { DEMO_REGIONS, hashSecret } from './bootstrap'
import { HttpProblem, badRequest, conflict, notFound, submissionNotFound } from './problems'
import { sha256, type HubRuntime } from './runtime'
import type { ClientRow, SubmissionRow } from './store'
import { authTagOf, authenticationTags, checkAcceptTags, checkRejectPayload } from './sets'
import { setSubject, verifySubscriberSet } from './sets'
import { registerSender } from './intakeSender'
import { UUID, parseOr400, submissionReduced } from './intakeShared'

/** The Submission API version this hub implements (GET /v1/info). */
export const SUBMISSION_API_VERSION = { major: 1, minor: 1, patch: 3 } as const

const tokenBody = z.object({
  grant_type: z.literal('client_credentials'),
  client_id: z.string().min(1).max(200),
  client_secret: z.string().min(1).max(500),
})
const page = {
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(100),
}
const listQuery = z.object({ destinationId: UUID.optional(), ...page })
const eventsQuery = z.object(page)
const isUuid = (s: string) => UUID.safeParse(s).success

/** Metadata schema versions the desk reads (1.x is backward compatible with 1.0.0). */
export const METADATA_VERSIONS = ['1.0.0']

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
  } = rt
  // ---- /token ----
  app.post('/token', async (req) => {
    const body = parseOr400(tokenBody, req.body)
    const client = await store.q.getClient.get(body.client_id)
    if (!client || client.secret_hash !== hashSecret(body.client_secret)) {
      throw new HttpProblem(
        401,
        'invalid-client',
        'Invalid client',
        'Unknown client or wrong secret.',
      )
    }
    const token = randomBytes(32).toString('base64url')
    const now = clock()
    await store.q.purgeTokens.run(now)
    await store.q.insertToken.run(sha256(token), client.client_id, now + tokenTtl * 1000)
    const scope = client.role === 'subscriber' ? 'subscribe:submissions' : 'send:submissions'
    return { access_token: token, token_type: 'Bearer', expires_in: tokenTtl, scope }
  })

  app.get('/.well-known/jwks.json', () => Promise.resolve({ keys: hubPublicJwks }))
  app.get('/v1/info', () => Promise.resolve({ version: SUBMISSION_API_VERSION }))

  // ---- destinations ----
  app.get<{ Params: { destinationId: string } }>(
    '/v1/destinations/:destinationId',
    async (req, reply) => {
      await authenticate(req)
      // destinations and their keys must not be cached (their keys may change)
      void reply.header('cache-control', 'no-cache')
      const d = isUuid(req.params.destinationId)
        ? await store.q.getDestination.get(req.params.destinationId)
        : undefined
      if (!d) throw notFound('Destination not found.')
      return {
        destinationId: d.destination_id,
        status: d.status,
        encryptionKid: d.encryption_kid,
        services: (JSON.parse(d.services) as ServiceInfo[]).map((s) => ({
          ...s,
          regions: s.regions ?? DEMO_REGIONS,
        })),
        metadataVersions: METADATA_VERSIONS,
      }
    },
  )
  app.get<{ Params: { destinationId: string; kid: string } }>(
    '/v1/destinations/:destinationId/keys/:kid',
    async (req, reply) => {
      // public keys: no token (FIT-Connect's get-destination-key has no security requirement)
      void reply.header('cache-control', 'no-cache')
      const jwk = await store.destinationKey(req.params.destinationId, req.params.kid)
      if (!jwk) throw notFound('Key not found.')
      return jwk
    },
  )

  // ---- subscriber ----
  app.get('/v1/submissions', async (req) => {
    const c = await requireRole(req, 'subscriber')
    const q = parseOr400(listQuery, req.query)
    // without destinationId: the pending submissions of every destination of the client
    if (q.destinationId) requireDestination(c, q.destinationId)
    const dests = q.destinationId ? JSON.stringify([q.destinationId]) : c.destinations
    const total = (await store.q.countPendingIn.get({ dests }))?.n ?? 0
    const rows = await store.q.listPendingIn.all({ dests, limit: q.limit, offset: q.offset })
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

  async function readableSubmission(c: ClientRow, id: string): Promise<SubmissionRow> {
    const s = await loadSubmission(c, id)
    if (s.state === 'incomplete')
      throw submissionNotFound('The submission has not been submitted yet.')
    if (s.state === 'deleted') throw submissionNotFound('The submission has been deleted.')
    return s
  }

  app.get<{ Params: { submissionId: string } }>('/v1/submissions/:submissionId', async (req) => {
    const c = await requireRole(req, 'subscriber')
    const s = await readableSubmission(c, req.params.submissionId)
    return {
      ...submissionReduced(s),
      encryptedMetadata: s.encrypted_metadata,
      ...(s.encrypted_data !== null ? { encryptedData: s.encrypted_data } : {}),
    }
  })

  app.get<{ Params: { submissionId: string; attachmentId: string } }>(
    '/v1/submissions/:submissionId/attachments/:attachmentId',
    async (req, reply) => {
      const c = await requireRole(req, 'subscriber')
      const s = await readableSubmission(c, req.params.submissionId)
      const a = await store.q.getAttachment.get(s.submission_id, req.params.attachmentId)
      if (!a) throw notFound('Attachment not found.')
      return reply.type('application/jose').send(a.jwe)
    },
  )

  async function loadCase(c: ClientRow, caseId: string): Promise<SubmissionRow> {
    const s = isUuid(caseId) ? await store.q.getSubmissionByCase.get(caseId) : undefined
    if (!s) throw notFound(`Case ${caseId} not found.`)
    requireDestination(c, s.destination_id)
    return s
  }

  async function submissionOfSet(caseRow: SubmissionRow, token: unknown): Promise<SubmissionRow> {
    const sub = typeof token === 'string' ? setSubject(token) : undefined
    const id = sub?.startsWith('submission:') ? sub.slice('submission:'.length) : undefined
    if (!id || id === caseRow.submission_id) return caseRow
    const s = await store.q.getSubmission.get(id)
    // another case's submission: verified against this case, the SET is refused (txn/sub)
    return s && s.case_id === caseRow.case_id ? s : caseRow
  }

  app.get<{ Params: { caseId: string } }>('/v1/cases/:caseId/events', async (req) => {
    const c = await requireRole(req, 'subscriber', 'sender')
    const s = await loadCase(c, req.params.caseId)
    const q = parseOr400(eventsQuery, req.query)
    const eventLog = (await store.q.eventsPage.all(s.case_id, q.limit, q.offset)).map(
      (e) => e.token,
    )
    const totalCount = (await store.q.countEvents.get(s.case_id))?.n ?? 0
    return { count: eventLog.length, offset: q.offset, totalCount, eventLog }
  })

  app.post<{ Params: { caseId: string } }>(
    '/v1/cases/:caseId/events',
    async (req, reply: FastifyReply) => {
      const c = await requireRole(req, 'subscriber')
      // a case may hold several submissions (replies): the SET's sub names the one it decides
      const caseRow = await loadCase(c, req.params.caseId)
      const s = await submissionOfSet(caseRow, req.body)
      if (typeof req.body !== 'string')
        throw badRequest('The body must be a SET (application/jose).')
      const dest = await store.q.getDestination.get(s.destination_id)
      const sigJwk = dest && (await store.destinationKey(dest.destination_id, dest.signature_kid))
      if (!dest || !sigJwk) throw conflict('The destination has no registered signature key.')
      const set = await verifySubscriberSet(req.body, {
        signatureJwk: sigJwk,
        destinationId: s.destination_id,
        submissionId: s.submission_id,
        caseId: s.case_id,
      })
      // re-read: the state may have moved while we verified
      const cur = (await store.q.getSubmission.get(s.submission_id))!
      const wanted = set.event === 'accept' ? 'accepted' : 'rejected'
      if (cur.state === wanted) return reply.code(204).send() // repeated accept/reject is harmless
      if (cur.state !== 'submitted') {
        throw conflict(`The submission is ${cur.state}; ${set.event}-submission is not possible.`)
      }
      if (set.event === 'accept') {
        const attachments: Record<string, string> = {}
        for (const id of JSON.parse(cur.announced) as string[]) {
          attachments[id] = authTagOf(
            (await store.q.getAttachment.get(cur.submission_id, id))?.jwe ?? '',
          )
        }
        checkAcceptTags(
          set.payload,
          authenticationTags(cur.encrypted_metadata ?? '', cur.encrypted_data, attachments),
        )
      } else {
        checkRejectPayload(set.payload)
      }
      const now = clock()
      const body = req.body
      const applied = await store.transaction(async () => {
        if ((await store.q.close.run(wanted, now, 0, cur.submission_id)).changes !== 1) return false
        await store.q.insertEvent.run(cur.case_id, set.eventUri, body, now)
        return true
      })
      if (!applied) {
        const again = (await store.q.getSubmission.get(cur.submission_id))!
        if (again.state !== wanted) throw conflict(`The submission is ${again.state}.`)
      }
      return reply.code(204).send()
    },
  )

  registerSender(app, rt)
}
