// Two hub processes on one PostgreSQL database serve one office (issue #18, acceptance): desks on
// different processes converge, the same mutation posted to both at once is applied once, the
// change feed is the same from either process and strictly increasing, and Aktenzeichen leases
// are unique across processes. Real child processes (`hub/cli.ts --database …`), no stickiness.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deskUsers } from '../../bench/hub/load'
import type { HubProcess } from '../../bench/hub/procs'
import { SimDesk, changesPage, type Change } from '../../bench/hub/simDesk'
import { readHubTruth } from '../../bench/hub/truth'
import { header, scaleWorld, skipReason, type ScaleWorld } from './scale.testutil'

if (skipReason) console.warn(`hub/scale/twoProcesses.test.ts skipped: ${skipReason}`)

describe.skipIf(skipReason !== undefined)('two hub processes, one PostgreSQL database', () => {
  let w: ScaleWorld
  let p1: HubProcess
  let p2: HubProcess
  const user = (id: string) => deskUsers().find((u) => u.userId === id)!
  const tokenOf = (id: string) => () => w.idp.token(id)

  beforeAll(async () => {
    w = await scaleWorld(['desk-a', 'desk-b', 'pruefer'], 'hub_two')
    p1 = await w.start(w.databaseUrl('hub_two'))
    p2 = await w.start(w.databaseUrl('hub_two'))
  }, 120_000)
  afterAll(async () => {
    await w?.close()
  })

  async function feedFrom(url: string): Promise<Change[]> {
    const out: Change[] = []
    let since = '0'
    const token = await w.idp.token('u-rvoelkel') // records management: every team's cases
    for (;;) {
      const r = await fetch(`${url}/office/v1/changes?since=${since}&limit=7`, {
        headers: {
          'x-aktenfluss-desk': header(w.desks.pruefer!),
          authorization: `Bearer ${token}`,
        },
      })
      expect(r.status).toBe(200)
      const page = changesPage.parse(await r.json())
      out.push(...page.changes)
      since = page.next
      if (!page.hasMore) return out
    }
  }

  it('desk A on process 1 and desk B on process 2 converge to the same cases', async () => {
    const a = new SimDesk(w.desks['desk-a']!, user('u-jweiss'), [p1.url], tokenOf('u-jweiss'), 0)
    const b = new SimDesk(
      w.desks['desk-b']!,
      user('u-amueller'),
      [p2.url],
      tokenOf('u-amueller'),
      0,
    )
    for (let r = 0; r < 3; r++) {
      await Promise.all([
        a.nextBatch(r).then((m) => a.push(m)),
        b.nextBatch(r).then((m) => b.push(m)),
      ])
    }
    await Promise.all([a.pull(), b.pull()])
    expect([...a.results.values(), ...b.results.values()].every((s) => s === 'applied')).toBe(true)
    expect(a.cases.size).toBe(6)
    expect(JSON.stringify([...a.cases].sort())).toBe(JSON.stringify([...b.cases].sort()))
    const truth = await readHubTruth(w.dataDir, w.databaseUrl('hub_two'))
    for (const [id, c] of a.cases) expect(truth.cases.get(id)).toEqual(c)
  })

  it('the same mutation posted to both processes at once: one applied, one duplicate', async () => {
    const a = new SimDesk(w.desks['desk-a']!, user('u-jweiss'), [p1.url], tokenOf('u-jweiss'), 0)
    const [reg, take] = await a.nextBatch(0) // register and take (a clerk notes on own cases)
    await a.push([reg!, take!])
    const token = await w.idp.token('u-jweiss')
    for (let i = 0; i < 10; i++) {
      const note = {
        mutationId: randomUUID(),
        type: 'case.note',
        caseId: reg!.caseId,
        baseVersion: 0,
        at: new Date().toISOString(),
        payload: { noteId: randomUUID(), kind: 'note', text: `gleichzeitig ${i}` },
      }
      const post = (url: string) =>
        fetch(`${url}/office/v1/mutations`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-aktenfluss-desk': header(w.desks['desk-a']!),
            authorization: `Bearer ${token}`,
          },
          body: JSON.stringify({ deskId: 'desk-a', mutations: [note] }),
        }).then(async (r) => {
          expect(r.status).toBe(200)
          return ((await r.json()) as { results: { status: string }[] }).results[0]!.status
        })
      const statuses = await Promise.all([post(p1.url), post(p2.url)])
      expect(statuses.sort()).toEqual(['applied', 'duplicate'])
    }
    const truth = await readHubTruth(w.dataDir, w.databaseUrl('hub_two'))
    const ids = truth.changes.map((c) => c.mutationId)
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('the change feed read from either process is identical and strictly increasing', async () => {
    const [f1, f2] = await Promise.all([feedFrom(p1.url), feedFrom(p2.url)])
    expect(f1.length).toBeGreaterThan(10)
    expect(f2).toEqual(f1)
    for (let i = 1; i < f1.length; i++) expect(f1[i]!.seq).toBeGreaterThan(f1[i - 1]!.seq)
  })

  it('Aktenzeichen leases are unique across processes', async () => {
    const lease = (url: string, desk: 'desk-a' | 'desk-b') =>
      fetch(`${url}/office/v1/leases`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-aktenfluss-desk': header(w.desks[desk]!),
        },
        body: JSON.stringify({ fileCode: '632.1', year: 2026, count: 5 }),
      }).then(async (r) => {
        expect(r.status).toBe(200)
        return ((await r.json()) as { numbers: number[] }).numbers
      })
    const all = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        i % 2 ? lease(p1.url, 'desk-a') : lease(p2.url, 'desk-b'),
      ),
    )
    const numbers = all.flat()
    expect(numbers).toHaveLength(100)
    expect(new Set(numbers).size).toBe(100)
  })
})
