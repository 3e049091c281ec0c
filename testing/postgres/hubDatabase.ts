// Which backend a hub test runs on: the `hub-pg` vitest project (vitest.config.ts) sets
// AKTENFLUSS_TEST_HUB_BACKEND=postgres and its globalSetup starts one cluster per run; every call
// here then creates a fresh, empty database (CREATE DATABASE … TEMPLATE template0). In the default
// project it returns undefined: the hub uses hub.sqlite in its data folder.
import pg from 'pg'
import { inject } from 'vitest'

let n = 0

/** 'postgres' in the hub-pg project, else 'sqlite'. */
export const testHubBackend = (): 'sqlite' | 'postgres' =>
  process.env['AKTENFLUSS_TEST_HUB_BACKEND'] === 'postgres' ? 'postgres' : 'sqlite'

/** A fresh database URL for one hub on the PostgreSQL run, undefined on the SQLite run. */
export async function testHubDatabase(): Promise<string | undefined> {
  if (testHubBackend() !== 'postgres') return undefined
  const url = inject('hubPgUrl')
  if (!url) throw new Error('hub-pg: kein PostgreSQL-Cluster (globalSetup)')
  const name = `hub_${process.pid}_${++n}_${Date.now().toString(36)}`
  const admin = new pg.Client({ connectionString: url })
  admin.on('error', () => undefined)
  await admin.connect()
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE template0`)
  } finally {
    await admin.end()
  }
  return url.replace(/\/[^/]*$/, `/${name}`)
}
