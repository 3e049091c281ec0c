// Issue #14 acceptance: with the hub's fault switch on (20 % 5xx, 10 % resets, latency up to 2 s),
// 150 submissions and 100 local changes converge within 10 passes, and the outbox makes progress
// in every pass — whatever intake and the change feed suffer in the same pass.
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, expect, it } from 'vitest'
import { openDatabaseReadOnly } from '../../../db/open'
import { scalar, sql } from '../../../db/sql'
import type { RunningHub } from '../../../hub/server'
import { seedSubmissions } from '../../../hub/seed/seed'
import { makeTestDesk, startTestHub, type TestDesk } from '../../../testing/sync/testHarness'

const SUBMISSIONS = 150
const CHANGES = 100
const PASSES = 10
const MAX_LATENCY = Number(process.env.FAULT_LATENCY_MS ?? 2000)
const PDF = Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n')

let hub: RunningHub
let t: TestDesk
afterAll(async () => {
  await t?.desk.close()
  await hub?.close()
  if (hub) rmSync(hub.dataDir, { recursive: true, force: true })
})
const count = (q: ReturnType<typeof sql>) => Number(scalar(t.desk.ctx.db, q))
const hubNotes = () => {
  const db = openDatabaseReadOnly(join(hub.dataDir, 'hub.sqlite'))
  try {
    return Number(scalar(db, sql`SELECT count(*) FROM office_notes WHERE text LIKE 'Flaky %'`))
  } finally {
    db.close()
  }
}

it(`${SUBMISSIONS} submissions and ${CHANGES} local changes converge within ${PASSES} passes under the fault switch`, async () => {
  hub = await startTestHub()
  await seedSubmissions({
    hubUrl: hub.url,
    hubConfig: hub.config,
    count: SUBMISSIONS,
    seed: 'flaky',
    concurrency: 8,
  })
  t = makeTestDesk(hub, { office: { feedWatch: false } })
  await t.login('u-sbaeumer') // lead of team-soziales: notes on every Wohngeld case
  const cases: string[] = []
  for (let i = 0; i < 5; i++)
    cases.push(
      (
        await t.call<{ caseId: string }>('intake.create', {
          procedureId: 'wohngeld',
          applicantName: `Flora Flaky ${i}`,
          applicantAddress: 'Berliner Str. 5, 02826 Görlitz',
          channel: 'paper',
          assignToMe: true,
          attachments: [
            { filename: 'Antrag.pdf', mimeType: 'application/pdf', base64: PDF.toString('base64') },
          ],
        })
      ).caseId,
    )
  hub.setFaults({ errorRate: 0.2, resetRate: 0.1, maxLatencyMs: MAX_LATENCY })
  let notes = 0
  let pass = 0
  const log: string[] = []
  for (; pass < PASSES; pass++) {
    // the clerk keeps working while sync suffers: ten more local changes before each pass
    for (let i = 0; i < CHANGES / PASSES; i++, notes++)
      await t.call('casework.addNote', { id: cases[notes % cases.length]!, text: `Flaky ${notes}` })
    const sentBefore = count(sql`SELECT count(*) FROM outbox WHERE state = 'sent'`)
    const started = Date.now()
    const r = await t.desk.sync.retryNow()
    const sent = count(sql`SELECT count(*) FROM outbox WHERE state = 'sent'`) - sentBefore
    const stored = count(sql`SELECT count(*) FROM submissions WHERE outcome = 'accepted'`)
    log.push(
      `pass ${pass + 1}: ${Date.now() - started} ms, sent ${sent}, accepted ${stored}, ${r.error ?? 'ok'}`,
    )
    expect(sent, log.join('\n')).toBeGreaterThan(0) // the outbox made progress in this pass
    for (const m of Object.values(r.failures ?? {}))
      expect(m).toMatch(
        /^(Eingang|Ausgang|Änderungen anderer Arbeitsplätze|Aktenzeichen-Kontingent): /,
      )
    if (stored === SUBMISSIONS && t.desk.sync.status().pending === 0 && pass + 1 >= PASSES) break
  }
  console.log(log.join('\n'))
  expect(
    count(sql`SELECT count(*) FROM submissions WHERE outcome = 'accepted'`),
    log.join('\n'),
  ).toBe(SUBMISSIONS)
  expect(t.desk.sync.status(), log.join('\n')).toMatchObject({
    pending: 0,
    failed: 0,
    conflicts: 0,
  })
  hub.setFaults(false)
  expect(hubNotes()).toBe(CHANGES) // each once
}, 1_800_000)
