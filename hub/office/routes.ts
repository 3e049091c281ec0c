// The hub's office face (/office/v1, docs/hub-protocol.md "Office") as fastify routes.
/* eslint-disable @typescript-eslint/require-await -- fastify route handlers are async by contract */
import { createHash } from 'node:crypto'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Database } from 'better-sqlite3'
import { z } from 'zod'
import { badRequest, notFound } from '../problems'
import { loadOfficeDirectory } from './directory'
import type { OfficeDirectory } from './directory'
import { createMutationApplier } from './mutations'
import { batchBody } from './payloads'
import { officeStatements } from './store'

export interface OfficeDeps {
  db: Database
  /** ms since the epoch */
  clock: () => number
  /** throws a problem unless the request carries a valid desk (subscriber) token */
  authenticate: (req: FastifyRequest) => void
  directory?: OfficeDirectory
}

const USER_HEADER = 'x-aktenfluss-user'
const SHA256 = /^[0-9a-f]{64}$/

const leaseBody = z.object({
  fileCode: z.string().min(1).max(50),
  year: z.number().int().min(2000).max(2999),
  count: z.number().int().min(1).max(1000),
  deskId: z.string().min(1).max(100).optional(),
})
const changesQuery = z.object({
  since: z
    .string()
    .regex(/^\d{0,18}$/)
    .default('0'),
  limit: z.coerce.number().int().min(1).max(5000).default(500),
})

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value)
  if (!r.success)
    throw badRequest(
      r.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '),
    )
  return r.data
}

export function registerOffice(app: FastifyInstance, deps: OfficeDeps): void {
  const directory = deps.directory ?? loadOfficeDirectory()
  const q = officeStatements(deps.db)
  const applier = createMutationApplier(deps.db, q, () => directory)
  const iso = () => new Date(deps.clock()).toISOString()

  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer' }, (_req, body, done) =>
    done(null, body),
  )

  const userOf = (req: FastifyRequest): string => {
    const u = req.headers[USER_HEADER]
    if (typeof u !== 'string' || u.length === 0 || u.length > 100)
      throw badRequest('Header X-Aktenfluss-User (the acting user) is required.')
    return u
  }

  app.get('/office/v1/directory', async (req) => {
    deps.authenticate(req)
    return directory
  })

  app.post('/office/v1/mutations', async (req) => {
    deps.authenticate(req)
    const user = userOf(req)
    const body = parse(batchBody, req.body)
    return { results: applier.applyBatch(body.deskId, user, body.mutations, iso()) }
  })

  app.get('/office/v1/changes', async (req) => {
    deps.authenticate(req)
    const query = parse(changesQuery, req.query)
    const since = Number(query.since || '0')
    const rows = q.changesSince.all(since, query.limit + 1)
    const page = rows.slice(0, query.limit)
    return {
      changes: page.map((r) => ({
        seq: r.seq,
        caseId: r.case_id,
        type: r.type,
        version: r.version,
        at: r.at,
        by: r.by_user,
        payload: JSON.parse(r.payload) as unknown,
      })),
      next: String(page.at(-1)?.seq ?? since),
      hasMore: rows.length > query.limit,
    }
  })

  app.put<{ Params: { sha256: string } }>('/office/v1/blobs/:sha256', async (req, reply) => {
    deps.authenticate(req)
    const sha = req.params.sha256
    if (!SHA256.test(sha))
      throw badRequest('The blob name must be a lower-case SHA-256 hex digest.')
    if (!Buffer.isBuffer(req.body)) throw badRequest('The body must be application/octet-stream.')
    const actual = createHash('sha256').update(req.body).digest('hex')
    if (actual !== sha) throw badRequest(`Hash mismatch: the content has SHA-256 ${actual}.`)
    q.putBlob.run(sha, req.body.length, req.body)
    return reply.code(204).send()
  })

  app.get<{ Params: { sha256: string } }>('/office/v1/blobs/:sha256', async (req, reply) => {
    deps.authenticate(req)
    if (!SHA256.test(req.params.sha256))
      throw badRequest('The blob name must be a lower-case SHA-256 hex digest.')
    const row = q.getBlob.get(req.params.sha256)
    if (!row) throw notFound('Blob not found.')
    return reply.type('application/octet-stream').send(row.bytes)
  })

  app.post('/office/v1/leases', async (req) => {
    deps.authenticate(req)
    const body = parse(leaseBody, req.body)
    const deskId =
      body.deskId ??
      (typeof req.headers[USER_HEADER] === 'string'
        ? `user:${req.headers[USER_HEADER]}`
        : 'unknown')
    const numbers = deps.db.transaction(() => {
      const first = q.takeNumbers.get({
        fileCode: body.fileCode,
        year: body.year,
        count: body.count,
      })!.first
      const at = iso()
      const out: number[] = []
      for (let n = first; n < first + body.count; n++) {
        q.insertLease.run(body.fileCode, body.year, n, deskId, at)
        out.push(n)
      }
      return out
    })()
    return { fileCode: body.fileCode, year: body.year, numbers }
  })
}
