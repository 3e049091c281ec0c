// --register-desk without starting a server: a running hub on the same folder keeps its port and idp.json.
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { bootstrapIfEmpty, writeHubConfig, type HubConfig } from '../bootstrap'
import { openStore } from '../store'
import { createDeskRegistry, type DeskCredential } from './desks'

export async function registerDeskInFolder(
  dataDir: string,
  deskId?: string,
): Promise<DeskCredential> {
  mkdirSync(dataDir, { recursive: true })
  const store = openStore(join(dataDir, 'hub.sqlite'))
  try {
    const fresh = !existsSync(join(dataDir, 'hub.json'))
    let config: HubConfig = await bootstrapIfEmpty(store, dataDir)
    if (!fresh) config = JSON.parse(readFileSync(join(dataDir, 'hub.json'), 'utf8')) as HubConfig
    const registry = createDeskRegistry(store.db, Date.now)
    const credential = registry.register(
      config.destinations.map((d) => d.destinationId),
      deskId,
    )
    writeHubConfig(dataDir, { ...config, desks: [...(config.desks ?? []), credential] })
    return credential
  } finally {
    store.close()
  }
}
