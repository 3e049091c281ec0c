// 10,000 queued mutations pushed to the hub (npm run test:faults); target ≥ 2,000 mutations/s.
import { rmSync } from 'node:fs'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { RunningHub } from '../../../hub/server'
import { measurePull, measurePush } from '../../../testing/sync/outboxPerf'
import { startTestHub } from '../../../testing/sync/testHarness'

let hub: RunningHub
beforeAll(async () => {
  hub = await startTestHub()
})
afterAll(async () => {
  await hub?.close()
  rmSync(hub.dataDir, { recursive: true, force: true })
})

it('pushes 10,000 queued mutations at ≥ 2,000/s', async () => {
  const r = await measurePush(hub, 10_000)
  console.log('[outbox push]', JSON.stringify(r))
  expect(r.perSecond).toBeGreaterThanOrEqual(2000)
  const p = await measurePull(hub)
  console.log('[change feed pull]', JSON.stringify(p))
  expect(p.applied).toBeGreaterThanOrEqual(10_000)
})
