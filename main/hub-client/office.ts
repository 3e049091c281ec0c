// The desk's client for the hub's office face (docs/hub-protocol.md, "Office"); responses zod-validated.
import { createHash } from 'node:crypto'
import { z } from 'zod'
import type { HubClient } from './client'
import { HubProblemError, HubProtocolError } from './errors'

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
        /** the procedures whose cases belong to the team (rights) */
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

export interface OfficeClient {
  directory(signal?: AbortSignal): Promise<OfficeDirectory>
  /** one batch, all by the same acting user (`system` for intake registrations) */
  mutate(
    deskId: string,
    actor: string,
    mutations: OutgoingMutation[],
    signal?: AbortSignal,
  ): Promise<MutationResult[]>
  changes(since: string, limit: number, signal?: AbortSignal): Promise<ChangePage>
  putBlob(sha256: string, bytes: Uint8Array, signal?: AbortSignal): Promise<void>
  /** the blob's bytes, hash verified */
  getBlob(sha256: string, signal?: AbortSignal): Promise<Buffer>
  lease(
    deskId: string,
    fileCode: string,
    year: number,
    count: number,
    signal?: AbortSignal,
  ): Promise<number[]>
}

export function createOfficeClient(hub: HubClient): OfficeClient {
  const url = (path: string) => `${hub.baseUrl}${path}`
  async function json<T>(r: Response, schema: z.ZodType<T>, path: string): Promise<T> {
    let body: unknown
    try {
      body = await r.json()
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
  const jsonInit = (method: string, body: unknown, headers: Record<string, string> = {}) => ({
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  })

  return {
    async directory(signal) {
      const path = '/office/v1/directory'
      return json(await hub.request(path, { method: 'GET' }, signal), directory, path)
    },
    async mutate(deskId, actor, mutations, signal) {
      const path = '/office/v1/mutations'
      const r = await hub.request(
        path,
        jsonInit('POST', { deskId, mutations }, { 'x-aktenfluss-user': actor }),
        signal,
      )
      return (await json(r, z.object({ results: z.array(mutationResult).max(1000) }), path)).results
    },
    async changes(since, limit, signal) {
      const path = `/office/v1/changes?${new URLSearchParams({ since, limit: String(limit) }).toString()}`
      return json(await hub.request(path, { method: 'GET' }, signal), changePage, path)
    },
    async putBlob(sha256, bytes, signal) {
      const r = await hub.request(
        `/office/v1/blobs/${sha256}`,
        {
          method: 'PUT',
          headers: { 'content-type': 'application/octet-stream' },
          body: bytes as Uint8Array<ArrayBuffer>,
        },
        signal,
      )
      await r.body?.cancel()
    },
    async getBlob(sha256, signal) {
      const path = `/office/v1/blobs/${sha256}`
      const r = await hub.request(
        path,
        { method: 'GET', accept: 'application/octet-stream' },
        signal,
      )
      const bytes = Buffer.from(await r.arrayBuffer())
      if (createHash('sha256').update(bytes).digest('hex') !== sha256)
        throw new HubProtocolError('Blob content does not match its hash', url(path))
      return bytes
    },
    async lease(deskId, fileCode, year, count, signal) {
      const path = '/office/v1/leases'
      const res = await json(
        await hub.request(path, jsonInit('POST', { fileCode, year, count, deskId }), signal),
        leaseResponse,
        path,
      )
      return res.numbers
    },
  }
}

// ---------------------------------------------------------------------------------------------
// Vertretung (absences) through the hub: GET/PUT/DELETE /office/v1/absences (docs/hub-protocol.md).
// Kept apart from createOfficeClient above; every call acts for one user (their access token).

const absenceDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/)
const officeAbsence = z.object({
  absenceId: z.string().min(1).max(100),
  userId: z.string().min(1).max(100),
  substituteId: z.string().min(1).max(100),
  from: absenceDate,
  until: absenceDate,
  by: z.string().max(100),
})
const absenceList = z.object({ absences: z.array(officeAbsence).max(10_000) })
export type OfficeAbsence = z.infer<typeof officeAbsence>

export interface AbsenceClient {
  /** every Vertretung the office knows */
  list(userToken?: string, signal?: AbortSignal): Promise<OfficeAbsence[]>
  /** creates or replaces one (idempotent by absenceId) */
  put(a: Omit<OfficeAbsence, 'by'>, userToken?: string, signal?: AbortSignal): Promise<void>
  /** ends one; an absence the hub does not know counts as ended */
  remove(absenceId: string, userToken?: string, signal?: AbortSignal): Promise<void>
}

export function createAbsenceClient(hub: HubClient): AbsenceClient {
  const base = '/office/v1/absences'
  // the user's access token; without one the call goes with the desk's credential alone
  const auth = (userToken?: string): Record<string, string> =>
    userToken ? { authorization: `Bearer ${userToken}` } : {}
  return {
    async list(userToken, signal) {
      const r = await hub.request(base, { method: 'GET', headers: auth(userToken) }, signal)
      let body: unknown
      try {
        body = await r.json()
      } catch (e) {
        throw new HubProtocolError(
          `Response is not JSON: ${(e as Error).message}`,
          hub.baseUrl + base,
        )
      }
      const p = absenceList.safeParse(body)
      if (!p.success)
        throw new HubProtocolError(
          `Unexpected response: ${p.error.issues
            .slice(0, 3)
            .map((i) => `${i.path.join('.')}: ${i.message}`)
            .join('; ')}`,
          hub.baseUrl + base,
        )
      return p.data.absences
    },
    async put({ absenceId, ...a }, userToken, signal) {
      const r = await hub.request(
        `${base}/${encodeURIComponent(absenceId)}`,
        {
          method: 'PUT',
          headers: { 'content-type': 'application/json', ...auth(userToken) },
          body: JSON.stringify(a),
        },
        signal,
      )
      await r.body?.cancel()
    },
    async remove(absenceId, userToken, signal) {
      try {
        const r = await hub.request(
          `${base}/${encodeURIComponent(absenceId)}`,
          { method: 'DELETE', headers: auth(userToken) },
          signal,
        )
        await r.body?.cancel()
      } catch (err) {
        if (err instanceof HubProblemError && err.status === 404) return
        throw err
      }
    },
  }
}
