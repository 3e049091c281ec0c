// Many runs of the two-desk convergence property (npm run test:faults).
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

it('desks and hub converge: 200 runs of up to 60 actions', async () => {
  await fc.assert(convergenceProperty(env, 60), {
    numRuns: Number(process.env.CONVERGENCE_RUNS ?? 200),
    ...(process.env.CONVERGENCE_SEED ? { seed: Number(process.env.CONVERGENCE_SEED) } : {}),
  })
})
