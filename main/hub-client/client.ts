// The desk's client for the hub's intake face (docs/hub-protocol.md). Plain Node, no electron.
import type { z } from 'zod'
import { readBodyCapped } from './body'
import { HubProblemError, HubProtocolError, HubUnreachableError } from './errors'
import * as s from './schemas'
import type { Destination, PublicJwk, Submission, SubmissionList, SubmissionRef } from './schemas'

export interface HubClientOptions {
  baseUrl: string
  clientId: string
  clientSecret: string
  /**
   * the OAuth token endpoint; default `<baseUrl>/token` (the reference hub). FIT-Connect's is a
   * separate host (e.g. https://auth-testing.fit-connect.fitko.dev/token).
   */
  tokenUrl?: string
  /** the token request's `scope` (FIT-Connect: e.g. `subscribe:destination:<id>`); none: the client's defaults */
  tokenScope?: string
  fetch?: typeof fetch
  /** ms since the epoch; decides when a cached token is stale */
  clock?: () => number
  /** per-request timeout, default 30 s */
  timeoutMs?: number
  /** refresh this long before the token's expiry, default 30 s */
  tokenSkewMs?: number
  /** cap on a JSON response body (a submission carries its data JWE), default 64 MiB */
  maxJsonBytes?: number
  /** cap on one attachment's JWE, default 20 MiB of plaintext as a JWE (base64url) plus headroom */
  maxAttachmentBytes?: number
}

/** Default caps on hub response bodies (bytes); reading stops beyond them. */
export const RESPONSE_CAPS = {
  json: 64 * 1024 * 1024,
  attachment: Math.ceil((20 * 1024 * 1024 * 4) / 3) + 64 * 1024,
  /** an error document is read only this far */
  problem: 64 * 1024,
}

export interface HubClient {
  readonly baseUrl: string
  listSubmissions(
    destinationId: string,
    page?: { offset?: number; limit?: number },
    signal?: AbortSignal,
  ): Promise<SubmissionList>
  /** every pending submission, page by page */
  listAllSubmissions(
    destinationId: string,
    pageSize?: number,
    signal?: AbortSignal,
  ): AsyncGenerator<SubmissionRef>
  getSubmission(submissionId: string, signal?: AbortSignal): Promise<Submission>
  /** the attachment's JWE compact string */
  getAttachment(submissionId: string, attachmentId: string, signal?: AbortSignal): Promise<string>
  getEventLog(caseId: string, signal?: AbortSignal): Promise<string[]>
  postEvent(caseId: string, set: string, signal?: AbortSignal): Promise<void>
  getDestination(destinationId: string, signal?: AbortSignal): Promise<Destination>
  getDestinationKey(destinationId: string, kid: string, signal?: AbortSignal): Promise<PublicJwk>
  /** drops the cached token */
  invalidateToken(): void
  /** an authenticated request to any hub path (the office face builds on it); throws HubProblemError unless 2xx */
  request(
    path: string,
    init: RequestInit & { accept?: string },
    signal?: AbortSignal,
  ): Promise<Response>
}

interface CachedToken {
  token: string
  expiresAt: number
}

export function createHubClient(opts: HubClientOptions): HubClient {
  const baseUrl = opts.baseUrl.replace(/\/+$/, '')
  const doFetch = opts.fetch ?? fetch
  const clock = opts.clock ?? Date.now
  const timeoutMs = opts.timeoutMs ?? 30_000
  const skew = opts.tokenSkewMs ?? 30_000
  const maxJson = opts.maxJsonBytes ?? RESPONSE_CAPS.json
  const maxAttachment = opts.maxAttachmentBytes ?? RESPONSE_CAPS.attachment
  let cached: CachedToken | undefined
  let pendingToken: Promise<CachedToken> | undefined

  async function send(url: string, init: RequestInit, signal?: AbortSignal): Promise<Response> {
    const timeout = AbortSignal.timeout(timeoutMs)
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout
    try {
      return await doFetch(url, { ...init, signal: combined })
    } catch (e) {
      if (signal?.aborted) throw e
      const timedOut = timeout.aborted
      throw new HubUnreachableError(
        timedOut
          ? `Hub did not answer within ${timeoutMs} ms`
          : `Hub unreachable: ${(e as Error).message}`,
        url,
        timedOut,
        { cause: e },
      )
    }
  }

  async function problemFrom(r: Response, url: string): Promise<HubProblemError> {
    let text = ''
    try {
      text = (await readBodyCapped(r, RESPONSE_CAPS.problem, url)).toString('utf8')
    } catch {
      // body lost or too large: keep the status
    }
    let doc: z.infer<typeof s.problemDocument> = {}
    try {
      const parsed = s.problemDocument.safeParse(JSON.parse(text))
      if (parsed.success) doc = parsed.data
    } catch {
      // not JSON
    }
    return new HubProblemError(
      r.status,
      doc.type ?? 'about:blank',
      doc.title ?? (r.statusText || `HTTP ${r.status}`),
      doc.detail,
      url,
    )
  }

  async function fetchToken(signal?: AbortSignal): Promise<CachedToken> {
    const url = opts.tokenUrl ?? `${baseUrl}/token`
    const r = await send(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: opts.clientId,
          client_secret: opts.clientSecret,
          ...(opts.tokenScope ? { scope: opts.tokenScope } : {}),
        }).toString(),
      },
      signal,
    )
    if (!r.ok) throw await problemFrom(r, url)
    const t = parse(s.tokenResponse, await readJson(r, url), url)
    return { token: t.access_token, expiresAt: clock() + t.expires_in * 1000 }
  }

  async function token(signal?: AbortSignal): Promise<string> {
    if (cached && clock() < cached.expiresAt - skew) return cached.token
    pendingToken ??= fetchToken(signal).finally(() => {
      pendingToken = undefined
    })
    cached = await pendingToken
    return cached.token
  }

  async function authed(
    path: string,
    init: RequestInit & { accept?: string },
    signal?: AbortSignal,
  ): Promise<Response> {
    const url = `${baseUrl}${path}`
    const attempt = async () => {
      const t = await token(signal)
      const headers = {
        ...(init.headers as Record<string, string> | undefined),
        authorization: `Bearer ${t}`,
        accept: init.accept ?? 'application/json',
      }
      return { t, r: await send(url, { ...init, headers }, signal) }
    }
    const first = await attempt()
    let r = first.r
    if (r.status === 401) {
      await r.body?.cancel()
      if (cached?.token === first.t) cached = undefined
      r = (await attempt()).r
    }
    if (!r.ok) throw await problemFrom(r, url)
    return r
  }

  async function readJson(r: Response, url: string): Promise<unknown> {
    const bytes = await readBodyCapped(r, maxJson, url)
    try {
      return JSON.parse(bytes.toString('utf8')) as unknown
    } catch (e) {
      throw new HubProtocolError(`Response is not JSON: ${(e as Error).message}`, url)
    }
  }

  function parse<T>(schema: z.ZodType<T>, value: unknown, url: string): T {
    const p = schema.safeParse(value)
    if (!p.success) {
      throw new HubProtocolError(
        `Unexpected response: ${p.error.issues
          .slice(0, 3)
          .map((i) => `${i.path.join('.')}: ${i.message}`)
          .join('; ')}`,
        url,
      )
    }
    return p.data
  }

  async function getJson<T>(path: string, schema: z.ZodType<T>, signal?: AbortSignal): Promise<T> {
    const r = await authed(path, { method: 'GET' }, signal)
    return parse(schema, await readJson(r, r.url || baseUrl + path), baseUrl + path)
  }

  const enc = encodeURIComponent

  const client: HubClient = {
    baseUrl,
    listSubmissions: (destinationId, page = {}, signal) => {
      const q = new URLSearchParams({
        destinationId,
        offset: String(page.offset ?? 0),
        limit: String(page.limit ?? 100),
      })
      return getJson(`/v1/submissions?${q.toString()}`, s.submissionList, signal)
    },
    async *listAllSubmissions(destinationId, pageSize = 100, signal) {
      let offset = 0
      for (;;) {
        const page = await client.listSubmissions(
          destinationId,
          { offset, limit: pageSize },
          signal,
        )
        yield* page.submissions
        offset += page.count
        if (page.count === 0 || offset >= page.totalCount) return
      }
    },
    getSubmission: (id, signal) => getJson(`/v1/submissions/${enc(id)}`, s.submission, signal),
    getAttachment: async (id, attachmentId, signal) => {
      const path = `/v1/submissions/${enc(id)}/attachments/${enc(attachmentId)}`
      const r = await authed(path, { method: 'GET', accept: 'application/jose' }, signal)
      const text = (await readBodyCapped(r, maxAttachment, baseUrl + path))
        .toString('latin1')
        .trim()
      if (!/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]*){4}$/.test(text))
        throw new HubProtocolError('Attachment is not a JWE compact token', baseUrl + path)
      return text
    },
    getEventLog: async (caseId, signal) =>
      (await getJson(`/v1/cases/${enc(caseId)}/events`, s.eventLog, signal)).eventLog,
    postEvent: async (caseId, set, signal) => {
      const r = await authed(
        `/v1/cases/${enc(caseId)}/events`,
        { method: 'POST', body: set, headers: { 'content-type': 'application/jose' } },
        signal,
      )
      await r.body?.cancel()
    },
    getDestination: (id, signal) => getJson(`/v1/destinations/${enc(id)}`, s.destination, signal),
    getDestinationKey: (id, kid, signal) =>
      getJson(`/v1/destinations/${enc(id)}/keys/${enc(kid)}`, s.publicJwk, signal),
    invalidateToken: () => {
      cached = undefined
    },
    request: (path, init, signal) => authed(path, init, signal),
  }
  return client
}
