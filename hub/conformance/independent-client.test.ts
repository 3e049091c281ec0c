// An independent client flow, written only from FITKO's Submission API 1.1.3 and plain fetch: no
// hub module is imported; the hub runs as its own process (`npm run hub`), the client reads only
// the credentials file it writes (hub.json) and what the API answers.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { CompactEncrypt, importJWK } from 'jose'
import type { JWK } from 'jose'

let proc: ChildProcess
let dir: string
let base: string

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hub-indep-'))
  proc = spawn(process.execPath, ['--import', 'tsx', 'hub/cli.ts', '--data-dir', dir], {
    cwd: process.cwd(),
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  base = await new Promise<string>((resolve, reject) => {
    let out = ''
    proc.stdout!.on('data', (b: Buffer) => {
      out += b.toString()
      const m = /Hub listening on (http:\/\/\S+)/.exec(out)
      if (m) resolve(m[1]!)
    })
    proc.on('exit', (code) => reject(new Error(`hub exited with ${code}`)))
  })
}, 120_000)

afterAll(() => {
  proc?.kill('SIGTERM')
  rmSync(dir, { recursive: true, force: true })
})

interface Credentials {
  clients: { clientId: string; clientSecret: string; role: string }[]
}

async function token(role: string): Promise<string> {
  const cfg = JSON.parse(readFileSync(join(dir, 'hub.json'), 'utf8')) as Credentials
  const c = cfg.clients.find((x) => x.role === role)!
  const r = await fetch(`${base}/token`, {
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

it('token, list without destinationId, create with empty name, upload, submit → 202, event log with limit', async () => {
  const sub = await token('subscriber')
  const snd = await token('sender')
  const auth = (t: string) => ({ authorization: `Bearer ${t}` })

  // the subscriber lists without destinationId
  const before = await fetch(`${base}/v1/submissions`, { headers: auth(sub) })
  expect(before.status).toBe(200)
  const list0 = (await before.json()) as { totalCount: number; submissions: unknown[] }
  expect(list0.submissions).toEqual([])

  // the destination id is in hub.json; its details and key come from the API
  const cfg = JSON.parse(readFileSync(join(dir, 'hub.json'), 'utf8')) as {
    destinations: { destinationId: string }[]
  }
  const destinationId = cfg.destinations[0]!.destinationId
  const dest = (await (
    await fetch(`${base}/v1/destinations/${destinationId}`, { headers: auth(snd) })
  ).json()) as { encryptionKid: string; services: { identifier: string }[] }
  const keyRes = await fetch(`${base}/v1/destinations/${destinationId}/keys/${dest.encryptionKid}`)
  expect(keyRes.status).toBe(200)
  const { key_ops: _ops, x5c, ...jwk } = (await keyRes.json()) as JWK
  expect(x5c?.length).toBeGreaterThan(0)
  const key = await importJWK(jwk, 'RSA-OAEP-256')
  const enc = (s: string) =>
    new CompactEncrypt(new TextEncoder().encode(s))
      .setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A256GCM', kid: dest.encryptionKid })
      .encrypt(key)

  const attachmentId = crypto.randomUUID()
  const created = await fetch(`${base}/v1/submissions`, {
    method: 'POST',
    headers: { ...auth(snd), 'content-type': 'application/json' },
    body: JSON.stringify({
      destinationId,
      announcedAttachments: [attachmentId],
      serviceType: { name: '', identifier: dest.services[0]!.identifier },
    }),
  })
  expect(created.status).toBe(201)
  const { submissionId, caseId } = (await created.json()) as {
    submissionId: string
    caseId: string
  }

  const up = await fetch(`${base}/v1/submissions/${submissionId}/attachments/${attachmentId}`, {
    method: 'PUT',
    headers: { ...auth(snd), 'content-type': 'application/jose' },
    body: await enc('%PDF-1.4 attachment'),
  })
  expect(up.status).toBe(204)

  const submitted = await fetch(`${base}/v1/submissions/${submissionId}`, {
    method: 'PUT',
    headers: { ...auth(snd), 'content-type': 'application/json' },
    body: JSON.stringify({
      encryptedMetadata: await enc('{"contentStructure":{}}'),
      encryptedData: await enc('{}'),
    }),
  })
  expect(submitted.status).toBe(202)
  expect(await submitted.json()).toMatchObject({
    submissionId,
    caseId,
    destinationId,
    attachments: [attachmentId],
  })

  const after = (await (await fetch(`${base}/v1/submissions`, { headers: auth(sub) })).json()) as {
    submissions: { submissionId: string }[]
  }
  expect(after.submissions.map((s) => s.submissionId)).toEqual([submissionId])

  const log = await fetch(`${base}/v1/cases/${caseId}/events?limit=1`, { headers: auth(snd) })
  expect(log.status).toBe(200)
  expect(await log.json()).toMatchObject({ count: 1, offset: 0, totalCount: 2 })
}, 60_000)
