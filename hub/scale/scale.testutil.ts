// Shared set-up of the scale-out tests (issue #18): a throwaway PostgreSQL cluster, a hub data
// folder whose desks are registered through the hub's registry and whose identity is an external
// IdP stand-in (one issuer for every process), and hub processes started as `hub/cli.ts`.
// The tests skip (with the reason) when PostgreSQL is not installed or the hub has no --database.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { startLoopbackIdp, type LoopbackIdp } from '../../bench/hub/idp'
import {
  hubSupportsDatabase,
  registerDesks,
  startHubProcess,
  useExternalIdentity,
  type DeskCredential,
  type HubProcess,
} from '../../bench/hub/procs'
import { findPgBin, startPgCluster, type PgCluster } from '../../testing/postgres/cluster'

export const skipReason = !findPgBin()
  ? 'PostgreSQL fehlt: apt-get install postgresql'
  : !hubSupportsDatabase()
    ? 'the hub has no --database option yet'
    : undefined

export interface ScaleWorld {
  cluster: PgCluster
  dataDir: string
  idp: LoopbackIdp
  desks: Record<string, DeskCredential>
  databaseUrl(name: string): string
  createDatabase(name: string): Promise<string>
  start(database: string): Promise<HubProcess>
  close(): Promise<void>
}

export async function scaleWorld(deskIds: string[], database: string): Promise<ScaleWorld> {
  const cluster = await startPgCluster()
  const procs: HubProcess[] = []
  const dataDir = mkdtempSync(join(tmpdir(), 'aktenfluss-scale-'))
  const idp = await startLoopbackIdp()
  const createDatabase = async (name: string) => {
    const admin = new pg.Client({ connectionString: cluster.url })
    admin.on('error', () => {})
    await admin.connect()
    try {
      await admin.query(`CREATE DATABASE ${name}`)
    } finally {
      await admin.end()
    }
    return cluster.urlFor(name)
  }
  try {
    const url = await createDatabase(database)
    const creds = await registerDesks(dataDir, deskIds, url)
    await useExternalIdentity(dataDir, idp.issuer)
    return {
      cluster,
      dataDir,
      idp,
      desks: Object.fromEntries(creds.map((c) => [c.deskId, c])),
      databaseUrl: (name) => cluster.urlFor(name),
      createDatabase,
      start: async (db) => {
        const p = await startHubProcess({ dataDir, database: db })
        procs.push(p)
        return p
      },
      close: async () => {
        await Promise.all(procs.map((p) => p.stop()))
        await idp.close()
        await cluster.stop()
        rmSync(dataDir, { recursive: true, force: true })
      },
    }
  } catch (e) {
    await idp.close()
    await cluster.stop()
    rmSync(dataDir, { recursive: true, force: true })
    throw e
  }
}

export const header = (c: DeskCredential) => `${c.deskId}:${c.secret}`
