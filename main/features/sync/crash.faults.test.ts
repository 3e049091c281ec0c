// 50 rounds of SIGKILL during outbox push and intake (npm run test:faults).
import { rmSync } from 'node:fs'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { RunningHub } from '../../../hub/server'
import { ensureRendererBuilt, runCrashRounds } from '../../../testing/sync/crashCheck'
import { startTestHub } from '../../../testing/sync/testHarness'

let hub: RunningHub
beforeAll(async () => {
  ensureRendererBuilt()
  hub = await startTestHub()
})
afterAll(async () => {
  await hub?.close()
  rmSync(hub.dataDir, { recursive: true, force: true })
})

it('50 kill -9 rounds: lost 0, duplicated 0', async () => {
  const stats = await runCrashRounds(hub, {
    rounds: Number(process.env.CRASH_ROUNDS ?? 50),
    seed: Number(process.env.CRASH_SEED ?? 50),
    submissionsPerRound: 6,
    actionsPerRound: 25,
  })
  console.log('[crash]', JSON.stringify(stats))
  expect(stats.problems).toEqual([])
  expect({ lost: stats.lost, duplicated: stats.duplicated }).toEqual({ lost: 0, duplicated: 0 })
})
