// `npm run test:faults`: the long fault suites (*.faults.test.ts) — 50 kill -9 rounds, many
// property runs, the 10,000-mutation push. Not part of `npm test`.
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['{main,db,hub}/**/*.faults.test.ts'],
    environment: 'node',
    testTimeout: 1_800_000,
    hookTimeout: 600_000,
    pool: 'forks',
    fileParallelism: false,
  },
})
