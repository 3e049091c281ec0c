// The hub's office face (/office/v1, docs/hub-protocol.md "Office") as fastify routes.

import { createHash } from 'node:crypto'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { badRequest, forbidden, notFound } from '../problems'
import type { OfficePrincipal } from '../identity/officeAuth'
import { loadOfficeDirectory } from './directory'
import type { OfficeDirectory, OfficeUser } from './directory'
import { createMutationApplier } from './mutations'
import { batchBody } from './payloads'
import { berlinDate, createRights } from './rights'
import type { AbsenceRow } from './store'
import type { HubStorage } from '../storage/hub'
import { registerFeedPush, type FeedPushOptions } from './feedPush'

export interface OfficeDeps {
  storage: HubStorage
  /** ms since the epoch */
  clock: () => number
  /** the desk credential and the acting user of a request (throws a problem when refused) */
  authenticate: (req: FastifyRequest) => Promise<OfficePrincipal>
  /** where a submission stands at the intake face: its destination and whether a subscriber accepted it */
  submission: (
    submissionId: string,
  ) => Promise<{ destinationId: string; accepted: boolean } | undefined>
  directory?: OfficeDirectory
  /** server-sent events on the change feed (bounds, heartbeat) */
  feedPush?: FeedPushOptions
}

const SHA256 = /^[0-9a-f]{64}$/
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), 'not a calendar date')

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
const absenceBody = z
  .object({
    userId: z.string().min(1).max(100),
    substituteId: z.string().min(1).max(100),
    from: isoDate,
    until: isoDate,
  })
  .refine((a) => a.from <= a.until, 'from must not be after until')
  .refine((a) => a.userId !== a.substituteId, 'a person cannot stand in for themselves')
const absenceId = z.string().regex(/^[A-Za-z0-9._-]{1,100}$/)

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value)
  if (!r.success)
    throw badRequest(
      r.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '),
    )
  return r.data
}

const absenceOut = (a: AbsenceRow) => ({
  absenceId: a.absence_id,
  userId: a.user_id,
  substituteId: a.substitute_id,
  from: a.from_date,
  until: a.until_date,
  by: a.by_user,
})

export function registerOffice(app: FastifyInstance, deps: OfficeDeps): void {
  const directory = deps.directory ?? loadOfficeDirectory()
  const q = deps.storage.q.office
  const rights = createRights(
    () => directory,
    async (substitute, assignee, today) =>
      !!(await q.standsIn.get(substitute, assignee, today, today)),
  )
  const applier = createMutationApplier(deps.storage, {
    rights,
    submission: deps.submission,
  })
  const iso = () => new Date(deps.clock()).toISOString()
  const userById = (id: string) => directory.users.find((u) => u.userId === id)

  /** need-to-know: a user sees the cases of their team (records: all); `system` the cases its desk registered */
  const mayRead = (p: OfficePrincipal, procedureId: string, registeringDesk: string) =>
    p.actor.kind === 'system'
      ? registeringDesk === p.desk.deskId
      : rights.seesTeam(p.actor.user, procedureId)

  const requireUser = (p: OfficePrincipal): OfficeUser => {
    if (p.actor.kind !== 'user') throw forbidden('This call needs a user access token.')
    return p.actor.user
  }
  /** a lead of that user's team, or the user themselves */
  const mayManageAbsence = (me: OfficeUser, userId: string) => {
    const u = userById(userId)
    return me.userId === userId || (me.role === 'lead' && u !== undefined && u.teamId === me.teamId)
  }

  // GET /office/v1/changes/stream: wakes waiting desks after a commit (hub/office/feedPush.ts)
  const feed = registerFeedPush(
    app,
    {
      authenticate: deps.authenticate,
      mayRead,
      readSince: async (since, limit) =>
        (await q.changesSince.all(since, limit)).map((r) => ({
          seq: r.seq,
          procedureId: r.procedure_id,
          caseDeskId: r.case_desk_id,
        })),
    },
    deps.feedPush,
  )

  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer' }, (_req, body, done) =>
    done(null, body),
  )

  app.get('/office/v1/directory', async (req) => {
    await deps.authenticate(req)
    return directory
  })

  app.post('/office/v1/mutations', async (req) => {
    const principal = await deps.authenticate(req)
    const body = parse(batchBody, req.body)
    // the desk is the credential's, never the body's (a claimed deskId would dodge conflicts)
    if (body.deskId !== principal.desk.deskId)
      throw forbidden('The batch names another desk than the desk credential.')
    const now = deps.clock()
    const results = await applier.applyBatch(
      principal,
      body.mutations,
      new Date(now).toISOString(),
      berlinDate(now),
    )
    // committed: wake the desks waiting on the change feed
    if (results.some((r) => r.status === 'applied')) feed.notify()
    return { results }
  })

  app.get('/office/v1/changes', async (req) => {
    const principal = await deps.authenticate(req)
    const query = parse(changesQuery, req.query)
    const since = Number(query.since || '0')
    const rows = await q.changesSince.all(since, query.limit + 1)
    const page = rows.slice(0, query.limit)
    return {
      changes: page
        .filter((r) => mayRead(principal, r.procedure_id, r.case_desk_id))
        .map((r) => ({
          seq: r.seq,
          caseId: r.case_id,
          type: r.type,
          version: r.version,
          at: r.at,
          by: r.by_user,
          payload: JSON.parse(r.payload) as unknown,
        })),
      // the cursor moves over entries the caller may not see, so it never stalls
      next: String(page.at(-1)?.seq ?? since),
      hasMore: rows.length > query.limit,
    }
  })

  app.put<{ Params: { sha256: string } }>('/office/v1/blobs/:sha256', async (req, reply) => {
    await deps.authenticate(req)
    const sha = req.params.sha256
    if (!SHA256.test(sha))
      throw badRequest('The blob name must be a lower-case SHA-256 hex digest.')
    if (!Buffer.isBuffer(req.body)) throw badRequest('The body must be application/octet-stream.')
    const actual = createHash('sha256').update(req.body).digest('hex')
    if (actual !== sha) throw badRequest(`Hash mismatch: the content has SHA-256 ${actual}.`)
    await q.putBlob.run(sha, req.body.length, req.body)
    return reply.code(204).send()
  })

  app.get<{ Params: { sha256: string } }>('/office/v1/blobs/:sha256', async (req, reply) => {
    const principal = await deps.authenticate(req)
    if (!SHA256.test(req.params.sha256))
      throw badRequest('The blob name must be a lower-case SHA-256 hex digest.')
    // only the content of a document of a case the caller may see (404 alike: no existence oracle)
    const visible = (await q.blobCases.all(req.params.sha256)).some((c) =>
      mayRead(principal, c.procedure_id, c.desk_id),
    )
    const row = visible ? await q.getBlob.get(req.params.sha256) : undefined
    if (!row) throw notFound('Blob not found.')
    return reply.type('application/octet-stream').send(row.bytes)
  })

  app.post('/office/v1/leases', async (req) => {
    const principal = await deps.authenticate(req)
    const body = parse(leaseBody, req.body)
    const deskId = principal.desk.deskId
    // the counter row is updated in place (on PostgreSQL locked until COMMIT): two processes
    // leasing at once get disjoint ranges; the leases' primary key would refuse a double one
    const numbers = await deps.storage.transaction(async () => {
      const taken = await q.takeNumbers.get({
        fileCode: body.fileCode,
        year: body.year,
        count: body.count,
      })
      const first = Number(taken!.first)
      const at = iso()
      const out: number[] = []
      for (let n = first; n < first + body.count; n++) {
        await q.insertLease.run(body.fileCode, body.year, n, deskId, at)
        out.push(n)
      }
      return out
    })
    return { fileCode: body.fileCode, year: body.year, numbers }
  })

  // ---- Vertretung (absences), honoured by the rights checks with the hub's clock ----
  app.get('/office/v1/absences', async (req) => {
    const me = requireUser(await deps.authenticate(req))
    const team = (id: string) => userById(id)?.teamId
    return {
      absences: (await q.absences.all())
        .filter((a) => me.role === 'records' || team(a.user_id) === me.teamId)
        .map(absenceOut),
    }
  })

  app.put<{ Params: { absenceId: string } }>(
    '/office/v1/absences/:absenceId',
    async (req, reply) => {
      const me = requireUser(await deps.authenticate(req))
      const id = parse(absenceId, req.params.absenceId)
      const body = parse(absenceBody, req.body)
      const user = userById(body.userId)
      const substitute = userById(body.substituteId)
      if (!user || !substitute) throw badRequest('userId and substituteId must be directory users.')
      if (!mayManageAbsence(me, body.userId))
        throw forbidden('Only the person or a lead of their team records an absence.')
      const existing = await q.getAbsence.get(id)
      if (existing && existing.user_id !== body.userId && !mayManageAbsence(me, existing.user_id))
        throw forbidden('This absence belongs to someone else.')
      await q.putAbsence.run(
        id,
        body.userId,
        body.substituteId,
        body.from,
        body.until,
        me.userId,
        iso(),
      )
      return reply.code(204).send()
    },
  )

  app.delete<{ Params: { absenceId: string } }>(
    '/office/v1/absences/:absenceId',
    async (req, reply) => {
      const me = requireUser(await deps.authenticate(req))
      const id = parse(absenceId, req.params.absenceId)
      const existing = await q.getAbsence.get(id)
      if (existing) {
        if (!mayManageAbsence(me, existing.user_id))
          throw forbidden('Only the person or a lead of their team ends an absence.')
        await q.deleteAbsence.run(id)
      }
      return reply.code(204).send()
    },
  )
}
