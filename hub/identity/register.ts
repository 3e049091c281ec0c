// Registering a desk without a running server (--register-desk, test harnesses): a hub running on
// the same folder keeps its port and idp.json and sees the new desk at once (same hub.sqlite).
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { bootstrapIfEmpty, writeHubConfig, type HubConfig } from '../bootstrap'
import { openStore } from '../store'
import { createDeskRegistry, type DeskCredential } from './desks'

/** For an initialized data folder (hub.json exists): registers one desk and appends it to hub.json. */
export function registerDeskSync(dataDir: string, deskId?: string): DeskCredential {
  const store = openStore(join(dataDir, 'hub.sqlite'))
  try {
    const config = JSON.parse(readFileSync(join(dataDir, 'hub.json'), 'utf8')) as HubConfig
    const credential = createDeskRegistry(store.db, Date.now).register(
      config.destinations.map((d) => d.destinationId),
      deskId,
    )
    writeHubConfig(dataDir, { ...config, desks: [...(config.desks ?? []), credential] })
    return credential
  } finally {
    store.close()
  }
}

/** The same for any folder; a new one is bootstrapped first. */
export async function registerDeskInFolder(
  dataDir: string,
  deskId?: string,
): Promise<DeskCredential> {
  if (!existsSync(join(dataDir, 'hub.json'))) {
    mkdirSync(dataDir, { recursive: true })
    const store = openStore(join(dataDir, 'hub.sqlite'))
    try {
      await bootstrapIfEmpty(store, dataDir)
    } finally {
      store.close()
    }
  }
  return registerDeskSync(dataDir, deskId)
}
