// kill -9 during outbox push and intake: nothing lost, nothing twice (5 rounds; 50 in test:faults).
import { rmSync } from 'node:fs'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { RunningHub } from '../../../hub/server'
import { ensureRendererBuilt, runCrashRounds } from '../../../testing/sync/crashCheck'
import { startTestHub } from '../../../testing/sync/testHarness'

let hub: RunningHub
beforeAll(async () => {
  ensureRendererBuilt()
  hub = await startTestHub()
}, 600_000)
afterAll(async () => {
  await hub?.close()
  rmSync(hub.dataDir, { recursive: true, force: true })
})

it('survives SIGKILL at random points of sync and intake', async () => {
  const stats = await runCrashRounds(hub, {
    rounds: Number(process.env.CRASH_ROUNDS ?? 5),
    seed: 5,
  })
  console.log('[crash]', JSON.stringify(stats))
  expect(stats.problems).toEqual([])
  expect({ lost: stats.lost, duplicated: stats.duplicated }).toEqual({ lost: 0, duplicated: 0 })
  expect(stats.confirmedActions).toBeGreaterThan(0)
}, 300_000)
