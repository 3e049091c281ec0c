// The desk's client for the hub's office face (docs/hub-protocol.md, "Office"); responses zod-validated.
import { createHash } from 'node:crypto'
import { z } from 'zod'
import { HubProblemError, HubProtocolError, HubUnreachableError } from './errors'
import { readCapped } from './readCapped'
export { readCapped }
import { problemDocument } from './schemas'

const problem = z.object({
  type: z.string().max(2000),
  title: z.string().max(2000),
  status: z.number().int().optional(),
  detail: z.string().max(10_000).optional(),
})
const documentMeta = z.object({
  id: z.string().max(100),
  kind: z.string().max(100),
  title: z.string().max(1000),
  filename: z.string().max(1000),
  mimeType: z.string().max(200),
  size: z.number().int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: z.string().max(40),
})
export const caseSnapshot = z.object({
  caseId: z.string().max(100),
  aktenzeichen: z.string().max(100),
  submissionId: z.string().max(100).nullable(),
  procedureId: z.string().max(100),
  subject: z.string().max(1000),
  applicantName: z.string().max(1000),
  applicantAddress: z.string().max(2000),
  receivedAt: z.string().max(40),
  deadline: z.string().max(40).nullable(),
  channel: z.enum(['online', 'paper', 'phone']),
  formData: z.unknown(),
  status: z.string().max(40),
  assignee: z.string().max(100).nullable(),
  followUp: z.string().max(40).nullable(),
  version: z.number().int().min(0),
  documents: z.array(documentMeta).max(10_000),
  notes: z
    .array(
      z.object({
        noteId: z.string().max(100),
        kind: z.enum(['note', 'phone']),
        author: z.string().max(100),
        text: z.string().max(20_000),
        createdAt: z.string().max(40),
      }),
    )
    .max(100_000),
})
const mutationResult = z.object({
  mutationId: z.string().max(100),
  status: z.enum(['applied', 'duplicate', 'conflict', 'rejected']),
  version: z.number().int().optional(),
  current: caseSnapshot.optional(),
  problem: problem.optional(),
})
const changePage = z.object({
  changes: z
    .array(
      z.object({
        seq: z.number().int(),
        caseId: z.string().max(100),
        type: z.string().max(100),
        version: z.number().int(),
        at: z.string().max(40),
        by: z.string().max(100),
        payload: z.record(z.string(), z.unknown()),
      }),
    )
    .max(10_000),
  next: z.string().max(30),
  hasMore: z.boolean(),
})
const directory = z.object({
  office: z.string().max(500),
  teams: z
    .array(
      z.object({
        teamId: z.string().max(100),
        name: z.string().max(500),
        /** the procedures whose cases belong to the team */
        procedures: z.array(z.string().max(100)).max(1000).optional(),
      }),
    )
    .max(1000),
  users: z
    .array(
      z.object({
        userId: z.string().max(100),
        name: z.string().max(500),
        role: z.enum(['clerk', 'lead', 'records']),
        teamId: z.string().max(100),
        substituteFor: z.string().max(100).optional(),
      }),
    )
    .max(10_000),
  procedures: z
    .array(
      z.object({
        id: z.string().max(100),
        name: z.string().max(500),
        fileCode: z.string().max(50),
      }),
    )
    .max(1000),
  filePlan: z
    .array(
      z.object({
        code: z.string().max(50),
        title: z.string().max(500),
        retentionYears: z.number().int(),
      }),
    )
    .max(10_000),
})
const absence = z.object({
  absenceId: z.string().max(100),
  userId: z.string().max(100),
  substituteId: z.string().max(100),
  from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  until: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  by: z.string().max(100),
})
const leaseResponse = z.object({
  fileCode: z.string(),
  year: z.number().int(),
  numbers: z.array(z.number().int().positive()).max(1000),
})

export type CaseSnapshot = z.infer<typeof caseSnapshot>
export type MutationResult = z.infer<typeof mutationResult>
export type ChangePage = z.infer<typeof changePage>
export type Change = ChangePage['changes'][number]
export type OfficeDirectory = z.infer<typeof directory>
export interface OutgoingMutation {
  mutationId: string
  type: string
  caseId: string
  baseVersion: number
  at: string
  payload: unknown
}

export type OfficeAbsence = z.infer<typeof absence>

/** This desk's credential from the hub's desk registry (header X-Aktenfluss-Desk). */
export interface DeskCredential {
  deskId: string
  secret: string
}

/** Per call: the acting user's access token (none = `system`, the desk's credential alone). */
export interface OfficeCallOptions {
  userToken?: string | undefined
  signal?: AbortSignal | undefined
}

export const INVALID_TOKEN = 'https://hub.aktenfluss.example/problems/invalid-token'
export const INVALID_DESK = 'https://hub.aktenfluss.example/problems/invalid-desk'
/** The hub refused the user's access token: that user must sign in again (their changes wait). */
export const isInvalidToken = (err: unknown): err is HubProblemError =>
  err instanceof HubProblemError && err.status === 401 && err.type === INVALID_TOKEN

export interface OfficeClient {
  readonly deskId: string
  directory(opts?: OfficeCallOptions): Promise<OfficeDirectory>
  /** one batch, all by the same acting user: the one whose token is given, or `system` without one */
  mutate(mutations: OutgoingMutation[], opts?: OfficeCallOptions): Promise<MutationResult[]>
  /** the changes the caller may see (need-to-know); `next` moves over the others */
  changes(since: string, limit: number, opts?: OfficeCallOptions): Promise<ChangePage>
  putBlob(sha256: string, bytes: Uint8Array, opts?: OfficeCallOptions): Promise<void>
  /** the blob's bytes, hash verified */
  getBlob(sha256: string, opts?: OfficeCallOptions): Promise<Buffer>
  lease(fileCode: string, year: number, count: number, opts?: OfficeCallOptions): Promise<number[]>
  /** the change feed's push stream (server-sent events, docs/hub-protocol.md "Change feed push") */
  openChangeStream(since: string, opts: OfficeCallOptions): Promise<ReadableStream<Uint8Array>>
  /** Vertretungen of the caller's team (user token required) */
  absences(opts: OfficeCallOptions): Promise<OfficeAbsence[]>
  putAbsence(a: Omit<OfficeAbsence, 'by'>, opts: OfficeCallOptions): Promise<void>
  deleteAbsence(absenceId: string, opts: OfficeCallOptions): Promise<void>
}

export interface OfficeClientOptions {
  baseUrl: string
  desk: DeskCredential
  fetch?: typeof fetch
  /** per-request timeout, default 30 s */
  timeoutMs?: number
  /** a JSON answer larger than this is refused (HubProtocolError `tooLarge`), default 64 MiB */
  maxResponseBytes?: number
  /** a blob larger than this is refused, default 40 MiB (the hub takes bodies up to 30 MiB) */
  maxBlobBytes?: number
}

export function createOfficeClient(opts: OfficeClientOptions): OfficeClient {
  const baseUrl = opts.baseUrl.replace(/\/+$/, '')
  const doFetch = opts.fetch ?? fetch
  const timeoutMs = opts.timeoutMs ?? 30_000
  const maxResponseBytes = opts.maxResponseBytes ?? 64 * 1024 * 1024
  const maxBlobBytes = opts.maxBlobBytes ?? 40 * 1024 * 1024
  const deskHeader = `${opts.desk.deskId}:${opts.desk.secret}`
  const url = (path: string) => `${baseUrl}${path}`

  async function request(
    path: string,
    init: RequestInit & { accept?: string },
    o: OfficeCallOptions = {},
  ): Promise<Response> {
    const timeout = AbortSignal.timeout(timeoutMs)
    const signal = o.signal ? AbortSignal.any([o.signal, timeout]) : timeout
    const headers: Record<string, string> = {
      ...(init.headers as Record<string, string> | undefined),
      accept: init.accept ?? 'application/json',
      'x-aktenfluss-desk': deskHeader,
      ...(o.userToken ? { authorization: `Bearer ${o.userToken}` } : {}),
    }
    let r: Response
    try {
      r = await doFetch(url(path), { ...init, headers, signal })
    } catch (e) {
      if (o.signal?.aborted) throw e
      throw new HubUnreachableError(
        timeout.aborted
          ? `Hub did not answer within ${timeoutMs} ms`
          : `Hub unreachable: ${(e as Error).message}`,
        url(path),
        timeout.aborted,
        { cause: e },
      )
    }
    if (r.ok) return r
    let doc: z.infer<typeof problemDocument> = {}
    try {
      const text = (await readCapped(r, 64 * 1024, url(path))).toString('utf8')
      const parsed = problemDocument.safeParse(JSON.parse(text))
      if (parsed.success) doc = parsed.data
    } catch {
      // no problem document: keep the status
    }
    throw new HubProblemError(
      r.status,
      doc.type ?? 'about:blank',
      doc.title ?? (r.statusText || `HTTP ${r.status}`),
      doc.detail,
      url(path),
    )
  }

  async function json<T>(r: Response, schema: z.ZodType<T>, path: string): Promise<T> {
    const bytes = await readCapped(r, maxResponseBytes, url(path))
    let body: unknown
    try {
      body = JSON.parse(bytes.toString('utf8'))
    } catch (e) {
      throw new HubProtocolError(`Response is not JSON: ${(e as Error).message}`, url(path))
    }
    const p = schema.safeParse(body)
    if (!p.success)
      throw new HubProtocolError(
        `Unexpected response: ${p.error.issues
          .slice(0, 3)
          .map((i) => `${i.path.join('.')}: ${i.message}`)
          .join('; ')}`,
        url(path),
      )
    return p.data
  }
  const jsonInit = (method: string, body: unknown) => ({
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  const enc = encodeURIComponent

  return {
    deskId: opts.desk.deskId,
    async directory(o) {
      const path = '/office/v1/directory'
      return json(await request(path, { method: 'GET' }, o), directory, path)
    },
    async mutate(mutations, o) {
      const path = '/office/v1/mutations'
      const r = await request(path, jsonInit('POST', { deskId: opts.desk.deskId, mutations }), o)
      return (await json(r, z.object({ results: z.array(mutationResult).max(1000) }), path)).results
    },
    async changes(since, limit, o) {
      const path = `/office/v1/changes?${new URLSearchParams({ since, limit: String(limit) }).toString()}`
      return json(await request(path, { method: 'GET' }, o), changePage, path)
    },
    async putBlob(sha256, bytes, o) {
      const r = await request(
        `/office/v1/blobs/${sha256}`,
        {
          method: 'PUT',
          headers: { 'content-type': 'application/octet-stream' },
          body: bytes as Uint8Array<ArrayBuffer>,
        },
        o,
      )
      await r.body?.cancel()
    },
    async getBlob(sha256, o) {
      const path = `/office/v1/blobs/${sha256}`
      const r = await request(path, { method: 'GET', accept: 'application/octet-stream' }, o)
      const bytes = await readCapped(r, maxBlobBytes, url(path))
      if (createHash('sha256').update(bytes).digest('hex') !== sha256)
        throw new HubProtocolError('Blob content does not match its hash', url(path))
      return bytes
    },
    async openChangeStream(since, o) {
      // no request timeout: the stream stays open; the caller's signal and watchdog end it
      const path = `/office/v1/changes/stream?${new URLSearchParams({ since }).toString()}`
      const headers: Record<string, string> = {
        accept: 'text/event-stream',
        'x-aktenfluss-desk': deskHeader,
        ...(o.userToken ? { authorization: `Bearer ${o.userToken}` } : {}),
      }
      let r: Response
      try {
        r = await doFetch(url(path), { method: 'GET', headers, signal: o.signal ?? null })
      } catch (e) {
        if (o.signal?.aborted) throw e
        throw new HubUnreachableError(
          `Hub unreachable: ${(e as Error).message}`,
          url(path),
          false,
          {
            cause: e,
          },
        )
      }
      if (!r.ok) {
        await r.body?.cancel()
        throw new HubProblemError(
          r.status,
          'about:blank',
          r.statusText || `HTTP ${r.status}`,
          undefined,
          url(path),
        )
      }
      if (!(r.headers.get('content-type') ?? '').startsWith('text/event-stream') || !r.body) {
        await r.body?.cancel()
        throw new HubProtocolError('The change stream is not text/event-stream', url(path))
      }
      return r.body
    },
    async lease(fileCode, year, count, o) {
      const path = '/office/v1/leases'
      const res = await json(
        await request(path, jsonInit('POST', { fileCode, year, count }), o),
        leaseResponse,
        path,
      )
      return res.numbers
    },
    async absences(o) {
      const path = '/office/v1/absences'
      return (
        await json(
          await request(path, { method: 'GET' }, o),
          z.object({ absences: z.array(absence).max(100_000) }),
          path,
        )
      ).absences
    },
    async putAbsence(a, o) {
      const r = await request(
        `/office/v1/absences/${enc(a.absenceId)}`,
        jsonInit('PUT', {
          userId: a.userId,
          substituteId: a.substituteId,
          from: a.from,
          until: a.until,
        }),
        o,
      )
      await r.body?.cancel()
    },
    async deleteAbsence(absenceId, o) {
      const r = await request(`/office/v1/absences/${enc(absenceId)}`, { method: 'DELETE' }, o)
      await r.body?.cancel()
    },
  }
}
