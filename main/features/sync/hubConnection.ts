import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { z } from 'zod'
import { getSetting, setSetting } from '../../../db/repositories/settings'
import type { Db } from '../../../db/open'
import type { SecretStore } from '../../core/secrets'

export interface HubConnection {
  url: string
  destinationId: string
  clientId: string
  /** the office face (/office/v1); off for a single desk talking to FIT-Connect directly */
  officeEnabled: boolean
}
export interface HubCredentials extends HubConnection {
  clientSecret: string
  destinationKeysJson: string
}

const hubJson = z.object({
  destinations: z
    .array(
      z.object({
        destinationId: z.string(),
        encryptionKid: z.string(),
        privateKeysFile: z.string(),
      }),
    )
    .min(1),
  clients: z.array(
    z.object({
      clientId: z.string(),
      clientSecret: z.string(),
      role: z.enum(['subscriber', 'sender']),
    }),
  ),
})

/** Configures the desk from a reference hub's hub.json: first destination, first subscriber client, its key file. */
export function configureFromHubJson(
  db: Db,
  secrets: SecretStore,
  url: string,
  hubConfigPath: string,
): HubConnection {
  let parsed: z.infer<typeof hubJson>
  try {
    parsed = hubJson.parse(JSON.parse(readFileSync(hubConfigPath, 'utf8')))
  } catch (err) {
    throw new Error(
      `hub.json „${hubConfigPath}“ ist nicht lesbar oder unvollständig: ${err instanceof Error ? err.message : String(err)}`,
    )
  }
  const destination = parsed.destinations[0]!
  const client = parsed.clients.find((c) => c.role === 'subscriber')
  if (!client) throw new Error('hub.json enthält keinen Client mit der Rolle subscriber.')
  const keysFile = resolve(dirname(hubConfigPath), destination.privateKeysFile)
  const conn: HubConnection = {
    url: url.replace(/\/+$/, ''),
    destinationId: destination.destinationId,
    clientId: client.clientId,
    officeEnabled: true,
  }
  secrets.set('hub.clientSecret', client.clientSecret)
  secrets.set('hub.destinationKeys', readFileSync(keysFile, 'utf8'))
  setSetting(db, 'hub', conn)
  return conn
}

export function loadHubCredentials(db: Db, secrets: SecretStore): HubCredentials | undefined {
  const conn = getSetting<HubConnection>(db, 'hub')
  const clientSecret = secrets.get('hub.clientSecret')
  const destinationKeysJson = secrets.get('hub.destinationKeys')
  if (!conn || !clientSecret || !destinationKeysJson) return undefined
  return { ...conn, clientSecret, destinationKeysJson }
}
