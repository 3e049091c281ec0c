// Helpers for the office-face tests: a hub in-process, its desks, demo user tokens, real accepted
// submissions (for the `system` actor) and mutation envelopes. Tests only.
import { createHash, randomUUID } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startHub, type DestinationKeysFile, type RunningHub } from '../server'
import { testHubDatabase } from '../../testing/postgres/hubDatabase'
import { mintDemoAccessToken, type MintOptions } from '../identity/mint'
import type { FeedPushOptions } from './feedPush'
import { EVENT, authTagOf, signSet } from '../sets'
import {
  createRng,
  createSender,
  generateApplication,
  loadProcedures,
  submitApplication,
} from '../seed/seed'

export interface Result {
  mutationId: string
  status: string
  version?: number
  current?: { caseId: string; aktenzeichen: string; assignee: string | null; version: number }
  problem?: { type: string; detail?: string }
}

export interface Desk {
  deskId: string
  secret: string
}

export interface CallInit {
  method?: string
  /** the acting user: a demo access token is minted for them (omit = `system`) */
  user?: string
  /** a ready token instead (forged, expired …) */
  token?: string
  desk?: Desk | null
  json?: unknown
  body?: Buffer
  headers?: Record<string, string>
}

export const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex')

export const m = (
  type: string,
  caseId: string,
  baseVersion: number,
  payload: Record<string, unknown>,
) => ({
  mutationId: randomUUID(),
  type,
  caseId,
  baseVersion,
  at: new Date().toISOString(),
  payload,
})

let azN = 900_000
const FILE_CODES: Record<string, string> = {
  wohngeld: '632.1',
  sondernutzung: '661.3',
  kfz: '135.2',
  bussgeld: '121.4',
  baugenehmigung: '632.4',
}
/** a case.register envelope; `submissionId` null = a paper case a user enters */
export const register = (
  caseId: string,
  submissionId: string | null,
  opts: { procedureId?: string; docs?: unknown[] } = {},
) => {
  const procedureId = opts.procedureId ?? 'wohngeld'
  const code = FILE_CODES[procedureId] ?? '632.1'
  return m('case.register', caseId, 0, {
    submissionId,
    aktenzeichen: `${code}-2026-${String(azN++).padStart(6, '0')}`,
    procedureId,
    subject: 'Test',
    applicantName: 'Erika Muster',
    applicantAddress: 'Hauptstr. 1, 02826 Görlitz',
    receivedAt: '2026-11-27T10:00:00.000Z',
    deadline: '2026-12-27',
    channel: submissionId ? 'online' : 'paper',
    formData: { a: 1 },
    documents: opts.docs ?? [],
  })
}

export async function startOfficeHub(
  opts: { clock?: () => number; feedPush?: FeedPushOptions } = {},
) {
  const dir = mkdtempSync(join(tmpdir(), 'hub-office-'))
  const database = await testHubDatabase()
  const hub: RunningHub = await startHub({
    dataDir: dir,
    ...(database ? { database } : {}),
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.feedPush ? { feedPush: opts.feedPush } : {}),
  })
  const [deskA, deskB] = hub.config.desks!
  const token = (userId: string, more: Partial<MintOptions> = {}) =>
    mintDemoAccessToken({
      dataDir: dir,
      userId,
      ...(opts.clock ? { now: opts.clock() } : {}),
      ...more,
    })

  async function call(path: string, init: CallInit = {}): Promise<Response> {
    const desk = init.desk === undefined ? deskA! : init.desk
    const headers: Record<string, string> = {
      ...(desk ? { 'x-aktenfluss-desk': `${desk.deskId}:${desk.secret}` } : {}),
      ...(init.token
        ? { authorization: `Bearer ${init.token}` }
        : init.user
          ? { authorization: `Bearer ${await token(init.user)}` }
          : {}),
      ...init.headers,
    }
    let body: string | Buffer | undefined
    if (init.json !== undefined) {
      headers['content-type'] = 'application/json'
      body = JSON.stringify(init.json)
    } else if (init.body) {
      headers['content-type'] = 'application/octet-stream'
      body = init.body
    }
    return fetch(`${hub.url}${path}`, {
      method: init.method ?? 'GET',
      headers,
      ...(body !== undefined ? { body } : {}),
    })
  }

  /** one batch as `user` (undefined = system) from `desk` (default desk A) */
  async function mutate(user: string | undefined, mutations: unknown[], desk: Desk = deskA!) {
    const r = await call('/office/v1/mutations', {
      method: 'POST',
      ...(user ? { user } : {}),
      desk,
      json: { deskId: desk.deskId, mutations },
    })
    if (r.status !== 200) throw new Error(`mutations: HTTP ${r.status} ${await r.text()}`)
    return ((await r.json()) as { results: Result[] }).results
  }

  const senderClient = hub.config.clients.find((c) => c.role === 'sender')!
  const subscriber = hub.config.clients.find((c) => c.role === 'subscriber')!
  const keys = JSON.parse(
    readFileSync(hub.config.destinations[0]!.privateKeysFile, 'utf8'),
  ) as DestinationKeysFile
  let n = 0

  /** a real submission at the intake face; `accept` posts the subscriber's accept SET */
  async function submission(accept = true): Promise<string> {
    const sender = await createSender({
      hubUrl: hub.url,
      clientId: senderClient.clientId,
      clientSecret: senderClient.clientSecret,
      destinationId: keys.destinationId,
    })
    const proc = loadProcedures().find((p) => p.id === 'wohngeld')!
    const app = await generateApplication(proc, createRng(`office:${n}`), new Date(), n++)
    const s = await submitApplication(sender, app)
    if (!accept) return s.submissionId
    const tr = await fetch(`${hub.url}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: subscriber.clientId,
        client_secret: subscriber.clientSecret,
      }),
    })
    const sub = ((await tr.json()) as { access_token: string }).access_token
    const get = (p: string) =>
      fetch(`${hub.url}${p}`, { headers: { authorization: `Bearer ${sub}` } })
    const full = (await (await get(`/v1/submissions/${s.submissionId}`)).json()) as {
      attachments: string[]
      encryptedMetadata: string
      encryptedData: string
    }
    const attachments: Record<string, string> = {}
    for (const id of full.attachments)
      attachments[id] = authTagOf(
        await (await get(`/v1/submissions/${s.submissionId}/attachments/${id}`)).text(),
      )
    const set = await signSet(keys.signatureKey, {
      iss: keys.destinationId,
      submissionId: s.submissionId,
      caseId: s.caseId,
      event: EVENT.accept,
      payload: {
        authenticationTags: {
          metadata: authTagOf(full.encryptedMetadata),
          data: authTagOf(full.encryptedData),
          attachments,
        },
      },
      iat: Math.floor(Date.now() / 1000),
    })
    const posted = await fetch(`${hub.url}/v1/cases/${s.caseId}/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sub}`, 'content-type': 'application/jose' },
      body: set,
    })
    if (posted.status !== 204)
      throw new Error(`accept: HTTP ${posted.status} ${await posted.text()}`)
    return s.submissionId
  }

  /** the change feed as seen with these credentials, all pages */
  async function feed(init: CallInit = {}) {
    const out: {
      seq: number
      caseId: string
      type: string
      by: string
      payload: Record<string, unknown>
    }[] = []
    let since = '0'
    for (;;) {
      const r = await call(`/office/v1/changes?since=${since}&limit=500`, init)
      if (r.status !== 200) throw new Error(`changes: HTTP ${r.status}`)
      const page = (await r.json()) as { changes: typeof out; next: string; hasMore: boolean }
      out.push(...page.changes)
      since = page.next
      if (!page.hasMore) return { changes: out, next: since }
    }
  }

  return {
    hub,
    dir,
    deskA: deskA!,
    deskB: deskB!,
    token,
    call,
    mutate,
    submission,
    feed,
    close: async () => {
      await hub.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

export type OfficeHub = Awaited<ReturnType<typeof startOfficeHub>>
