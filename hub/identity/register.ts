// Registering a desk without a running server (--register-desk, test harnesses): a hub running on
// the same folder (or the same database) sees the new desk at once.
import { randomUUID } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { bootstrapIfEmpty, writeHubConfig, type HubConfig } from '../bootstrap'
import { intakeStore } from '../store'
import { openHubSqlite, openHubStorage } from '../storage/hub'
import { DESK_STATEMENTS, createDeskRegistry, newDesk, type DeskCredential } from './desks'

const readConfig = (dataDir: string) =>
  JSON.parse(readFileSync(join(dataDir, 'hub.json'), 'utf8')) as HubConfig

/**
 * For an initialized data folder on SQLite (hub.json exists): registers one desk synchronously and
 * appends it to hub.json (test harnesses that cannot await).
 */
export function registerDeskSync(dataDir: string, deskId?: string): DeskCredential {
  const storage = openHubSqlite(dataDir)
  try {
    const config = readConfig(dataDir)
    const id = deskId ?? randomUUID()
    const { credential, row } = newDesk(
      config.destinations.map((d) => d.destinationId),
      id,
      Date.now(),
    )
    if (storage.db.prepare(DESK_STATEMENTS.get.sql).get(id))
      throw new Error(`Der Arbeitsplatz „${id}“ ist bereits registriert.`)
    storage.db.prepare(DESK_STATEMENTS.insert.sql).run(...row)
    writeHubConfig(dataDir, { ...config, desks: [...(config.desks ?? []), credential] })
    return credential
  } finally {
    storage.db.close()
  }
}

/** The same for any folder and either backend; a new folder is bootstrapped first. */
export async function registerDeskInFolder(
  dataDir: string,
  deskId?: string,
  database?: string,
): Promise<DeskCredential> {
  mkdirSync(dataDir, { recursive: true })
  const storage = await openHubStorage({ dataDir, database })
  try {
    const store = intakeStore(storage)
    if (!existsSync(join(dataDir, 'hub.json')))
      await storage.lock('hub.bootstrap', () => bootstrapIfEmpty(store, dataDir))
    const config = readConfig(dataDir)
    const credential = await createDeskRegistry(storage, Date.now).register(
      config.destinations.map((d) => d.destinationId),
      deskId,
    )
    writeHubConfig(dataDir, { ...config, desks: [...(config.desks ?? []), credential] })
    return credential
  } finally {
    await storage.close()
  }
}
