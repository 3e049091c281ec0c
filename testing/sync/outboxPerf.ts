// Throughput of the outbox push (tests only): N queued mutations on one desk → the hub.
import type { RunningHub } from '../../hub/server'
import { addNote } from '../../main/features/casework/actions'
import { createOfficeClient } from '../../main/hub-client'
import { loadHubCredentials } from '../../main/features/sync/hubConnection'
import { pushOutbox } from '../../main/features/sync/outbox'
import { demoTokenSource, makeTestDesk } from './testHarness'

export async function measurePush(
  hub: RunningHub,
  count: number,
  batchSize = 200,
): Promise<{ count: number; ms: number; perSecond: number; batches: number; queueMs: number }> {
  const t = makeTestDesk(hub)
  try {
    // the hub checks per-case rights: the lead of team-ordnung may note on every case it registers
    await t.login('u-hjuengling')
    const { caseId } = await t.call<{ caseId: string }>('intake.create', {
      procedureId: 'bussgeld',
      applicantName: 'Last Test',
      applicantAddress: 'A 1',
      channel: 'paper',
    })
    await t.desk.sync.run()
    const q0 = performance.now()
    const cases = [caseId]
    for (let i = 0; i < 20; i++)
      cases.push(
        (
          await t.call<{ caseId: string }>('intake.create', {
            procedureId: 'kfz',
            applicantName: `Last ${i}`,
            applicantAddress: 'A 1',
            channel: 'phone',
          })
        ).caseId,
      )
    for (let i = 0; i < count - 20; i++)
      addNote(t.desk.ctx, cases[i % cases.length]!, `Vermerk ${i}`, 'note')
    const queueMs = performance.now() - q0
    const creds = loadHubCredentials(t.desk.ctx.db, t.desk.secrets)!
    const office = createOfficeClient({ baseUrl: creds.url, desk: creds.desk })
    const t0 = performance.now()
    const r = await pushOutbox(t.desk.ctx, {
      office,
      tokens: demoTokenSource(hub.dataDir),
      batchSize,
    })
    const ms = performance.now() - t0
    if (r.sent !== count) throw new Error(`pushed ${r.sent} of ${count}: ${JSON.stringify(r)}`)
    return {
      count,
      ms: Math.round(ms),
      perSecond: Math.round((count / ms) * 1000),
      batches: r.batches,
      queueMs: Math.round(queueMs),
    }
  } finally {
    await t.desk.close()
  }
}

/** A fresh desk pulls the whole change feed (every case and mutation of the office so far). */
export async function measurePull(
  hub: RunningHub,
): Promise<{ applied: number; ms: number; perSecond: number }> {
  const t = makeTestDesk(hub)
  try {
    await t.login('u-hjuengling') // the change feed sends the cases of the signed-in user's team
    const t0 = performance.now()
    const r = await t.desk.sync.run()
    const ms = performance.now() - t0
    const applied = r.changes?.applied ?? 0
    return { applied, ms: Math.round(ms), perSecond: Math.round((applied / ms) * 1000) }
  } finally {
    await t.desk.close()
  }
}
