// The reference hub's documented fault switch (20 % 5xx, 10 % connection resets, random latency):
// intake and outbox still converge by retrying – nothing lost, nothing twice – and the status
// the UI shows says "retrying", not an error that needs a human.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { all, shape, sql } from '../../../db/sql'
import type { RunningHub } from '../../../hub/server'
import { seedSubmissions } from '../../../hub/seed/seed'
import { makeTestDesk, startTestHub, type TestDesk } from '../../../testing/sync/testHarness'

const textRow = shape({ text: 'text' })

let hub: RunningHub
let t: TestDesk
const MAX_LATENCY = Number(process.env.FAULT_LATENCY_MS ?? 40) // `npm run test:faults` style runs may set 2000

// the notes go on team-ordnung's cases, written by its lead (the hub checks per-case rights)
const LEAD = 'u-hjuengling'
const ORDNUNG = new Set(['sondernutzung', 'kfz', 'bussgeld', 'baugenehmigung'])

beforeAll(async () => {
  hub = await startTestHub()
  await seedSubmissions({ hubUrl: hub.url, hubConfig: hub.config, count: 8, seed: 'faulty' })
  t = makeTestDesk(hub)
  await t.login(LEAD)
}, 60_000)
afterAll(async () => {
  await t.desk.close()
  await hub.close()
})

it('intake and outbox converge through 5xx, resets and latency, showing "retrying"', async () => {
  hub.setFaults({ errorRate: 0.2, resetRate: 0.1, maxLatencyMs: MAX_LATENCY })
  const messages = new Set<string>()
  let cases: { id: string; procedureId: string }[] = []
  for (let pass = 0; pass < 60; pass++) {
    const r = await t.desk.sync.retryNow()
    if (r.error) messages.add(r.error)
    cases = (
      await t.call<{ rows: { id: string; procedureId: string }[] }>('cases.list', { view: 'alle' })
    ).rows
    const ours = cases.filter((c) => ORDNUNG.has(c.procedureId))
    if (cases.length === 8 && pass % 3 === 0 && ours.length > 0)
      await t.call('casework.addNote', {
        id: ours[pass % ours.length]!.id,
        text: `Vermerk ${pass}`,
      })
    const s = t.desk.sync.status()
    if (cases.length === 8 && s.pending === 0 && !r.error && pass > 10) break
  }
  hub.setFaults(false)
  await t.desk.sync.retryNow()
  expect(t.desk.sync.status()).toMatchObject({ pending: 0, conflicts: 0, failed: 0, online: true })
  // every submission became exactly one case and was accepted at the hub
  expect(cases).toHaveLength(8)
  const submissions = all(
    t.desk.ctx.db,
    sql`SELECT submission_id FROM submissions WHERE outcome = 'accepted'`,
    shape({ submission_id: 'text' }),
  )
  expect(new Set(submissions.map((s) => s.submission_id)).size).toBe(8)
  for (const s of submissions) expect(await hub.submissionState(s.submission_id)).toBe('accepted')
  // every note reached the office once: the change feed of a fresh desk has each exactly once
  const local = all(t.desk.ctx.db, sql`SELECT text FROM notes ORDER BY text`, textRow)
  // (the hub sends a desk the cases of its signed-in user's team: the lead's here)
  const fresh = makeTestDesk(hub)
  try {
    await fresh.login(LEAD)
    await fresh.desk.sync.retryNow()
    const remote = all(fresh.desk.ctx.db, sql`SELECT text FROM notes ORDER BY text`, textRow)
    expect(remote).toEqual(local)
  } finally {
    await fresh.desk.close()
  }
  // what the status bar showed while the faults lasted: retrying, in German, no stack traces
  expect(messages.size).toBeGreaterThan(0) // the faults did bite
  for (const m of messages) expect(m).toMatch(/erneut versucht|nicht erreichbar/)
})
