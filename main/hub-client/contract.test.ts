// Contract tests: the desk's client against the reference hub over real HTTP.
import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeJwt } from 'jose'
import type { CryptoKey } from 'jose'
import { startHub } from '../../hub/server'
import { mintDemoAccessToken } from '../../hub/identity/mint'
import type { RunningHub } from '../../hub/server'
import {
  createRng,
  createSender,
  generateApplication,
  loadProcedures,
  seedSubmissions,
  sha512hex,
  submitApplication,
} from '../../hub/seed/seed'
import type { Application, Sender, Tamper } from '../../hub/seed/seed'
import { loadOpenerConfig } from '../features/intake/openConfig'
import { openSubmission } from '../features/intake/openSubmission'
import type { OpenResult } from '../features/intake/openSubmission'
import {
  ACCEPT_EVENT,
  REJECT_EVENT,
  createHubClient,
  createOfficeClient,
  isInvalidToken,
  HubProblemError,
  HubProtocolError,
  HubUnreachableError,
  loadDestinationKeys,
  makeAcceptSet,
  makeRejectSet,
} from './index'
import type { DestinationKeys, HubClient } from './index'

let now = Date.parse('2026-11-27T09:00:00Z')
const clock = () => now
let hub: RunningHub
let dir: string
let keys: DestinationKeys
let client: HubClient
let sender: Sender
let tokenCalls = 0
const config = loadOpenerConfig()
const procs = loadProcedures()
let n = 0
const app = (procId: string): Promise<Application> =>
  generateApplication(
    procs.find((p) => p.id === procId)!,
    createRng(`contract:${n++}`),
    new Date(now),
    n,
  )

const countingFetch: typeof fetch = (input, init) => {
  if (String(input instanceof Request ? input.url : input).endsWith('/token')) tokenCalls++
  return fetch(input, init)
}

async function fetchAndOpen(c: HubClient, submissionId: string): Promise<OpenResult> {
  const sub = await c.getSubmission(submissionId)
  const attachments: Record<string, string> = {}
  for (const id of sub.attachments) attachments[id] = await c.getAttachment(submissionId, id)
  return openSubmission({ submission: sub, attachments, decryptionKey: keys.encryption, config })
}

async function accept(r: Extract<OpenResult, { ok: true }>) {
  const set = await makeAcceptSet({
    destinationId: keys.destinationId,
    submissionId: r.submissionId,
    caseId: r.caseId,
    signature: keys.signature,
    authenticationTags: r.authenticationTags,
    clock,
  })
  await client.postEvent(r.caseId, set)
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hub-contract-'))
  hub = await startHub({ dataDir: dir, clock })
  const d = hub.config.destinations[0]!
  keys = await loadDestinationKeys(d.privateKeysFile)
  const sub = hub.config.clients.find((c) => c.role === 'subscriber')!
  client = createHubClient({
    baseUrl: hub.url,
    clientId: sub.clientId,
    clientSecret: sub.clientSecret,
    clock,
    fetch: countingFetch,
  })
  const snd = hub.config.clients.find((c) => c.role === 'sender')!
  sender = await createSender({
    hubUrl: hub.url,
    clientId: snd.clientId,
    clientSecret: snd.clientSecret,
    destinationId: d.destinationId,
  })
})
afterAll(async () => {
  await hub?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('round trip sender → hub → client → openSubmission → accept', () => {
  it('accepts seeded submissions; the hub shows accepted with the right tags', async () => {
    const seeded = await seedSubmissions({
      hubUrl: hub.url,
      hubConfig: hub.config,
      count: 6,
      seed: 'contract',
    })
    const destination = await client.getDestination(keys.destinationId)
    expect(destination.encryptionKid).toBe(keys.encryption.kid)
    const refs = []
    for await (const ref of client.listAllSubmissions(keys.destinationId, 4)) refs.push(ref)
    expect(refs.map((r) => r.submissionId).sort()).toEqual(
      seeded.submissions.map((s) => s.submissionId).sort(),
    )

    for (const ref of refs) {
      const r = await fetchAndOpen(client, ref.submissionId)
      expect(r.ok, JSON.stringify(!r.ok && r.problem)).toBe(true)
      if (!r.ok) continue
      expect(r.metadata.additionalReferenceInfo?.senderReference).toMatch(/^AMT24-/)
      expect(sha512hex(r.dataBytes)).toBe(r.metadata.contentStructure.data?.hash.content)
      await accept(r)
      expect(await hub.submissionState(ref.submissionId)).toBe('accepted')
      const log = await client.getEventLog(ref.caseId)
      const last = decodeJwt(log.at(-1)!)
      const events = last['events'] as Record<string, { authenticationTags: unknown }>
      expect(Object.keys(events)).toEqual([ACCEPT_EVENT])
      expect(events[ACCEPT_EVENT]!.authenticationTags).toEqual(r.authenticationTags)
      expect(last.iss).toBe(keys.destinationId)
    }
    expect((await client.listSubmissions(keys.destinationId)).totalCount).toBe(0)
  })

  it('repeated delivery and repeated accept are harmless', async () => {
    const s = await submitApplication(sender, await app('sondernutzung'))
    const r1 = await fetchAndOpen(client, s.submissionId)
    if (!r1.ok) throw new Error('open failed')
    await accept(r1)
    const r2 = await fetchAndOpen(client, s.submissionId) // delivered again
    expect(r2.ok).toBe(true)
    if (r2.ok) await accept(r2)
    const log = await client.getEventLog(s.caseId)
    expect(
      log.filter((t) => Object.keys(decodeJwt(t)['events'] as object)[0] === ACCEPT_EVENT),
    ).toHaveLength(1)
  })
})

describe('rejections through the sender API', () => {
  const other = { key: undefined as unknown as CryptoKey }
  beforeAll(async () => {
    const { generateKeyPair } = await import('jose')
    other.key = (await generateKeyPair('RSA-OAEP-256', { modulusLength: 2048 })).publicKey
  })
  const cases: [string, string, (a: Application) => Tamper][] = [
    ['encryption-issue', 'kfz', () => ({ wrongKey: { key: other.key, parts: ['data'] } })],
    [
      'invalid-metadata',
      'kfz',
      () => ({ metadata: (m) => ({ ...m, contentStructure: { attachments: 'keine' } }) }),
    ],
    [
      'hash-mismatch',
      'wohngeld',
      (a) => ({
        replaceAttachment: {
          [a.attachments[0]!.attachmentId]: new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31]),
        },
      }),
    ],
    [
      'missing-attachment',
      'bussgeld',
      (a) => ({
        metadata: (m) => ({
          ...m,
          contentStructure: {
            ...m.contentStructure,
            attachments: [
              ...m.contentStructure.attachments,
              {
                ...m.contentStructure.attachments[0]!,
                attachmentId: a.attachments[0]!.attachmentId.replace(/^.{8}/, 'ffffffff'),
              },
            ],
          },
        }),
      }),
    ],
    [
      'invalid-data',
      'baugenehmigung',
      () => ({
        rawData: new TextEncoder().encode(JSON.stringify({ vorhaben: 'Turm', geschosse: 'viele' })),
      }),
    ],
    ['invalid-attachment', 'sondernutzung', (a) => exeAsPdf(a)],
  ]
  /** an EXE declared as PDF (hash matches: the sender hashed the EXE) */
  function exeAsPdf(a: Application): Tamper {
    a.attachments[0] = {
      ...a.attachments[0]!,
      bytes: new Uint8Array([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0]),
      mimeType: 'application/pdf',
    }
    return {}
  }

  for (const [kind, procId, tamper] of cases) {
    it(`${kind}: the desk rejects, the hub takes the reject SET`, async () => {
      const a = await app(procId)
      const s = await submitApplication(sender, a, tamper(a))
      const r = await fetchAndOpen(client, s.submissionId)
      expect(r.ok).toBe(false)
      if (r.ok) return
      expect(r.problem.type).toBe(`https://schema.fitko.de/fit-connect/events/problems/${kind}`)
      const set = await makeRejectSet({
        destinationId: keys.destinationId,
        submissionId: s.submissionId,
        caseId: s.caseId,
        signature: keys.signature,
        problems: [r.problem],
        clock,
      })
      await client.postEvent(s.caseId, set)
      await client.postEvent(s.caseId, set) // repeat is harmless
      expect(await hub.submissionState(s.submissionId)).toBe('rejected')
      const last = decodeJwt((await client.getEventLog(s.caseId)).at(-1)!)
      expect(
        (last['events'] as Record<string, { problems: unknown[] }>)[REJECT_EVENT]!.problems[0],
      ).toEqual(r.problem)
    })
  }

  it('an accept SET with wrong tags is refused with a HubProblemError', async () => {
    const s = await submitApplication(sender, await app('kfz'))
    const r = await fetchAndOpen(client, s.submissionId)
    if (!r.ok) throw new Error('open failed')
    const set = await makeAcceptSet({
      destinationId: keys.destinationId,
      submissionId: s.submissionId,
      caseId: s.caseId,
      signature: keys.signature,
      authenticationTags: { ...r.authenticationTags, data: 'AAAA' },
    })
    const err = await client.postEvent(s.caseId, set).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(HubProblemError)
    expect((err as HubProblemError).status).toBe(422)
  })
})

describe('tokens and errors', () => {
  it('caches the token and refreshes it on expiry by the clock', async () => {
    const before = tokenCalls
    await client.listSubmissions(keys.destinationId)
    await client.listSubmissions(keys.destinationId)
    expect(tokenCalls - before).toBeLessThanOrEqual(1)
    const mid = tokenCalls
    now += 3600 * 1000
    await client.listSubmissions(keys.destinationId)
    expect(tokenCalls - mid).toBe(1)
  })

  it('refreshes once on a 401 when its own clock still thinks the token is valid', async () => {
    const sub = hub.config.clients.find((c) => c.role === 'subscriber')!
    const frozen = now
    const c2 = createHubClient({
      baseUrl: hub.url,
      clientId: sub.clientId,
      clientSecret: sub.clientSecret,
      clock: () => frozen,
      fetch: countingFetch,
    })
    await c2.listSubmissions(keys.destinationId)
    now += 2 * 3600 * 1000 // hub time moves on, the client's clock does not
    const before = tokenCalls
    await c2.listSubmissions(keys.destinationId)
    expect(tokenCalls - before).toBe(1)
  })

  it('maps problem documents to HubProblemError', async () => {
    const err = await client.getSubmission(crypto.randomUUID()).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(HubProblemError)
    expect((err as HubProblemError).status).toBe(404)
    expect((err as HubProblemError).type).toMatch(/not-found$/)
    const bad = createHubClient({ baseUrl: hub.url, clientId: 'x', clientSecret: 'y' })
    const e2 = await bad.listSubmissions(keys.destinationId).catch((e: unknown) => e)
    expect(e2).toBeInstanceOf(HubProblemError)
    expect((e2 as HubProblemError).status).toBe(401)
  })

  it('hub unreachable → HubUnreachableError (refused and timeout)', async () => {
    const probe = createServer()
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r))
    const freePort = (probe.address() as AddressInfo).port
    await new Promise<void>((r) => probe.close(() => r()))
    const c = createHubClient({
      baseUrl: `http://127.0.0.1:${freePort}`,
      clientId: 'a',
      clientSecret: 'b',
    })
    await expect(c.listSubmissions(keys.destinationId)).rejects.toBeInstanceOf(HubUnreachableError)

    const silent = createServer(() => {})
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r))
    const c2 = createHubClient({
      baseUrl: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`,
      clientId: 'a',
      clientSecret: 'b',
      timeoutMs: 200,
    })
    const err = await c2.listSubmissions(keys.destinationId).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(HubUnreachableError)
    expect((err as HubUnreachableError).timedOut).toBe(true)
    silent.closeAllConnections()
    await new Promise<void>((r) => silent.close(() => r()))
  })

  it('validates responses: unexpected shapes are HubProtocolError', async () => {
    const fake: typeof fetch = (input) =>
      Promise.resolve(
        (typeof input === 'string'
          ? input
          : input instanceof URL
            ? input.href
            : input.url
        ).endsWith('/token')
          ? Response.json({ access_token: 't', token_type: 'Bearer', expires_in: 60 })
          : Response.json({
              totalCount: 1,
              offset: 0,
              count: 1,
              submissions: [{ submissionId: '../etc' }],
            }),
      )
    const c = createHubClient({
      baseUrl: 'http://hub.invalid',
      clientId: 'a',
      clientSecret: 'b',
      fetch: fake,
    })
    await expect(c.listSubmissions(keys.destinationId)).rejects.toBeInstanceOf(HubProtocolError)
  })
})

describe('office face: desk credential and per-call user token', () => {
  const token = (userId: string, at = now) => mintDemoAccessToken({ dataDir: dir, userId, now: at })
  const office = () => createOfficeClient({ baseUrl: hub.url, desk: hub.config.desks![0]! })
  const caseId = crypto.randomUUID()

  it('reads the directory and leases with the desk alone; writes and reads as the signed-in user', async () => {
    const o = office()
    const d = await o.directory()
    expect(d.teams.find((t) => t.teamId === 'team-ordnung')?.procedures).toContain('kfz')
    expect(await o.lease('135.2', 2026, 3)).toHaveLength(3)
    const bytes = Buffer.from(`%PDF-1.7 contract ${caseId}`)
    const sha = createHash('sha256').update(bytes).digest('hex')
    await o.putBlob(sha, bytes)
    const userToken = await token('u-lkoehler')
    const doc = {
      id: crypto.randomUUID(),
      kind: 'antrag',
      title: 'Antrag',
      filename: 'a.pdf',
      mimeType: 'application/pdf',
      size: bytes.length,
      sha256: sha,
      createdAt: new Date(now).toISOString(),
    }
    const results = await o.mutate(
      [
        {
          mutationId: crypto.randomUUID(),
          type: 'case.register',
          caseId,
          baseVersion: 0,
          at: new Date(now).toISOString(),
          payload: {
            submissionId: null,
            aktenzeichen: '135.2-2026-777001',
            procedureId: 'kfz',
            subject: 'Kfz-Zulassung',
            applicantName: 'Test',
            applicantAddress: 'Weg 1',
            receivedAt: new Date(now).toISOString(),
            deadline: null,
            channel: 'paper',
            formData: {},
            documents: [doc],
          },
        },
      ],
      { userToken },
    )
    expect(results[0]).toMatchObject({ status: 'applied', version: 1 })
    const page = await o.changes('0', 500, { userToken })
    expect(page.changes.find((c) => c.caseId === caseId)).toMatchObject({
      by: 'u-lkoehler',
      version: 1,
    })
    expect((await o.getBlob(sha, { userToken })).equals(bytes)).toBe(true)
    // another team's user does not see it
    const other = await o.changes('0', 500, { userToken: await token('u-amueller') })
    expect(other.changes.some((c) => c.caseId === caseId)).toBe(false)
    await expect(o.getBlob(sha, { userToken: await token('u-amueller') })).rejects.toMatchObject({
      status: 404,
    })
  })

  it('an expired user token is a HubProblemError the sync engine recognises as "sign in again"', async () => {
    const err = await office()
      .changes('0', 10, { userToken: await token('u-lkoehler', now - 3_600_000) })
      .then(
        () => undefined,
        (e: unknown) => e,
      )
    expect(isInvalidToken(err)).toBe(true)
    const wrongDesk = createOfficeClient({
      baseUrl: hub.url,
      desk: { deskId: hub.config.desks![0]!.deskId, secret: 'falsch' },
    })
    const refused = await wrongDesk.directory().then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(refused).toBeInstanceOf(HubProblemError)
    expect((refused as HubProblemError).type).toMatch(/\/invalid-desk$/)
    expect(isInvalidToken(refused)).toBe(false)
  })

  it('absences round-trip through the hub', async () => {
    const o = office()
    const userToken = await token('u-hjuengling')
    const absenceId = crypto.randomUUID()
    await o.putAbsence(
      {
        absenceId,
        userId: 'u-mfuchs',
        substituteId: 'u-ddoering',
        from: '2026-11-27',
        until: '2026-11-30',
      },
      { userToken },
    )
    expect(await o.absences({ userToken })).toContainEqual({
      absenceId,
      userId: 'u-mfuchs',
      substituteId: 'u-ddoering',
      from: '2026-11-27',
      until: '2026-11-30',
      by: 'u-hjuengling',
    })
    await o.deleteAbsence(absenceId, { userToken })
    expect((await o.absences({ userToken })).some((a) => a.absenceId === absenceId)).toBe(false)
  })
})
