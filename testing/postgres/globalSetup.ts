// vitest globalSetup of the `hub-pg` project: one throwaway PostgreSQL cluster for the whole run
// (testing/postgres/cluster.ts); each hub in a test gets a fresh database of it (hubDatabase.ts).
import type { TestProject } from 'vitest/node'
import { findPgBin, startPgCluster } from './cluster'

declare module 'vitest' {
  export interface ProvidedContext {
    /** postgres://… of the run's cluster ('' when PostgreSQL is not installed) */
    hubPgUrl: string
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (!findPgBin()) {
    console.warn(
      'PostgreSQL fehlt: die Hub-Tests laufen nur auf SQLite (apt-get install postgresql).',
    )
    project.provide('hubPgUrl', '')
    return () => Promise.resolve()
  }
  const cluster = await startPgCluster()
  project.provide('hubPgUrl', cluster.url)
  return () => cluster.stop()
}
