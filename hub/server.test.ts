import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { testHubDatabase } from '../testing/postgres/hubDatabase'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SignJWT, createLocalJWKSet, decodeJwt, generateKeyPair, importJWK, jwtVerify } from 'jose'
import type { JWK } from 'jose'
import { startHub, DAY_MS } from './server'
import type { DestinationKeysFile, RunningHub } from './server'
import { EVENT, SET_SCHEMA, authTagOf, signSet } from './sets'
import {
  createRng,
  createSender,
  encryptApplication,
  generateApplication,
  loadProcedures,
  submitApplication,
} from './seed/seed'
import type { Application, Sender } from './seed/seed'

let now = Date.parse('2026-11-27T10:00:00Z')
let hub: RunningHub
let dir: string
let sender: Sender
let subToken: string
let keys: DestinationKeysFile
const procs = loadProcedures()
let n = 0

const app = (procId = 'kfz'): Promise<Application> =>
  generateApplication(
    procs.find((p) => p.id === procId)!,
    createRng(`hub-test:${n++}`),
    new Date(now),
    n,
  )

async function tokenFor(role: 'subscriber' | 'sender'): Promise<string> {
  const c = hub.config.clients.find((x) => x.role === role)!
  const r = await fetch(`${hub.url}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: c.clientId,
      client_secret: c.clientSecret,
    }),
  })
  expect(r.status).toBe(200)
  return ((await r.json()) as { access_token: string }).access_token
}

const api = (path: string, init: RequestInit & { token?: string } = {}) =>
  fetch(`${hub.url}${path}`, {
    ...init,
    headers: {
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...(init.headers as Record<string, string>),
    },
  })

const postSet = (caseId: string, set: string) =>
  api(`/v1/cases/${caseId}/events`, {
    method: 'POST',
    token: subToken,
    body: set,
    headers: { 'content-type': 'application/jose' },
  })

async function expectProblem(r: Response, status: number, slug?: string) {
  expect(r.status).toBe(status)
  expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/)
  const p = (await r.json()) as { type: string; title: string; status: number }
  expect(p.status).toBe(status)
  expect(p.title).toMatch(/\S/) // a human-readable title, not empty
  if (slug) expect(p.type).toMatch(new RegExp(`/${slug}$`))
  return p
}

async function submission(id: string) {
  const r = await api(`/v1/submissions/${id}`, { token: subToken })
  expect(r.status).toBe(200)
  return (await r.json()) as {
    caseId: string
    encryptedMetadata: string
    encryptedData: string
    attachments: string[]
  }
}

async function acceptSet(
  submissionId: string,
  over: {
    iss?: string
    sub?: string
    txn?: string
    tags?: unknown
    key?: JWK
    typ?: string
    extraEvent?: boolean
  } = {},
) {
  const s = await submission(submissionId)
  const attachments: Record<string, string> = {}
  for (const id of s.attachments) {
    attachments[id] = authTagOf(
      await (
        await api(`/v1/submissions/${submissionId}/attachments/${id}`, { token: subToken })
      ).text(),
    )
  }
  const tags = over.tags ?? {
    metadata: authTagOf(s.encryptedMetadata),
    data: authTagOf(s.encryptedData),
    attachments,
  }
  const events: Record<string, unknown> = { [EVENT.accept]: { authenticationTags: tags } }
  if (over.extraEvent) events[EVENT.reject] = { problems: [] }
  const { key_ops: _k, ...jwk } = over.key ?? keys.signatureKey
  return new SignJWT({
    $schema: SET_SCHEMA,
    sub: over.sub ?? `submission:${submissionId}`,
    txn: over.txn ?? `case:${s.caseId}`,
    events,
  })
    .setProtectedHeader({
      alg: 'PS512',
      typ: over.typ ?? 'secevent+jwt',
      kid: keys.signatureKey.kid,
    })
    .setIssuer(over.iss ?? keys.destinationId)
    .setIssuedAt()
    .setJti(crypto.randomUUID())
    .sign(await importJWK(jwk, 'PS512'))
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hub-test-'))
  const database = await testHubDatabase()
  hub = await startHub({
    dataDir: dir,
    ...(database ? { database } : {}),
    clock: () => now,
    maxBodyBytes: 2 * 1024 * 1024,
  })
  keys = JSON.parse(
    readFileSync(hub.config.destinations[0]!.privateKeysFile, 'utf8'),
  ) as DestinationKeysFile
  const s = hub.config.clients.find((c) => c.role === 'sender')!
  sender = await createSender({
    hubUrl: hub.url,
    clientId: s.clientId,
    clientSecret: s.clientSecret,
    destinationId: keys.destinationId,
  })
  subToken = await tokenFor('subscriber')
})
afterAll(async () => {
  await hub?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('bootstrap', () => {
  it('writes hub.json and a 0600 private keys file; serves public keys only', async () => {
    const cfg = JSON.parse(readFileSync(join(dir, 'hub.json'), 'utf8')) as typeof hub.config
    expect(cfg).toEqual(hub.config)
    expect(cfg.clients.map((c) => c.role).sort()).toEqual(['sender', 'subscriber'])
    expect(statSync(hub.config.destinations[0]!.privateKeysFile).mode & 0o777).toBe(0o600)
    expect(keys.encryptionKey.d).toMatch(/^[A-Za-z0-9_-]{100,}$/) // the private exponent of an RSA-4096 key
    const dest = (await (
      await api(`/v1/destinations/${keys.destinationId}`, { token: subToken })
    ).json()) as { encryptionKid: string; services: unknown[] }
    expect(dest.encryptionKid).toBe(keys.encryptionKey.kid)
    expect(dest.services).toHaveLength(5)
    for (const kid of [keys.encryptionKey.kid!, keys.signatureKey.kid!]) {
      const jwk = (await (
        await api(`/v1/destinations/${keys.destinationId}/keys/${kid}`, { token: subToken })
      ).json()) as JWK
      expect(jwk.kid).toBe(kid)
      expect(jwk.d).toBeUndefined()
      expect(Buffer.from(jwk.n!, 'base64url').length).toBe(512) // RSA-4096
    }
    const jwks = (await (await api('/.well-known/jwks.json')).json()) as { keys: JWK[] }
    expect(jwks.keys).toHaveLength(1)
    expect(jwks.keys[0]!.d).toBeUndefined()
  })
})

describe('errors and roles', () => {
  it('answers problem+json for 400/401/403/404/413', async () => {
    await expectProblem(
      await api('/token', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials&client_id=x&client_secret=y',
      }),
      401,
    )
    await expectProblem(await api(`/v1/submissions?destinationId=${keys.destinationId}`), 401)
    await expectProblem(
      await api(`/v1/submissions?destinationId=${keys.destinationId}`, { token: 'nope' }),
      401,
    )
    const senderToken = await tokenFor('sender')
    await expectProblem(
      await api(`/v1/submissions?destinationId=${keys.destinationId}`, { token: senderToken }),
      403,
      'forbidden',
    )
    await expectProblem(
      await api('/v1/submissions', {
        method: 'POST',
        token: subToken,
        headers: { 'content-type': 'application/json' },
        body: '{}',
      }),
      403,
      'forbidden',
    )
    await expectProblem(
      await api(`/v1/submissions/${crypto.randomUUID()}`, { token: subToken }),
      404,
    )
    await expectProblem(await api('/nowhere'), 404)
    await expectProblem(
      await api('/v1/submissions?destinationId=kaputt', { token: subToken }),
      400,
      'validation',
    )
    await expectProblem(
      await api('/v1/submissions', {
        method: 'POST',
        token: senderToken,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ destinationId: keys.destinationId }),
      }),
      400,
    )
    await expectProblem(
      await api('/v1/submissions', {
        method: 'POST',
        token: senderToken,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ x: 'a'.repeat(3 * 1024 * 1024) }),
      }),
      413,
      'payload-too-large',
    )
  })
})

describe('state machine', () => {
  it('incomplete → submitted → accepted, with checks at every step', async () => {
    const a = await app('kfz')
    const senderToken = await tokenFor('sender')
    const enc = await encryptApplication(
      { kid: sender.encryptionKid, key: sender.encryptionKey },
      a,
    )
    const ann = await api('/v1/submissions', {
      method: 'POST',
      token: senderToken,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        destinationId: keys.destinationId,
        announcedAttachments: enc.attachments.map((x) => x.attachmentId),
        serviceType: { name: 'Kfz', identifier: 'urn:de:fim:leika:leistung:99036012000000' },
      }),
    })
    expect(ann.status).toBe(201)
    const { submissionId, caseId } = (await ann.json()) as { submissionId: string; caseId: string }
    expect(await hub.submissionState(submissionId)).toBe('incomplete')
    const submit = () =>
      api(`/v1/submissions/${submissionId}`, {
        method: 'PUT',
        token: senderToken,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          encryptedMetadata: enc.encryptedMetadata,
          encryptedData: enc.encryptedData,
        }),
      })
    await expectProblem(await submit(), 422, 'missing-attachments') // attachments missing
    await expectProblem(await api(`/v1/submissions/${submissionId}`, { token: subToken }), 404) // not visible yet
    const put = (id: string, body: string) =>
      api(`/v1/submissions/${submissionId}/attachments/${id}`, {
        method: 'PUT',
        token: senderToken,
        headers: { 'content-type': 'application/jose' },
        body,
      })
    await expectProblem(await put(crypto.randomUUID(), enc.attachments[0]!.jwe), 422) // not announced
    await expectProblem(await put(enc.attachments[0]!.attachmentId, 'not.a.jwe'), 400)
    for (const x of enc.attachments) expect((await put(x.attachmentId, x.jwe)).status).toBe(204)
    expect((await submit()).status).toBe(202)
    expect(await hub.submissionState(submissionId)).toBe('submitted')
    await expectProblem(await submit(), 422, 'submission-not-incomplete')
    await expectProblem(await put(enc.attachments[0]!.attachmentId, enc.attachments[0]!.jwe), 422)
    const list = (await (
      await api(`/v1/submissions?destinationId=${keys.destinationId}&limit=500`, {
        token: subToken,
      })
    ).json()) as { submissions: { submissionId: string }[] }
    expect(list.submissions.map((s) => s.submissionId)).toContain(submissionId)

    // the hub's own SETs verify against its JWKS
    const log = (await (await api(`/v1/cases/${caseId}/events`, { token: subToken })).json()) as {
      eventLog: string[]
    }
    const jwks = createLocalJWKSet(
      (await (await api('/.well-known/jwks.json')).json()) as { keys: JWK[] },
    )
    const names = []
    for (const t of log.eventLog) {
      const { payload, protectedHeader } = await jwtVerify(t, jwks, {
        typ: 'secevent+jwt',
        algorithms: ['PS512'],
      })
      expect(protectedHeader.alg).toBe('PS512')
      expect(payload.sub).toBe(`submission:${submissionId}`)
      names.push(Object.keys(payload['events'] as object)[0])
    }
    expect(names).toEqual([EVENT.create, EVENT.submit])

    expect((await postSet(caseId, await acceptSet(submissionId))).status).toBe(204)
    expect(await hub.submissionState(submissionId)).toBe('accepted')
    expect((await postSet(caseId, await acceptSet(submissionId))).status).toBe(204) // repeat is harmless
    const log2 = (await (await api(`/v1/cases/${caseId}/events`, { token: subToken })).json()) as {
      eventLog: string[]
    }
    expect(log2.eventLog).toHaveLength(3)
    const rejectSet = await signSet(keys.signatureKey, {
      iss: keys.destinationId,
      submissionId,
      caseId,
      event: EVENT.reject,
      payload: {
        problems: [
          { type: 'https://schema.fitko.de/fit-connect/events/problems/invalid-data', title: 'x' },
        ],
      },
      iat: 1,
    })
    await expectProblem(await postSet(caseId, rejectSet), 409)
    const list2 = (await (
      await api(`/v1/submissions?destinationId=${keys.destinationId}&limit=500`, {
        token: subToken,
      })
    ).json()) as { submissions: { submissionId: string }[] }
    expect(list2.submissions.map((s) => s.submissionId)).not.toContain(submissionId)
  })
})

describe('SET verification', () => {
  it('refuses SETs with a wrong key, wrong claims, wrong typ or wrong tags', async () => {
    const r = await submitApplication(sender, await app('wohngeld'))
    const { privateKey } = await generateKeyPair('PS512', {
      modulusLength: 2048,
      extractable: true,
    })
    const { exportJWK } = await import('jose')
    const foreign = await exportJWK(privateKey)
    const bad = [
      await acceptSet(r.submissionId, { key: foreign }),
      await acceptSet(r.submissionId, { iss: crypto.randomUUID() }),
      await acceptSet(r.submissionId, { sub: `submission:${crypto.randomUUID()}` }),
      await acceptSet(r.submissionId, { txn: `case:${crypto.randomUUID()}` }),
      await acceptSet(r.submissionId, { typ: 'JWT' }),
      await acceptSet(r.submissionId, { extraEvent: true }),
      await acceptSet(r.submissionId, { tags: { metadata: 'x', data: 'y', attachments: {} } }),
      'garbage',
    ]
    for (const set of bad) await expectProblem(await postSet(r.caseId, set), 422, 'invalid-event')
    expect(await hub.submissionState(r.submissionId)).toBe('submitted')
    // a SET for another case's submission
    const other = await submitApplication(sender, await app('wohngeld'))
    await expectProblem(await postSet(other.caseId, await acceptSet(r.submissionId)), 422)
    expect((await postSet(r.caseId, await acceptSet(r.submissionId))).status).toBe(204)
  })
})

describe('fault injection', () => {
  it('fails /v1 requests but never /token', async () => {
    hub.setFaults({ errorRate: 1, resetRate: 0, maxLatencyMs: 0 })
    try {
      const tok = await tokenFor('subscriber')
      await expectProblem(
        await api(`/v1/destinations/${keys.destinationId}`, { token: tok }),
        503,
        'injected-fault',
      )
      hub.setFaults({ errorRate: 0, resetRate: 1, maxLatencyMs: 0 })
      await expect(api(`/v1/destinations/${keys.destinationId}`, { token: tok })).rejects.toThrow()
    } finally {
      hub.setFaults(false)
    }
    expect((await api(`/v1/destinations/${keys.destinationId}`, { token: subToken })).status).toBe(
      200,
    )
  })
})

describe('time rules (14 / 21 / 7 days)', () => {
  it('auto-rejects after 14 days, deletes after 21, deletes accepted ones 7 days after pickup', async () => {
    const unclaimed = await submitApplication(sender, await app('bussgeld'))
    const accepted = await submitApplication(sender, await app('bussgeld'))
    const senderToken = await tokenFor('sender')
    const incomplete = (await (
      await api('/v1/submissions', {
        method: 'POST',
        token: senderToken,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          destinationId: keys.destinationId,
          announcedAttachments: [crypto.randomUUID()],
          serviceType: { name: 'Bußgeld', identifier: 'urn:de:fim:leika:leistung:99089001000000' },
        }),
      })
    ).json()) as { submissionId: string }
    const t0 = now
    now = t0 + 2 * DAY_MS
    subToken = await tokenFor('subscriber')
    expect((await postSet(accepted.caseId, await acceptSet(accepted.submissionId))).status).toBe(
      204,
    )

    now = t0 + 8 * DAY_MS
    await hub.sweep()
    expect(await hub.submissionState(accepted.submissionId)).toBe('accepted') // 6 days after pickup
    now = t0 + 9 * DAY_MS + 1
    // lazily, on the next request
    await api(`/v1/submissions?destinationId=${keys.destinationId}`, {
      token: await tokenFor('subscriber'),
    })
    expect(await hub.submissionState(accepted.submissionId)).toBe('deleted')

    now = t0 + 14 * DAY_MS - 1000
    await hub.sweep()
    expect(await hub.submissionState(unclaimed.submissionId)).toBe('submitted')
    now = t0 + 14 * DAY_MS
    const tok = await tokenFor('subscriber')
    const list = (await (
      await api(`/v1/submissions?destinationId=${keys.destinationId}&limit=500`, { token: tok })
    ).json()) as { submissions: { submissionId: string }[] }
    expect(list.submissions.map((s) => s.submissionId)).not.toContain(unclaimed.submissionId)
    expect(await hub.submissionState(unclaimed.submissionId)).toBe('rejected')
    const log = (await (
      await api(`/v1/cases/${unclaimed.caseId}/events`, { token: tok })
    ).json()) as { eventLog: string[] }
    expect(Object.keys(decodeJwt(log.eventLog.at(-1)!)['events'] as object)).toEqual([EVENT.reject])

    now = t0 + 21 * DAY_MS
    const res = await hub.sweep()
    expect(res.deleted).toBeGreaterThanOrEqual(2)
    expect(await hub.submissionState(unclaimed.submissionId)).toBe('deleted')
    expect(await hub.submissionState(incomplete.submissionId)).toBe('deleted')
    await expectProblem(
      await api(`/v1/submissions/${unclaimed.submissionId}`, {
        token: await tokenFor('subscriber'),
      }),
      404,
    )
    const log2 = (await (
      await api(`/v1/cases/${unclaimed.caseId}/events`, { token: await tokenFor('subscriber') })
    ).json()) as { eventLog: string[] }
    expect(Object.keys(decodeJwt(log2.eventLog.at(-1)!)['events'] as object)).toEqual([
      EVENT.delete,
    ])
    subToken = await tokenFor('subscriber')
  })

  it('expires tokens by the clock', async () => {
    const tok = await tokenFor('subscriber')
    now += 3600 * 1000
    await expectProblem(
      await api(`/v1/submissions?destinationId=${keys.destinationId}`, { token: tok }),
      401,
      'unauthorized',
    )
    subToken = await tokenFor('subscriber')
  })
})
