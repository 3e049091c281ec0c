// Two hub processes (two servers, two connection pools) on one PostgreSQL database and one data
// folder (#18 point 2): the same mutation posted to both at once is applied exactly once, leases
// stay unique, and the change feed read from either is the same and strictly increasing.
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testHubBackend, testHubDatabase } from '../../testing/postgres/hubDatabase'
import { mintDemoAccessToken } from '../identity/mint'
import { startHub, type RunningHub } from '../server'
import { m, register, type Result } from './office.testutil'

describe.skipIf(testHubBackend() !== 'postgres')('two hub processes on one PostgreSQL', () => {
  let dir: string
  let a: RunningHub
  let b: RunningHub
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hub-scale-'))
    const database = (await testHubDatabase())!
    a = await startHub({ dataDir: dir, database })
    b = await startHub({ dataDir: dir, database })
  }, 60_000)
  afterAll(async () => {
    await a?.close()
    await b?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const desk = () => a.config.desks![0]!
  async function post(hub: RunningHub, path: string, json: unknown, user?: string) {
    const d = desk()
    const token = user
      ? await mintDemoAccessToken({ dataDir: dir, userId: user, issuer: hub.issuer })
      : undefined
    return fetch(`${hub.url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-aktenfluss-desk': `${d.deskId}:${d.secret}`,
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify(json),
    })
  }
  const mutate = async (hub: RunningHub, user: string, mutations: unknown[]) => {
    const r = await post(hub, '/office/v1/mutations', { deskId: desk().deskId, mutations }, user)
    expect(r.status).toBe(200)
    return ((await r.json()) as { results: Result[] }).results
  }
  async function feed(hub: RunningHub): Promise<number[]> {
    const d = desk()
    const token = await mintDemoAccessToken({
      dataDir: dir,
      userId: 'u-amueller',
      issuer: hub.issuer,
    })
    const r = await fetch(`${hub.url}/office/v1/changes?since=0&limit=5000`, {
      headers: { 'x-aktenfluss-desk': `${d.deskId}:${d.secret}`, authorization: `Bearer ${token}` },
    })
    return ((await r.json()) as { changes: { seq: number }[] }).changes.map((c) => c.seq)
  }

  it('the second process shares the first one’s configuration and desks', () => {
    expect(b.config.destinations).toEqual(a.config.destinations)
    expect(b.config.desks).toEqual(a.config.desks)
  })

  it('the same mutations posted to both at once: each exactly once applied, once duplicate', async () => {
    const cases = Array.from({ length: 8 }, () => register(randomUUID(), null))
    const [ra, rb] = await Promise.all([
      mutate(a, 'u-amueller', cases),
      mutate(b, 'u-amueller', cases),
    ])
    for (let i = 0; i < cases.length; i++)
      expect([ra[i]!.status, rb[i]!.status].sort()).toEqual(['applied', 'duplicate'])
    // then an assignment on each case, again through both at once
    const notes = cases.map((c) =>
      m('case.assign', c.caseId, 1, { assignee: 'u-amueller', previous: null }),
    )
    const [na, nb] = await Promise.all([
      mutate(a, 'u-amueller', notes),
      mutate(b, 'u-amueller', notes),
    ])
    for (let i = 0; i < notes.length; i++)
      expect([na[i]!.status, nb[i]!.status].sort()).toEqual(['applied', 'duplicate'])
    const seqA = await feed(a)
    expect(await feed(b)).toEqual(seqA)
    expect(seqA).toHaveLength(16)
    expect(seqA.every((s, i) => i === 0 || s > seqA[i - 1]!)).toBe(true)
  }, 60_000)

  it('a reader pulling with a cursor while both processes write never skips a change', async () => {
    const d = desk()
    const page = async (hub: RunningHub, since: number) => {
      const token = await mintDemoAccessToken({
        dataDir: dir,
        userId: 'u-amueller',
        issuer: hub.issuer,
      })
      const r = await fetch(`${hub.url}/office/v1/changes?since=${since}&limit=5000`, {
        headers: {
          'x-aktenfluss-desk': `${d.deskId}:${d.secret}`,
          authorization: `Bearer ${token}`,
        },
      })
      if (r.status !== 200) throw new Error(`changes: HTTP ${r.status} ${await r.text()}`)
      return (await r.json()) as { changes: { seq: number; payload: { mutationId: string } }[] }
    }
    const written: string[] = []
    let done = false
    // one case per writer, assigned to the clerk; then 6 writers, alternating between the
    // processes, 8 batches of 4 notes each on their own case (no row shared between writers:
    // commits can overtake each other, which is where a naive sequence lets a reader skip)
    const cases = Array.from({ length: 6 }, () => register(randomUUID(), null))
    await mutate(a, 'u-amueller', cases)
    await mutate(
      a,
      'u-amueller',
      cases.map((c) => m('case.assign', c.caseId, 1, { assignee: 'u-amueller', previous: null })),
    )
    const start = (await feed(a)).at(-1) ?? 0
    const writers = Promise.all(
      cases.map(async (c, k) => {
        const hub = k % 2 === 0 ? a : b
        for (let i = 0; i < 8; i++) {
          const batch = Array.from({ length: 4 }, () =>
            m('case.note', c.caseId, 2, { noteId: randomUUID(), kind: 'note', text: 'Vermerk' }),
          )
          const results = await mutate(hub, 'u-amueller', batch)
          expect(results.map((r) => r.status)).toEqual(batch.map(() => 'applied'))
          written.push(...batch.map((x) => x.mutationId))
        }
      }),
    ).finally(() => (done = true))
    // the reader alternates between the processes too and moves its cursor after every page
    const seen: string[] = []
    let cursor = start
    let increasing = true
    for (let round = 0, last = false; ; round++) {
      for (const c of (await page(round % 2 === 0 ? a : b, cursor)).changes) {
        if (c.seq <= cursor) increasing = false
        cursor = c.seq
        seen.push(c.payload.mutationId)
      }
      if (last) break
      if (done) last = true
    }
    await writers
    expect(increasing).toBe(true)
    expect(new Set(seen).size).toBe(seen.length)
    expect(seen.sort()).toEqual([...written].sort())
  }, 60_000)

  it('leases taken through both processes at once never overlap', async () => {
    const lease = async (hub: RunningHub) => {
      const r = await post(hub, '/office/v1/leases', { fileCode: '632.9', year: 2026, count: 5 })
      expect(r.status).toBe(200)
      return ((await r.json()) as { numbers: number[] }).numbers
    }
    const all = (await Promise.all([a, b, a, b, a, b].map(lease))).flat()
    expect(new Set(all).size).toBe(30)
    expect(Math.max(...all)).toBe(30)
  }, 60_000)
})
