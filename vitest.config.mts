import { configDefaults, defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['{main,db,hub,preload,renderer,scripts,testing,common,bench}/**/*.test.{ts,tsx}'],
    // long fault suites (kill -9 rounds, many property runs) run with `npm run test:faults`
    exclude: [...configDefaults.exclude, '**/*.faults.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
})
