// Conformance: every Submission API operation the hub serves, on success and error paths,
// validated request- and response-wise against FITKO's OpenAPI 1.1.3 (hub/conformance/*.yaml).
import { X509Certificate } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SignJWT, decodeJwt, importJWK } from 'jose'
import type { JWK } from 'jose'
import { startHub } from '../server'
import type { DestinationKeysFile, RunningHub } from '../server'
import { EVENT, authTagOf } from '../sets'
import { FITKO_PROBLEM_BASE } from '../problems'
import {
  createRng,
  createSender,
  encryptApplication,
  generateApplication,
  loadProcedures,
} from '../seed/seed'
import type { EncryptedSubmission, Sender } from '../seed/seed'
import { createConformance } from './conformance'
import { testHubDatabase } from '../../testing/postgres/hubDatabase'

let hub: RunningHub
let dir: string
let keys: DestinationKeysFile
let sender: Sender
let c: Awaited<ReturnType<typeof createConformance>>
let subToken: string
let sendToken: string
const procs = loadProcedures()
const kfz = procs.find((p) => p.id === 'kfz')!
const LEIKA = `urn:de:fim:leika:leistung:${kfz.leika}`
let n = 0

async function tokenFor(role: 'subscriber' | 'sender'): Promise<string> {
  const cl = hub.config.clients.find((x) => x.role === role)!
  const r = await fetch(`${hub.url}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: cl.clientId,
      client_secret: cl.clientSecret,
    }),
  })
  return ((await r.json()) as { access_token: string }).access_token
}

async function encrypted(): Promise<EncryptedSubmission> {
  const a = await generateApplication(kfz, createRng(`conf:${n++}`), new Date(), n)
  return encryptApplication({ kid: sender.encryptionKid, key: sender.encryptionKey }, a)
}

const create = (over: Record<string, unknown> = {}, announced: string[] = []) =>
  c.call('/v1/submissions', {
    method: 'POST',
    token: sendToken,
    body: {
      destinationId: keys.destinationId,
      announcedAttachments: announced,
      serviceType: { name: '', identifier: LEIKA },
      ...over,
    },
  })

/** create → upload → submit; returns the ids */
async function fullSubmission(over: Record<string, unknown> = {}) {
  const enc = await encrypted()
  const created = await create(
    over,
    enc.attachments.map((a) => a.attachmentId),
  )
  expect(created.status).toBe(201)
  const { submissionId, caseId } = created.body as { submissionId: string; caseId: string }
  for (const a of enc.attachments) {
    const up = await c.call(`/v1/submissions/${submissionId}/attachments/${a.attachmentId}`, {
      method: 'PUT',
      token: sendToken,
      body: a.jwe,
    })
    expect(up.status).toBe(204)
  }
  const sub = await c.call(`/v1/submissions/${submissionId}`, {
    method: 'PUT',
    token: sendToken,
    body: { encryptedMetadata: enc.encryptedMetadata, encryptedData: enc.encryptedData },
  })
  expect(sub.status).toBe(202)
  return { submissionId, caseId, enc, submitted: sub.body as Record<string, unknown> }
}

async function subscriberSet(
  submissionId: string,
  caseId: string,
  events: Record<string, unknown>,
  claims: Record<string, unknown> = {},
) {
  const { key_ops: _k, ...jwk } = keys.signatureKey as JWK
  return new SignJWT({
    sub: `submission:${submissionId}`,
    txn: `case:${caseId}`,
    events,
    ...claims,
  })
    .setProtectedHeader({ alg: 'PS512', typ: 'secevent+jwt', kid: keys.signatureKey.kid })
    .setIssuer(keys.destinationId)
    .setIssuedAt()
    .setJti(crypto.randomUUID())
    .sign(await importJWK(jwk, 'PS512'))
}

const postEvent = (caseId: string, set: string) =>
  c.call(`/v1/cases/${caseId}/events`, { method: 'POST', token: subToken, body: set })

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hub-conf-'))
  const database = await testHubDatabase()
  hub = await startHub({ dataDir: dir, ...(database ? { database } : {}) })
  keys = JSON.parse(
    readFileSync(hub.config.destinations[0]!.privateKeysFile, 'utf8'),
  ) as DestinationKeysFile
  const s = hub.config.clients.find((x) => x.role === 'sender')!
  sender = await createSender({
    hubUrl: hub.url,
    clientId: s.clientId,
    clientSecret: s.clientSecret,
    destinationId: keys.destinationId,
  })
  subToken = await tokenFor('subscriber')
  sendToken = await tokenFor('sender')
  c = await createConformance(hub.url)
}, 120_000)

afterAll(async () => {
  await hub?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('technical endpoints', () => {
  it('GET /v1/info names Submission API 1.1.3', async () => {
    const r = await c.call('/v1/info')
    expect(r.body).toEqual({ version: { major: 1, minor: 1, patch: 3 } })
  })

  it('JWKs carry an x5c certificate for exactly their own public key', async () => {
    const jwks = await c.call('/.well-known/jwks.json')
    const dest = await c.call(`/v1/destinations/${keys.destinationId}`, { token: subToken })
    const { encryptionKid } = dest.body as { encryptionKid: string }
    const encKey = await c.call(`/v1/destinations/${keys.destinationId}/keys/${encryptionKid}`)
    const sigKey = await c.call(
      `/v1/destinations/${keys.destinationId}/keys/${keys.signatureKey.kid!}`,
    )
    const all = [...(jwks.body as { keys: JWK[] }).keys, encKey.body as JWK, sigKey.body as JWK]
    for (const jwk of all) {
      const cert = new X509Certificate(Buffer.from(jwk.x5c![0]!, 'base64'))
      expect((cert.publicKey.export({ format: 'jwk' }) as JWK).n).toBe(jwk.n)
      expect(cert.verify(cert.publicKey)).toBe(true) // self-signed with the key itself
    }
    expect((encKey.body as JWK).key_ops).toEqual(['wrapKey'])
    // the key endpoint needs no token; the cache must not keep destinations or keys
    expect(encKey.headers['cache-control']).toBe('no-cache')
  })

  it('destination: regions on every service; 401 without token, 404 unknown', async () => {
    const d = await c.call(`/v1/destinations/${keys.destinationId}`, { token: subToken })
    const services = (d.body as { services: { regions: string[] }[] }).services
    expect(services.length).toBeGreaterThan(0)
    for (const s of services) expect(s.regions.length).toBeGreaterThan(0)
    expect((await c.call(`/v1/destinations/${keys.destinationId}`)).status).toBe(401)
    const unknown = await c.call(`/v1/destinations/${crypto.randomUUID()}`, { token: subToken })
    expect(unknown.status).toBe(404)
    const p = unknown.body as { instance: string }
    expect(p.instance.startsWith(`${hub.url}/v1/destinations/`)).toBe(true) // absolute URI
    const k = await c.call(`/v1/destinations/${keys.destinationId}/keys/nosuchkey1`)
    expect(k.status).toBe(404)
  })
})

describe('sender', () => {
  it('create with empty name → 201; error paths 400/401/403/404/422', async () => {
    expect((await create()).status).toBe(201)
    // missing serviceType: outside the spec, and the hub says 400
    const bad = await c.call('/v1/submissions', {
      method: 'POST',
      token: sendToken,
      body: { destinationId: keys.destinationId, announcedAttachments: [] },
      invalidRequest: true,
    })
    expect(bad.status).toBe(400)
    expect(
      (
        await c.call('/v1/submissions', {
          method: 'POST',
          body: {
            destinationId: keys.destinationId,
            announcedAttachments: [],
            serviceType: { name: 'x', identifier: LEIKA },
          },
        })
      ).status,
    ).toBe(401)
    expect(
      (
        await c.call('/v1/submissions', {
          method: 'POST',
          token: subToken,
          body: {
            destinationId: keys.destinationId,
            announcedAttachments: [],
            serviceType: { name: 'x', identifier: LEIKA },
          },
        })
      ).status,
    ).toBe(403)
    expect((await create({ destinationId: crypto.randomUUID() })).status).toBe(404)
    // a non-LeiKa URN passes the spec's pattern; the destination does not offer it → 422
    const other = await create({
      serviceType: { name: 'Eigenleistung', identifier: 'urn:xoev-de:example:leistung:42' },
    })
    expect(other.status).toBe(422)
    expect((other.body as { detail: string }).detail).toMatch(/does not offer/)
    // a caseId that does not exist → 422, no submission
    const noCase = await create({ caseId: crypto.randomUUID() })
    expect(noCase.status).toBe(422)
  })

  it('upload: 204; 415 for a wrong media type, 422 for an unannounced id, 400 for a non-JWE', async () => {
    const enc = await encrypted()
    const created = await create(
      {},
      enc.attachments.map((a) => a.attachmentId),
    )
    const { submissionId } = created.body as { submissionId: string }
    const a = enc.attachments[0]!
    const path = `/v1/submissions/${submissionId}/attachments/${a.attachmentId}`
    const wrongType = await c.call(path, {
      method: 'PUT',
      token: sendToken,
      body: a.jwe,
      headers: { 'content-type': 'application/json' },
      invalidRequest: true,
    })
    expect(wrongType.status).toBe(415)
    const unannounced = await c.call(
      `/v1/submissions/${submissionId}/attachments/${crypto.randomUUID()}`,
      { method: 'PUT', token: sendToken, body: a.jwe },
    )
    expect(unannounced.status).toBe(422)
    expect((await c.call(path, { method: 'PUT', token: sendToken, body: 'abc.def' })).status).toBe(
      400,
    )
    expect((await c.call(path, { method: 'PUT', body: a.jwe })).status).toBe(401)
    expect((await c.call(path, { method: 'PUT', token: sendToken, body: a.jwe })).status).toBe(204)
  })

  it('submit: 422 until every attachment is there, 202 SubmissionReduced, 422 again, 404/415/400', async () => {
    const enc = await encrypted()
    const ids = enc.attachments.map((a) => a.attachmentId)
    const created = await create({ serviceType: { name: kfz.name, identifier: LEIKA } }, ids)
    const { submissionId, caseId } = created.body as { submissionId: string; caseId: string }
    const path = `/v1/submissions/${submissionId}`
    const body = { encryptedMetadata: enc.encryptedMetadata, encryptedData: enc.encryptedData }
    const early = await c.call(path, { method: 'PUT', token: sendToken, body })
    expect(early.status).toBe(422)
    for (const a of enc.attachments) {
      await c.call(`${path}/attachments/${a.attachmentId}`, {
        method: 'PUT',
        token: sendToken,
        body: a.jwe,
      })
    }
    const wrongType = await c.call(path, {
      method: 'PUT',
      token: sendToken,
      body: JSON.stringify(body),
      headers: { 'content-type': 'text/plain' },
      invalidRequest: true,
    })
    expect(wrongType.status).toBe(415)
    const noMeta = await c.call(path, {
      method: 'PUT',
      token: sendToken,
      body: { encryptedData: enc.encryptedData },
      invalidRequest: true,
    })
    expect(noMeta.status).toBe(400)
    const ok = await c.call(path, { method: 'PUT', token: sendToken, body })
    expect(ok.status).toBe(202)
    expect(ok.body).toEqual({
      destinationId: keys.destinationId,
      submissionId,
      caseId,
      attachments: ids,
      serviceType: { name: kfz.name, identifier: LEIKA },
    })
    expect((await c.call(path, { method: 'PUT', token: sendToken, body })).status).toBe(422)
    const unknown = await c.call(`/v1/submissions/${crypto.randomUUID()}`, {
      method: 'PUT',
      token: sendToken,
      body,
    })
    expect(unknown.status).toBe(404)
  })

  it('submit without encryptedData is accepted (optional in the spec)', async () => {
    const enc = await encrypted()
    const created = await create()
    const { submissionId } = created.body as { submissionId: string }
    const r = await c.call(`/v1/submissions/${submissionId}`, {
      method: 'PUT',
      token: sendToken,
      body: { encryptedMetadata: enc.encryptedMetadata },
    })
    expect(r.status).toBe(202)
    const got = await c.call(`/v1/submissions/${submissionId}`, { token: subToken })
    expect(got.body).not.toHaveProperty('encryptedData')
  })

  it("the hub's submit-submission SET carries the authentication tags", async () => {
    const { caseId, enc } = await fullSubmission()
    const log = await c.call(`/v1/cases/${caseId}/events`, { token: subToken })
    const submit = (log.body as { eventLog: string[] }).eventLog
      .map((t) => decodeJwt(t))
      .find((p) => EVENT.submit in (p['events'] as object))!
    expect((submit['events'] as Record<string, unknown>)[EVENT.submit]).toEqual({
      authenticationTags: {
        metadata: authTagOf(enc.encryptedMetadata),
        data: authTagOf(enc.encryptedData),
        attachments: Object.fromEntries(
          enc.attachments.map((a) => [a.attachmentId, authTagOf(a.jwe)]),
        ),
      },
    })
  })

  it('caseId on create joins the existing case; callback is stored and returned', async () => {
    const first = await fullSubmission()
    const callback = { url: 'https://portal.example/callbacks/fit-connect', secret: 'x'.repeat(40) }
    const reply = await fullSubmission({ caseId: first.caseId, callback })
    expect(reply.caseId).toBe(first.caseId)
    expect(reply.submissionId).not.toBe(first.submissionId)
    expect(reply.submitted['callback']).toEqual({ url: callback.url }) // the secret is never returned
    const got = await c.call(`/v1/submissions/${reply.submissionId}`, { token: subToken })
    expect((got.body as { callback: unknown }).callback).toEqual({ url: callback.url })
    // both submissions' events are in the one case's log; each is accepted on its own
    const log = await c.call(`/v1/cases/${first.caseId}/events`, { token: subToken })
    const subs = (log.body as { eventLog: string[] }).eventLog.map((t) => decodeJwt(t).sub)
    expect(new Set(subs)).toEqual(
      new Set([`submission:${first.submissionId}`, `submission:${reply.submissionId}`]),
    )
    const acc = await postEvent(
      first.caseId,
      await subscriberSet(reply.submissionId, first.caseId, { [EVENT.accept]: {} }),
    )
    expect(acc.status).toBe(204)
    expect(await hub.submissionState(reply.submissionId)).toBe('accepted')
    expect(await hub.submissionState(first.submissionId)).toBe('submitted')
    // a case of the same id at another destination cannot be joined: tested by the 422 above
  })
})

describe('subscriber', () => {
  it('list without destinationId covers all destinations of the client; 401, 403', async () => {
    const { submissionId } = await fullSubmission()
    const all = await c.call('/v1/submissions?limit=500', { token: subToken })
    const one = await c.call(`/v1/submissions?destinationId=${keys.destinationId}&limit=500`, {
      token: subToken,
    })
    const ids = (r: typeof all) =>
      (r.body as { submissions: { submissionId: string }[] }).submissions.map((s) => s.submissionId)
    expect(ids(all)).toContain(submissionId)
    expect(ids(all)).toEqual(ids(one))
    const page = await c.call('/v1/submissions?limit=1&offset=0', { token: subToken })
    expect(page.body).toMatchObject({ count: 1, offset: 0, totalCount: ids(all).length })
    expect((await c.call('/v1/submissions')).status).toBe(401)
    expect((await c.call('/v1/submissions', { token: sendToken })).status).toBe(403)
  })

  it('get submission and attachment: 200; 404 with FITKO type; 401; 403', async () => {
    const { submissionId, enc } = await fullSubmission()
    expect((await c.call(`/v1/submissions/${submissionId}`, { token: subToken })).status).toBe(200)
    const a = enc.attachments[0]!
    const att = await c.call(`/v1/submissions/${submissionId}/attachments/${a.attachmentId}`, {
      token: subToken,
    })
    expect(att.body).toBe(a.jwe)
    const missing = await c.call(`/v1/submissions/${crypto.randomUUID()}`, { token: subToken })
    expect(missing.status).toBe(404)
    expect((missing.body as { type: string }).type).toBe(
      `${FITKO_PROBLEM_BASE}submission-not-found`,
    )
    expect(
      (
        await c.call(`/v1/submissions/${submissionId}/attachments/${crypto.randomUUID()}`, {
          token: subToken,
        })
      ).status,
    ).toBe(404)
    expect((await c.call(`/v1/submissions/${submissionId}`)).status).toBe(401)
    expect((await c.call(`/v1/submissions/${submissionId}`, { token: sendToken })).status).toBe(403)
    expect(
      (await c.call(`/v1/submissions/${submissionId}/attachments/${a.attachmentId}`)).status,
    ).toBe(401)
  })

  it('event log with limit/offset/count/totalCount; 401, 404', async () => {
    const { caseId } = await fullSubmission()
    const page = await c.call(`/v1/cases/${caseId}/events?limit=1&offset=1`, { token: sendToken })
    expect(page.body).toMatchObject({ count: 1, offset: 1, totalCount: 2 })
    const [only] = (page.body as { eventLog: string[] }).eventLog
    expect(Object.keys(decodeJwt(only!)['events'] as object)).toEqual([EVENT.submit])
    expect((await c.call(`/v1/cases/${caseId}/events`)).status).toBe(401)
    expect(
      (await c.call(`/v1/cases/${crypto.randomUUID()}/events`, { token: subToken })).status,
    ).toBe(404)
  })

  it('send event: accept without payload or $schema → 204; refused SET 422; other decision 409; 404', async () => {
    const { submissionId, caseId } = await fullSubmission()
    const wrongSub = await subscriberSet(crypto.randomUUID(), caseId, { [EVENT.accept]: {} })
    expect((await postEvent(caseId, wrongSub)).status).toBe(422)
    const bare = await subscriberSet(submissionId, caseId, { [EVENT.accept]: null })
    expect((await postEvent(caseId, bare)).status).toBe(204)
    const reject = await subscriberSet(submissionId, caseId, { [EVENT.reject]: {} })
    expect((await postEvent(caseId, reject)).status).toBe(409)
    expect((await postEvent(crypto.randomUUID(), bare)).status).toBe(404)
    expect(
      (await c.call(`/v1/cases/${caseId}/events`, { method: 'POST', body: bare })).status,
    ).toBe(401)
  })
})

describe('coverage', () => {
  // destination management is FITKO's self-service portal's business, not the reference hub's
  const NOT_SERVED = [
    'get-my-destinations',
    'create-destination',
    'update-destination',
    'patch-destination',
    'delete-destination',
    'add-destination-key',
  ]
  // operations without any error response in the spec
  const NO_ERROR_PATH = ['get-info', 'get-jwks.json']

  it('every served operation was exercised on a success and an error path', () => {
    for (const op of c.operations()) {
      if (NOT_SERVED.includes(op)) continue
      const statuses = [...(c.seen.get(op) ?? [])]
      expect(
        statuses.some((s) => s < 300),
        `${op}: success path`,
      ).toBe(true)
      if (!NO_ERROR_PATH.includes(op))
        expect(
          statuses.some((s) => s >= 400),
          `${op}: error path`,
        ).toBe(true)
    }
  })

  it('the operations not served really have no route', async () => {
    const probes: [string, string][] = [
      ['GET', '/v1/destinations'],
      ['POST', '/v1/destinations'],
      ['PUT', `/v1/destinations/${keys.destinationId}`],
      ['PATCH', `/v1/destinations/${keys.destinationId}`],
      ['DELETE', `/v1/destinations/${keys.destinationId}`],
      ['POST', `/v1/destinations/${keys.destinationId}/keys`],
    ]
    for (const [method, path] of probes) {
      const r = await fetch(`${hub.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${subToken}` },
      })
      expect(r.status, `${method} ${path}`).toBe(404)
      expect(((await r.json()) as { detail: string }).detail).toMatch(/^No route/)
    }
  })
})
