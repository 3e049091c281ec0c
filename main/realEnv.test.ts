// A desk configured by the machine-wide file against a FIT-Connect-shaped environment: the token
// endpoint and the Submission API on two different loopback ports (the submission host has no
// /token, as FIT-Connect's has none), the office hub on a third; a full intake through sync.run.
import { generateKeyPairSync } from 'node:crypto'
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { getSetting } from '../db/repositories/settings'
import { startHub, type RunningHub } from '../hub/server'
import { seedSubmissions } from '../hub/seed/seed'
import type { SyncRunResult } from '../preload/contract/index'
import { createDesk, type Desk } from './desk'
import { runStartup } from './startup'

const UNKNOWN_DESTINATION = '0c0ffee0-0000-4000-8000-000000000000'
const newJwk = (kid: string, alg: string) =>
  JSON.stringify({
    ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }),
    kid,
    alg,
  })
const dirs: string[] = []
const tmp = (p: string) => {
  const d = mkdtempSync(join(tmpdir(), p))
  dirs.push(d)
  return d
}
const servers: Server[] = []

/** a loopback server forwarding the paths `allow` accepts to the hub; everything else 404 */
async function forwarder(
  target: string,
  allow: (path: string) => boolean,
  log: string[],
  bodies: string[] = [],
): Promise<string> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      log.push(`${req.method} ${req.url}`)
      if (!allow(req.url ?? '')) {
        res.writeHead(404, { 'content-type': 'application/problem+json' })
        res.end(JSON.stringify({ type: 'about:blank', title: 'Not Found', status: 404 }))
        return
      }
      const chunks: Buffer[] = []
      for await (const c of req) chunks.push(c as Buffer)
      if (chunks.length) bodies.push(Buffer.concat(chunks).toString())
      const headers: Record<string, string> = {}
      for (const [k, v] of Object.entries(req.headers))
        if (typeof v === 'string' && !['host', 'connection', 'content-length'].includes(k))
          headers[k] = v
      const r = await fetch(`${target}${req.url}`, {
        method: req.method ?? 'GET',
        headers,
        ...(chunks.length ? { body: Buffer.concat(chunks) } : {}),
      })
      const body = Buffer.from(await r.arrayBuffer())
      const out: Record<string, string> = {}
      r.headers.forEach((v, k) => {
        if (!['content-encoding', 'content-length', 'transfer-encoding', 'connection'].includes(k))
          out[k] = v
      })
      res.writeHead(r.status, out)
      res.end(body)
    })().catch((err: unknown) => {
      res.writeHead(502)
      res.end(String(err))
    })
  })
  servers.push(server)
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

let hub: RunningHub
let desk: Desk
const tokenLog: string[] = []
const tokenBodies: string[] = []
const submissionLog: string[] = []
let tokenBase: string
let submissionBase: string
let configPath: string
let singleConfigPath: string
let seeded: string[]

beforeAll(async () => {
  hub = await startHub({ dataDir: tmp('realenv-hub-') })
  const seed = await seedSubmissions({
    hubUrl: hub.url,
    hubConfig: hub.config,
    count: 3,
    seed: 'realenv',
    referenceDate: new Date(),
  })
  seeded = seed.submissions.map((s) => s.submissionId)
  tokenBase = await forwarder(hub.url, (p) => p === '/token', tokenLog, tokenBodies)
  submissionBase = await forwarder(hub.url, (p) => p.startsWith('/v1/'), submissionLog)

  // what IT deploys: the keys as separate private JWK files (as FITKO's tools write them), the
  // client secret as a file, the desk secret imported once into the desk's secret store
  const etc = tmp('realenv-etc-')
  const bundle = JSON.parse(readFileSync(hub.config.destinations[0]!.privateKeysFile, 'utf8')) as {
    encryptionKey: unknown
    signatureKey: unknown
  }
  const secret = (name: string, content: string) => {
    const p = join(etc, name)
    writeFileSync(p, content)
    chmodSync(p, 0o600)
    return p
  }
  const subscriber = hub.config.clients.find((c) => c.role === 'subscriber')!
  const deskCredential = hub.config.desks![0]!
  const config = {
    fitConnect: {
      tokenUrl: `${tokenBase}/token`,
      submissionApiUrl: `${submissionBase}/v1`,
      clientId: subscriber.clientId,
      scope: `subscribe:destination:${hub.config.destinations[0]!.destinationId}`,
      clientSecret: { file: secret('client-secret', `${subscriber.clientSecret}\n`) },
      destinations: [
        // a destination this client may not read (deregistered, typo): it fails, the next goes on
        {
          destinationId: UNKNOWN_DESTINATION,
          decryptionKeys: [{ file: secret('other.jwk', newJwk('andere', 'RSA-OAEP-256')) }],
          signingKey: { file: secret('other-sig.jwk', newJwk('andere-sig', 'PS512')) },
        },
        {
          destinationId: hub.config.destinations[0]!.destinationId,
          // after a key change: the new key first, the one the pending submissions were encrypted
          // for second — each submission is opened with the key its JWE's kid names
          decryptionKeys: [
            { file: secret('decryption-new.jwk', newJwk('neu-2026', 'RSA-OAEP-256')) },
            { file: secret('decryption.jwk', JSON.stringify(bundle.encryptionKey)) },
          ],
          signingKey: { file: secret('signing.jwk', JSON.stringify(bundle.signatureKey)) },
        },
      ],
    },
    office: {
      url: hub.url,
      deskId: deskCredential.deskId,
      deskSecret: { secretStore: 'office.desk' },
    },
    identity: { issuer: hub.issuer },
  }
  configPath = join(etc, 'config.json')
  writeFileSync(configPath, JSON.stringify(config, null, 2))
  // the same without an office hub: a single desk talking to FIT-Connect only
  const { office: _office, ...single } = config
  singleConfigPath = join(etc, 'single.json')
  writeFileSync(singleConfigPath, JSON.stringify(single))
  chmodSync(configPath, 0o644)
  const deskSecretFile = secret('desk-secret', deskCredential.secret)

  desk = createDesk({ dataDir: tmp('realenv-desk-'), mode: 'browser' })
  const started = await runStartup(desk, {
    configPath,
    importSecrets: [`office.desk=${deskSecretFile}`],
    demoAllowed: true,
    env: {},
  })
  expect(started.plan.kind).toBe('config')
  expect(started.demoHub).toBeUndefined() // configured: no demo hub
  // imported once: the file may go, the desk keeps the secret sealed
  rmSync(deskSecretFile)
}, 120_000)

afterAll(async () => {
  await desk?.close()
  for (const s of servers) await new Promise((ok) => s.close(ok))
  await hub?.close()
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

it('takes its token from the token host, reads and accepts at the Submission API host, registers at the office', async () => {
  expect(new URL(tokenBase).port).not.toBe(new URL(submissionBase).port)
  const env = await desk.call('sync.run', {})
  if (!env.ok) throw new Error(env.error.message)
  const r: SyncRunResult = env.value
  expect(r.intake).toMatchObject({ accepted: 3, rejected: 0, failed: 1 })
  // the unknown destination, reported in German, not fatal
  expect(r.failures?.intake).toContain(
    `Zustellpunkt ${UNKNOWN_DESTINATION}: kein Zugriff für diesen Client (HTTP 403). Bitte im Self-Service-Portal prüfen`,
  )
  for (const id of seeded) expect(await hub.submissionState(id)).toBe('accepted')
  // the client credentials went to the token host only; the Submission API host never saw /token
  expect(tokenLog.filter((l) => l === 'POST /token').length).toBeGreaterThanOrEqual(1)
  expect(submissionLog.some((l) => l.includes('/token'))).toBe(false)
  const form = new URLSearchParams(tokenBodies[0])
  expect(form.get('grant_type')).toBe('client_credentials')
  expect(form.get('scope')).toBe(
    `subscribe:destination:${hub.config.destinations[0]!.destinationId}`,
  )
  for (const d of [UNKNOWN_DESTINATION, hub.config.destinations[0]!.destinationId])
    expect(submissionLog).toContainEqual(
      `GET /v1/submissions?destinationId=${d}&offset=0&limit=100`,
    )
  expect(submissionLog.filter((l) => l.startsWith('POST /v1/cases/')).length).toBe(3) // accept SETs
  // the office hub got the registrations under the desk credential from the secret store
  expect(r.outbox).toMatchObject({ sent: 3, rejected: 0 })
  expect(getSetting<{ tokenUrl: string; configFile: string }>(desk.ctx.db, 'hub')).toMatchObject({
    tokenUrl: `${tokenBase}/token`,
    submissionApiUrl: submissionBase,
    url: hub.url,
    configFile: configPath,
  })
  expect(getSetting<{ issuer: string }>(desk.ctx.db, 'identity')?.issuer).toBe(hub.issuer)
}, 120_000)

it('stores no secret of the configuration in the database', () => {
  const db = readFileSync(join(desk.ctx.dataDir, 'aktenfluss.db'))
  const subscriber = hub.config.clients.find((c) => c.role === 'subscriber')!
  expect(db.includes(subscriber.clientSecret)).toBe(false)
  expect(db.includes(hub.config.desks![0]!.secret)).toBe(false)
})

it('a configuration without office hub is a single desk: intake from FIT-Connect, no office traffic', async () => {
  const more = await seedSubmissions({
    hubUrl: hub.url,
    hubConfig: hub.config,
    count: 2,
    seed: 'realenv-single',
    referenceDate: new Date(),
  })
  const single = createDesk({ dataDir: tmp('realenv-single-'), mode: 'browser' })
  try {
    const started = await runStartup(single, {
      configPath: singleConfigPath,
      demoAllowed: true,
      env: {},
    })
    expect(started.plan.kind).toBe('config')
    expect(getSetting<{ officeEnabled: boolean }>(single.ctx.db, 'hub')?.officeEnabled).toBe(false)
    const env = await single.call('sync.run', {})
    if (!env.ok) throw new Error(env.error.message)
    expect(env.value.intake).toMatchObject({ accepted: 2 })
    expect(env.value.outbox).toBeUndefined()
    for (const s of more.submissions) expect(await hub.submissionState(s.submissionId)).toBe('accepted')
  } finally {
    await single.close()
  }
}, 120_000)
