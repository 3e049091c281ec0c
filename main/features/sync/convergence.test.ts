// Property: two desks, random actions, network drops and hub restarts → desks and hub agree,
// every action took effect exactly once. A modest number of runs here; many in test:faults.
import { rmSync } from 'node:fs'
import fc from 'fast-check'
import { afterAll, beforeAll, it } from 'vitest'
import { convergenceProperty, type ConvergenceEnv } from '../../../testing/sync/convergenceCheck'
import { startTestHub } from '../../../testing/sync/testHarness'

const env = {} as ConvergenceEnv
beforeAll(async () => {
  env.hub = await startTestHub()
})
afterAll(async () => {
  await env.hub?.close()
  rmSync(env.hub.dataDir, { recursive: true, force: true })
})

it('desks and hub converge under random interleavings, drops and restarts', async () => {
  await fc.assert(convergenceProperty(env, 40), {
    numRuns: Number(process.env.CONVERGENCE_RUNS ?? 12),
    seed: Number(process.env.CONVERGENCE_SEED ?? 20261127),
    endOnFailure: true,
  })
}, 120_000)
