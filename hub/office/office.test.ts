// The office face over real HTTP against a hub started in-process on a free port.
import { createHash, randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startHub } from '../server'
import type { RunningHub } from '../server'

let hub: RunningHub
let dir: string
let token: string

const call = async (
  path: string,
  init: {
    method?: string
    user?: string
    json?: unknown
    body?: Buffer
    headers?: Record<string, string>
  } = {},
) => {
  const headers: Record<string, string> = {
    authorization: `Bearer ${token}`,
    ...(init.user ? { 'x-aktenfluss-user': init.user } : {}),
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

interface Result {
  mutationId: string
  status: string
  version?: number
  current?: { caseId: string; aktenzeichen: string; assignee: string | null; version: number }
  problem?: { type: string }
}
const mutate = async (user: string, deskId: string, mutations: unknown[]) => {
  const r = await call('/office/v1/mutations', {
    method: 'POST',
    user,
    json: { deskId, mutations },
  })
  expect(r.status).toBe(200)
  return ((await r.json()) as { results: Result[] }).results
}
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex')
const m = (
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
const register = (caseId: string, submissionId: string | null, docs: unknown[] = []) =>
  m('case.register', caseId, 0, {
    submissionId,
    aktenzeichen: `632.1-2026-${String(azN++).padStart(6, '0')}`,
    procedureId: 'wohngeld',
    subject: 'Wohngeld – Test',
    applicantName: 'Erika Muster',
    applicantAddress: 'Hauptstr. 1, 02826 Görlitz',
    receivedAt: '2026-11-27T10:00:00.000Z',
    deadline: '2026-12-27',
    channel: 'online',
    formData: { a: 1 },
    documents: docs,
  })

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hub-office-'))
  hub = await startHub({ dataDir: dir })
  const c = hub.config.clients.find((x) => x.role === 'subscriber')!
  const r = await fetch(`${hub.url}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: c.clientId,
      client_secret: c.clientSecret,
    }),
  })
  token = ((await r.json()) as { access_token: string }).access_token
})
afterAll(async () => {
  await hub?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('office face', () => {
  it('serves the directory with roles and the file plan; refuses without token or sender role', async () => {
    const d = (await (await call('/office/v1/directory')).json()) as {
      users: { role: string; teamId: string }[]
      teams: unknown[]
      filePlan: { code: string; retentionYears: number }[]
      procedures: unknown[]
    }
    expect(d.teams).toHaveLength(2)
    expect(d.users.filter((u) => u.role === 'lead')).toHaveLength(2)
    expect(d.users.some((u) => u.role === 'records')).toBe(true)
    expect(d.filePlan.find((f) => f.code === '632.1')?.retentionYears).toBe(6)
    expect(d.procedures).toHaveLength(5)
    expect((await fetch(`${hub.url}/office/v1/directory`)).status).toBe(401)
  })

  it('applies, deduplicates, conflicts and rejects (forbidden) mutations', async () => {
    const caseId = randomUUID()
    const reg = register(caseId, randomUUID())
    const [r1] = await mutate('system', 'desk-a', [reg])
    expect(r1).toMatchObject({ status: 'applied', version: 1 })
    const [again] = await mutate('system', 'desk-a', [reg])
    expect(again).toMatchObject({ status: 'duplicate', version: 1 })

    // system may only register
    const [sys] = await mutate('system', 'desk-a', [
      m('case.note', caseId, 1, { noteId: randomUUID(), kind: 'note', text: 'x' }),
    ])
    expect(sys?.status).toBe('rejected')
    expect(sys?.problem?.type).toMatch(/\/forbidden$/)

    // clerk takes the unassigned case; another clerk cannot take it from her; cosign is lead-only
    const take = m('case.assign', caseId, 1, { assignee: 'u-amueller', previous: null })
    const steal = m('case.assign', caseId, 2, { assignee: 'u-jweiss', previous: 'u-amueller' })
    const cosign = m('case.cosign', caseId, 2, {})
    const results = await mutate('u-amueller', 'desk-a', [take])
    expect(results[0]).toMatchObject({ status: 'applied', version: 2 })
    const [stolen] = await mutate('u-jweiss', 'desk-b', [steal])
    expect(stolen).toMatchObject({
      status: 'rejected',
      problem: { type: expect.stringMatching(/\/forbidden$/) },
    })
    const [cs] = await mutate('u-jweiss', 'desk-b', [cosign])
    expect(cs?.problem?.type).toMatch(/\/forbidden$/)

    // desk-b saw version 1; desk-a's assignment (colliding) moved it on → conflict with the current case
    const [conflict] = await mutate('u-sbaeumer', 'desk-b', [
      m('case.status', caseId, 1, { from: 'eingegangen', to: 'in_bearbeitung' }),
    ])
    expect(conflict).toMatchObject({
      status: 'conflict',
      current: { caseId, assignee: 'u-amueller', version: 2 },
    })
    // a note does not collide; the lead may reassign with the current base version
    const batch = await mutate('u-sbaeumer', 'desk-b', [
      m('case.note', caseId, 1, { noteId: randomUUID(), kind: 'note', text: 'Rückruf erbeten' }),
      m('case.assign', caseId, 2, { assignee: 'u-jweiss', previous: 'u-amueller' }),
    ])
    expect(batch.map((r) => r.status)).toEqual(['applied', 'applied'])
    expect(batch.map((r) => r.version)).toEqual([3, 4])
    // the same desk's own later change does not conflict with its earlier one (same base)
    const own = await mutate('u-sbaeumer', 'desk-b', [
      m('case.followUp', caseId, 2, { date: '2026-12-01' }),
      m('case.status', caseId, 2, { to: 'in_bearbeitung' }),
    ])
    expect(own.map((r) => r.status)).toEqual(['applied', 'applied'])
    // records only reopen; reopening an open case is refused
    const [reopen] = await mutate('u-amueller', 'desk-a', [
      m('case.reopen', caseId, 6, { reason: 'x' }),
    ])
    expect(reopen?.problem?.type).toMatch(/\/forbidden$/)
    // unknown type and bad payload are rejected one by one; the batch goes on
    const mixed = await mutate('u-amueller', 'desk-a', [
      m('case.teleport', caseId, 6, {}),
      m('case.followUp', caseId, 6, { date: 'morgen' }),
      m('case.note', caseId, 6, { noteId: randomUUID(), kind: 'note', text: 'ok' }),
    ])
    expect(mixed.map((r) => r.status)).toEqual(['rejected', 'rejected', 'applied'])
  })

  it('four eyes by person: the lead who decided cannot co-sign; a draft stays in work; a posted notice is noted', async () => {
    const caseId = randomUUID()
    expect((await mutate('system', 'desk-a', [register(caseId, randomUUID())]))[0]?.status).toBe(
      'applied',
    )
    const decision = {
      outcome: 'stattgegeben',
      fields: { monthlyAmount: 612.5 },
      reasons: 'x',
      cosignRequired: true,
    }
    const [draft] = await mutate('u-sbaeumer', 'desk-a', [
      m('case.decide', caseId, 1, { ...decision, status: 'in_bearbeitung', draft: true }),
    ])
    expect(draft).toMatchObject({ status: 'applied', version: 2 })
    const [decided] = await mutate('u-sbaeumer', 'desk-a', [
      m('case.decide', caseId, 2, { ...decision, status: 'entscheidungsreif' }),
    ])
    expect(decided).toMatchObject({ status: 'applied', version: 3 })
    const [own] = await mutate('u-sbaeumer', 'desk-a', [m('case.cosign', caseId, 3, {})])
    expect(own).toMatchObject({
      status: 'rejected',
      problem: { type: expect.stringMatching(/\/forbidden$/) },
    })
    const [other] = await mutate('u-hjuengling', 'desk-b', [
      m('case.cosign', caseId, 3, { comment: 'geprüft' }),
    ])
    expect(other).toMatchObject({ status: 'applied', version: 4 })
    const [posted] = await mutate('u-jweiss', 'desk-a', [
      m('notice.posted', caseId, 4, { postedOn: '2026-11-27' }),
    ])
    expect(posted).toMatchObject({ status: 'applied', version: 5 })
    const feed = await call('/office/v1/changes?since=0&limit=500')
    const changes = ((await feed.json()) as { changes: { caseId: string; type: string }[] }).changes
      .filter((c) => c.caseId === caseId)
      .map((c) => c.type)
    expect(changes).toEqual([
      'case.register',
      'case.decide',
      'case.decide',
      'case.cosign',
      'notice.posted',
    ])
  })

  it('a second registration of the same submission answers conflict with the existing case', async () => {
    const submissionId = randomUUID()
    const first = register(randomUUID(), submissionId)
    const second = register(randomUUID(), submissionId)
    expect((await mutate('system', 'desk-a', [first]))[0]?.status).toBe('applied')
    const [r] = await mutate('system', 'desk-b', [second])
    expect(r).toMatchObject({
      status: 'conflict',
      current: { caseId: first.caseId, aktenzeichen: first.payload.aktenzeichen },
    })
  })

  it('verifies blob hashes on upload and requires referenced blobs', async () => {
    const bytes = Buffer.from('%PDF-1.7 Testdokument')
    const wrong = await call(`/office/v1/blobs/${'0'.repeat(64)}`, { method: 'PUT', body: bytes })
    expect(wrong.status).toBe(400)
    expect(((await wrong.json()) as { detail: string }).detail).toMatch(/Hash mismatch/)
    const doc = {
      id: randomUUID(),
      kind: 'anlage',
      title: 'Anlage',
      filename: 'a.pdf',
      mimeType: 'application/pdf',
      size: bytes.length,
      sha256: sha(bytes),
      createdAt: '2026-11-27T10:00:00.000Z',
    }
    const [missing] = await mutate('system', 'desk-a', [
      register(randomUUID(), randomUUID(), [doc]),
    ])
    expect(missing?.problem?.type).toMatch(/\/missing-blob$/)
    expect(
      (await call(`/office/v1/blobs/${doc.sha256}`, { method: 'PUT', body: bytes })).status,
    ).toBe(204)
    expect(
      (await call(`/office/v1/blobs/${doc.sha256}`, { method: 'PUT', body: bytes })).status,
    ).toBe(204)
    const back = await call(`/office/v1/blobs/${doc.sha256}`)
    expect(Buffer.from(await back.arrayBuffer()).equals(bytes)).toBe(true)
    expect(
      (await mutate('system', 'desk-a', [register(randomUUID(), randomUUID(), [doc])]))[0]?.status,
    ).toBe('applied')
    expect((await call(`/office/v1/blobs/${'a'.repeat(64)}`)).status).toBe(404)
  })

  it('pages the change feed from a cursor with by, version and mutation id', async () => {
    const all: {
      seq: number
      caseId: string
      version: number
      by: string
      payload: { mutationId: string }
    }[] = []
    let since = '0'
    for (;;) {
      const page = (await (await call(`/office/v1/changes?since=${since}&limit=3`)).json()) as {
        changes: typeof all
        next: string
        hasMore: boolean
      }
      all.push(...page.changes)
      since = page.next
      if (!page.hasMore) break
    }
    expect(all.length).toBeGreaterThan(6)
    expect(all.map((c) => c.seq)).toEqual([...all.map((c) => c.seq)].sort((a, b) => a - b))
    expect(new Set(all.map((c) => c.payload.mutationId)).size).toBe(all.length)
    expect(all.every((c) => c.by && c.version >= 1)).toBe(true)
    const tail = (await (await call(`/office/v1/changes?since=${since}`)).json()) as {
      changes: unknown[]
      next: string
      hasMore: boolean
    }
    expect(tail).toEqual({ changes: [], next: since, hasMore: false })
  })

  it('leases numbers unique office-wide, also to concurrent desks', async () => {
    const lease = async (deskId: string) => {
      const r = await call('/office/v1/leases', {
        method: 'POST',
        json: { fileCode: '661.3', year: 2026, count: 25, deskId },
      })
      expect(r.status).toBe(200)
      return ((await r.json()) as { numbers: number[] }).numbers
    }
    const got = await Promise.all(
      Array.from({ length: 10 }, (_, i) => lease(i % 2 ? 'desk-a' : 'desk-b')),
    )
    const all = got.flat()
    expect(all).toHaveLength(250)
    expect(new Set(all).size).toBe(250)
    // numbers a desk registered from its own sequence are never leased afterwards
    const caseId = randomUUID()
    const reg = register(caseId, null)
    reg.payload.aktenzeichen = '121.4-2026-000040'
    expect((await mutate('u-amueller', 'desk-a', [reg]))[0]?.status).toBe('applied')
    const next = (await (
      await call('/office/v1/leases', {
        method: 'POST',
        json: { fileCode: '121.4', year: 2026, count: 5 },
      })
    ).json()) as { numbers: number[] }
    expect(Math.min(...next.numbers)).toBeGreaterThan(40)
  })
})
