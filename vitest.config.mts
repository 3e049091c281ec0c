import { existsSync, readdirSync } from 'node:fs'
import { configDefaults, defineConfig } from 'vitest/config'

// Debian's PostgreSQL (package postgresql; scripts/preflight.mjs names it when missing)
const hasPostgres =
  existsSync('/usr/lib/postgresql') &&
  readdirSync('/usr/lib/postgresql').some((v) => existsSync(`/usr/lib/postgresql/${v}/bin/initdb`))

const common = {
  environment: 'node',
  testTimeout: 30_000,
  hookTimeout: 60_000,
  pool: 'forks',
} as const

// the hub suite once more on PostgreSQL: one throwaway cluster per run, a fresh database per hub
// (testing/postgres/hubDatabase.ts)
const hubOnPostgres = {
  test: {
    ...common,
    name: 'hub-pg',
    include: [
      'hub/server.test.ts',
      'hub/office/{office,rights,feedPush,scaleOut}.test.ts',
      'hub/identity/identity.test.ts',
      'hub/conformance/submission-api.test.ts',
    ],
    env: { AKTENFLUSS_TEST_HUB_BACKEND: 'postgres' },
    globalSetup: ['testing/postgres/globalSetup.ts'],
  },
}

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          ...common,
          name: 'unit',
          include: [
            '{main,db,hub,preload,renderer,scripts,testing,common,bench}/**/*.test.{ts,tsx}',
          ],
          // long fault suites (kill -9 rounds, many property runs) run with `npm run test:faults`
          exclude: [...configDefaults.exclude, '**/*.faults.test.ts'],
        },
      },
      ...(hasPostgres ? [hubOnPostgres] : []),
    ],
  },
})
