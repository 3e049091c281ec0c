// The reference hub (hub-protocol.md, "Intake"): a fastify server over its own SQLite store.
/* eslint-disable @typescript-eslint/require-await -- fastify route handlers are async by contract */
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import Fastify from 'fastify'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { openStore } from './store'
import type { ClientRow, Store, SubmissionRow } from './store'
import { bootstrapIfEmpty, hashSecret } from './bootstrap'
import type { HubConfig, ServiceInfo } from './bootstrap'
import type { Jwk } from './keys'
import { HttpProblem, badRequest, conflict, forbidden, notFound, unauthorized } from './problems'
import { registerOffice } from './office/routes'
import { registerDemoTsa } from './tsa/http'
import { EVENT, authTagOf, checkAcceptTags, checkRejectPayload, signSet, verifySubscriberSet } from './sets'

export type { HubConfig, DestinationKeysFile } from './bootstrap'

/** Milliseconds since the epoch. */
export type Clock = () => number

export interface FaultOptions {
  /** share of /v1 and /office requests answered with 503 before the handler runs */
  errorRate?: number
  /** share of /v1 and /office requests whose connection is reset after the handler ran (response lost) */
  resetRate?: number
  /** each /v1 and /office request is delayed by a uniform random 0..maxLatencyMs */
  maxLatencyMs?: number
  /** random source in [0,1), default Math.random */
  random?: () => number
}

export const DEFAULT_FAULTS: Required<Omit<FaultOptions, 'random'>> = { errorRate: 0.2, resetRate: 0.1, maxLatencyMs: 2000 }

export interface StartHubOptions {
  dataDir: string
  /** 0 or undefined: a free port */
  port?: number
  clock?: Clock
  /** request body limit, default 30 MiB; larger bodies get 413 */
  maxBodyBytes?: number
  /** true = DEFAULT_FAULTS */
  faults?: FaultOptions | boolean
  /** lifetime of access tokens, default 3600 s */
  tokenTtlSeconds?: number
}

export interface SweepResult {
  autoRejected: number
  deleted: number
}

export interface RunningHub {
  url: string
  port: number
  dataDir: string
  /** the content of hub.json */
  config: HubConfig
  /** applies the 14/21/7-day rules now (also run lazily before every /v1 request) */
  sweep(): Promise<SweepResult>
  /** switch fault injection on/off at runtime */
  setFaults(faults: FaultOptions | false): void
  /** state of a submission, for tests and tools */
  submissionState(submissionId: string): string | undefined
  close(): Promise<void>
}

export const DAY_MS = 86_400_000
export const AUTO_REJECT_AFTER_MS = 14 * DAY_MS
export const DELETE_UNCLAIMED_AFTER_MS = 21 * DAY_MS
export const DELETE_AFTER_PICKUP_MS = 7 * DAY_MS

const UUID = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a UUID')
const JWE_RE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/

const announceBody = z.object({
  destinationId: UUID,
  announcedAttachments: z.array(UUID).max(100),
  serviceType: z.object({
    name: z.string().min(1).max(255),
    identifier: z.string().regex(/^urn:de:fim:leika:leistung:[0-9]{14}$/),
  }),
})
const submitBody = z.object({ encryptedMetadata: z.string().max(5_000_000), encryptedData: z.string() })
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
    throw badRequest(r.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '))
  }
  return r.data
}

function checkJwe(jwe: unknown, encryptionKid: string, what: string): string {
  if (typeof jwe !== 'string' || !JWE_RE.test(jwe)) throw badRequest(`${what} must be a JWE in compact serialisation.`)
  let header: Record<string, unknown>
  try {
    header = JSON.parse(Buffer.from(jwe.slice(0, jwe.indexOf('.')), 'base64url').toString('utf8')) as Record<string, unknown>
  } catch {
    throw badRequest(`${what}: the protected header is not JSON.`)
  }
  if (header['alg'] !== 'RSA-OAEP-256') throw badRequest(`${what}: alg must be RSA-OAEP-256.`)
  if (header['enc'] !== 'A256GCM') throw badRequest(`${what}: enc must be A256GCM.`)
  if (header['kid'] !== encryptionKid) throw badRequest(`${what}: kid must be the destination's encryption key id.`)
  return jwe
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex')
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export async function startHub(opts: StartHubOptions): Promise<RunningHub> {
  const clock: Clock = opts.clock ?? Date.now
  const tokenTtl = opts.tokenTtlSeconds ?? 3600
  mkdirSync(opts.dataDir, { recursive: true })
  const store: Store = openStore(join(opts.dataDir, 'hub.sqlite'))
  let config: HubConfig
  try {
    config = await bootstrapIfEmpty(store, opts.dataDir)
  } catch (e) {
    store.close()
    throw e
  }
  const hubKeyRow = store.q.hubKeys.all()[0]
  if (!hubKeyRow) throw new Error('hub signing key missing from the store')
  const hubPrivateJwk = JSON.parse(hubKeyRow.private_jwk) as Jwk
  const hubPublicJwks = store.q.hubKeys.all().map((r) => JSON.parse(r.public_jwk) as Jwk)

  let faults: Required<FaultOptions> | null = null
  const setFaults = (f: FaultOptions | boolean | undefined) => {
    faults = f ? { ...DEFAULT_FAULTS, random: Math.random, ...(f === true ? {} : f) } : null
  }
  setFaults(opts.faults)

  const app = Fastify({ logger: false, bodyLimit: opts.maxBodyBytes ?? 30 * 1024 * 1024, forceCloseConnections: true })
  let issuer = 'urn:aktenfluss:hub'

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)))
  })
  app.addContentTypeParser(['application/jose', 'text/plain'], { parseAs: 'string' }, (_req, body, done) => {
    done(null, (body as string).trim())
  })

  app.setErrorHandler((err: unknown, req, reply) => {
    let problem: HttpProblem
    if (err instanceof HttpProblem) problem = err
    else {
      const e = err as { statusCode?: number; code?: string; message?: string }
      const status = typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 600 ? e.statusCode : 500
      if (status === 413) problem = new HttpProblem(413, 'payload-too-large', 'Payload too large', e.message)
      else if (status === 415) problem = new HttpProblem(415, 'unsupported-media-type', 'Unsupported media type', e.message)
      else if (status < 500) problem = new HttpProblem(status, 'validation', 'Invalid request', e.message)
      else {
        console.error(`hub: ${req.method} ${req.url} failed:`, err)
        problem = new HttpProblem(500, 'internal', 'Internal server error')
      }
    }
    void reply.code(problem.status).type('application/problem+json').send(problem.toProblem(req.url))
  })
  app.setNotFoundHandler((req, reply) => {
    void reply
      .code(404)
      .type('application/problem+json')
      .send(notFound(`No route ${req.method} ${req.url.split('?')[0]}`).toProblem(req.url))
  })

  // ---- fault injection (/v1 and /office only; /token and /.well-known stay reliable) ----
  const faultable = (url: string) => url.startsWith('/v1/') || url.startsWith('/office/')
  app.addHook('onRequest', async (req) => {
    const f = faults
    if (!f || !faultable(req.url)) return
    if (f.maxLatencyMs > 0) await sleep(Math.floor(f.random() * f.maxLatencyMs))
    if (f.random() < f.errorRate) throw new HttpProblem(503, 'injected-fault', 'Service unavailable (injected fault)')
    if (f.random() < f.resetRate) (req as FastifyRequest & { resetAfter?: boolean }).resetAfter = true
  })
  app.addHook('onSend', async (req, reply, payload) => {
    if ((req as FastifyRequest & { resetAfter?: boolean }).resetAfter) {
      req.raw.socket.destroy()
      reply.hijack()
    }
    return payload
  })

  // ---- time rules ----
  let lastSweep = Number.NEGATIVE_INFINITY
  async function sweep(): Promise<SweepResult> {
    const now = clock()
    lastSweep = now
    const result: SweepResult = { autoRejected: 0, deleted: 0 }
    for (const s of store.q.dueAutoReject.all(now - AUTO_REJECT_AFTER_MS)) {
      const set = await hubSet(s, EVENT.reject, {
        problems: [
          {
            type: 'https://schema.fitko.de/fit-connect/events/problems/submission-expired',
            title: 'Einreichung nicht abgeholt',
            detail: 'Die Einreichung wurde nicht innerhalb von 14 Tagen abgeholt und automatisch zurückgewiesen.',
          },
        ],
      })
      store.db.transaction(() => {
        if (store.q.close.run('rejected', now, 1, s.submission_id).changes === 1) {
          store.q.insertEvent.run(s.case_id, EVENT.reject, set, now)
          result.autoRejected++
        }
      })()
    }
    for (const s of store.q.dueDelete.all({ incomplete: now - DELETE_UNCLAIMED_AFTER_MS, unclaimed: now - DELETE_UNCLAIMED_AFTER_MS, closed: now - DELETE_AFTER_PICKUP_MS })) {
      const set = await hubSet(s, EVENT.delete, {})
      store.db.transaction(() => {
        const cur = store.q.getSubmission.get(s.submission_id)
        if (!cur || cur.state === 'deleted') return
        store.q.markDeleted.run(now, s.submission_id)
        store.q.deleteAttachments.run(s.submission_id)
        store.q.insertEvent.run(s.case_id, EVENT.delete, set, now)
        result.deleted++
      })()
    }
    return result
  }

  function hubSet(s: Pick<SubmissionRow, 'submission_id' | 'case_id'>, event: string, payload: Record<string, unknown>) {
    return signSet(hubPrivateJwk, {
      iss: issuer,
      submissionId: s.submission_id,
      caseId: s.case_id,
      event,
      payload,
      iat: Math.floor(clock() / 1000),
    })
  }

  // ---- authentication ----
  function authenticate(req: FastifyRequest): ClientRow {
    const h = req.headers.authorization
    if (!h || !h.startsWith('Bearer ')) throw unauthorized('Bearer token required.')
    const tok = store.q.getToken.get(sha256(h.slice(7).trim()))
    if (!tok) throw unauthorized('Unknown access token.')
    if (tok.expires_at <= clock()) throw unauthorized('The access token has expired.')
    const client = store.q.getClient.get(tok.client_id)
    if (!client) throw unauthorized('Unknown client.')
    return client
  }
  function requireRole(req: FastifyRequest, ...roles: ClientRow['role'][]): ClientRow {
    const c = authenticate(req)
    if (!roles.includes(c.role)) throw forbidden(`This call needs the role ${roles.join(' or ')}; client has ${c.role}.`)
    return c
  }
  function requireDestination(c: ClientRow, destinationId: string) {
    const allowed = JSON.parse(c.destinations) as string[]
    if (!allowed.includes('*') && !allowed.includes(destinationId)) {
      throw forbidden('This client has no access to the destination.')
    }
  }
  function loadSubmission(c: ClientRow, submissionId: string): SubmissionRow {
    const s = store.q.getSubmission.get(submissionId)
    if (!s) throw notFound(`Submission ${submissionId} not found.`)
    requireDestination(c, s.destination_id)
    return s
  }

  app.addHook('preHandler', async (req) => {
    if (req.url.startsWith('/v1/') && clock() - lastSweep >= 1000) await sweep()
  })

  // ---- /token ----
  app.post('/token', async (req, reply) => {
    const body = parseOr400(tokenBody, req.body)
    const client = store.q.getClient.get(body.client_id)
    if (!client || client.secret_hash !== hashSecret(body.client_secret)) {
      return reply
        .code(401)
        .type('application/problem+json')
        .send(new HttpProblem(401, 'invalid-client', 'Invalid client', 'Unknown client or wrong secret.').toProblem('/token'))
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
  app.get<{ Params: { destinationId: string; kid: string } }>('/v1/destinations/:destinationId/keys/:kid', async (req) => {
    authenticate(req)
    const jwk = store.destinationKey(req.params.destinationId, req.params.kid)
    if (!jwk) throw notFound('Key not found.')
    return jwk
  })

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
      submissions: rows.map((r) => ({ destinationId: r.destination_id, submissionId: r.submission_id, caseId: r.case_id })),
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

  app.post<{ Params: { caseId: string } }>('/v1/cases/:caseId/events', async (req, reply: FastifyReply) => {
    const c = requireRole(req, 'subscriber')
    const s = loadCase(c, req.params.caseId)
    if (typeof req.body !== 'string') throw badRequest('The body must be a SET (application/jose).')
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
  })

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
    if (new Set(body.announcedAttachments.map((a) => a.toLowerCase())).size !== body.announcedAttachments.length) {
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
    return reply.code(201).send({ submissionId: row.submission_id, caseId: row.case_id, destinationId: row.destination_id })
  })

  app.put<{ Params: { submissionId: string; attachmentId: string } }>(
    '/v1/submissions/:submissionId/attachments/:attachmentId',
    async (req, reply) => {
      const c = requireRole(req, 'sender')
      const s = loadSubmission(c, req.params.submissionId)
      if (s.state !== 'incomplete') throw conflict(`The submission is ${s.state}; attachments can no longer be uploaded.`)
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
    if (missing.length > 0) throw conflict(`Announced attachments not uploaded: ${missing.join(', ')}.`)
    const set = await hubSet(s, EVENT.submit, {})
    const now = clock()
    const ok = store.db.transaction(() => {
      if (store.q.submit.run(body.encryptedMetadata, body.encryptedData, now, s.submission_id).changes !== 1) return false
      store.q.insertEvent.run(s.case_id, EVENT.submit, set, now)
      return true
    })()
    if (!ok) throw conflict('The submission was submitted concurrently.')
    return { submissionId: s.submission_id, caseId: s.case_id, destinationId: s.destination_id }
  })

  // ---- office face (/office/v1) ----
  registerOffice(app, { db: store.db, clock, authenticate: (req) => void requireRole(req, 'subscriber') })
  // ---- demo PKI: RFC 3161 time-stamping (POST /tsa) and the demo CA's CRL (GET /pki/demo-ca.crl) ----
  registerDemoTsa(app)

  try {
    await app.listen({ host: '127.0.0.1', port: opts.port ?? 0 })
  } catch (e) {
    store.close()
    throw e
  }
  const port = (app.server.address() as AddressInfo).port
  const url = `http://127.0.0.1:${port}`
  issuer = url

  let closed = false
  return {
    url,
    port,
    dataDir: opts.dataDir,
    config,
    sweep,
    setFaults: (f) => setFaults(f),
    submissionState: (id) => store.q.getSubmission.get(id)?.state,
    close: async () => {
      if (closed) return
      closed = true
      await app.close()
      store.close()
    },
  }
}
