// A data folder from before the conformance work (hub schema 3: one submission per case, keys
// without x5c) keeps its submissions and gains certificates and case joins at the next start.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, expect, it } from 'vitest'
import { startHub } from '../server'
import type { DestinationKeysFile } from '../server'
import {
  createRng,
  createSender,
  generateApplication,
  loadProcedures,
  submitApplication,
} from '../seed/seed'

const dir = mkdtempSync(join(tmpdir(), 'hub-upgrade-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

// the submissions table as hub schema 3 had it
const SCHEMA_3 = `
  CREATE TABLE submissions_old (
    submission_id TEXT PRIMARY KEY, case_id TEXT NOT NULL UNIQUE, destination_id TEXT NOT NULL REFERENCES destinations(destination_id),
    service_name TEXT NOT NULL, service_identifier TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('incomplete','submitted','accepted','rejected','deleted')),
    announced TEXT NOT NULL, encrypted_metadata TEXT, encrypted_data TEXT,
    created_at INTEGER NOT NULL, submitted_at INTEGER, closed_at INTEGER, rejected_by_hub INTEGER NOT NULL DEFAULT 0, deleted_at INTEGER);
  INSERT INTO submissions_old SELECT submission_id, case_id, destination_id, service_name, service_identifier, state, announced,
    encrypted_metadata, encrypted_data, created_at, submitted_at, closed_at, rejected_by_hub, deleted_at FROM submissions;
  DROP TABLE submissions;
  ALTER TABLE submissions_old RENAME TO submissions;
  UPDATE destination_keys SET jwk = json_remove(jwk, '$.x5c');
  UPDATE hub_keys SET public_jwk = json_remove(public_jwk, '$.x5c');
  PRAGMA user_version = 3;`

it('keeps submissions and attachments, adds x5c, lets a new submission join an old case', async () => {
  let hub = await startHub({ dataDir: dir })
  const keys = JSON.parse(
    readFileSync(hub.config.destinations[0]!.privateKeysFile, 'utf8'),
  ) as DestinationKeysFile
  const s = hub.config.clients.find((c) => c.role === 'sender')!
  const senderOpts = {
    hubUrl: hub.url,
    clientId: s.clientId,
    clientSecret: s.clientSecret,
    destinationId: keys.destinationId,
  }
  const kfz = loadProcedures().find((p) => p.id === 'kfz')!
  const app = await generateApplication(kfz, createRng('upgrade'), new Date(), 1)
  const old = await submitApplication(await createSender(senderOpts), app)
  await hub.close()

  const db = new Database(join(dir, 'hub.sqlite'))
  db.pragma('foreign_keys = OFF')
  db.exec(SCHEMA_3)
  db.close()

  hub = await startHub({ dataDir: dir })
  try {
    expect(await hub.submissionState(old.submissionId)).toBe('submitted')
    const jwks = (await (await fetch(`${hub.url}/.well-known/jwks.json`)).json()) as {
      keys: { x5c?: string[] }[]
    }
    expect(jwks.keys.every((k) => (k.x5c?.length ?? 0) > 0)).toBe(true)
    const key = (await (
      await fetch(`${hub.url}/v1/destinations/${keys.destinationId}/keys/${keys.encryptionKey.kid}`)
    ).json()) as { x5c?: string[] }
    expect(key.x5c?.length).toBe(1)

    const sender = await createSender({ ...senderOpts, hubUrl: hub.url })
    const joined = await sender.request('/v1/submissions', {
      method: 'POST',
      contentType: 'application/json',
      body: JSON.stringify({
        destinationId: keys.destinationId,
        announcedAttachments: [],
        caseId: old.caseId,
        serviceType: { name: kfz.name, identifier: `urn:de:fim:leika:leistung:${kfz.leika}` },
      }),
    })
    expect(joined.status).toBe(201)
    expect(((await joined.json()) as { caseId: string }).caseId).toBe(old.caseId)
    // the old submission and its attachments survived the table rebuild
    const subClient = hub.config.clients.find((c) => c.role === 'subscriber')!
    const tok = (await (
      await fetch(`${hub.url}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: subClient.clientId,
          client_secret: subClient.clientSecret,
        }),
      })
    ).json()) as { access_token: string }
    const auth = { authorization: `Bearer ${tok.access_token}` }
    const got = (await (
      await fetch(`${hub.url}/v1/submissions/${old.submissionId}`, { headers: auth })
    ).json()) as { attachments: string[] }
    expect(got.attachments.length).toBe(app.attachments.length)
    for (const id of got.attachments) {
      const r = await fetch(`${hub.url}/v1/submissions/${old.submissionId}/attachments/${id}`, {
        headers: auth,
      })
      expect(r.status).toBe(200)
    }
    const db2 = new Database(join(dir, 'hub.sqlite'), { readonly: true })
    const n = db2.pragma('user_version', { simple: true })
    db2.close()
    expect(n).toBe(4)
  } finally {
    await hub.close()
  }
}, 120_000)
