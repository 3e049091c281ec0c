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
  /** this desk's credential from the hub's desk registry (X-Aktenfluss-Desk) */
  desk: { deskId: string; secret: string }
}

/** Where users sign in (the office's OpenID Provider); setting `identity`. */
export interface IdentitySettings {
  issuer: string
  clientId: string
  scopes: string
}
export const DESK_CLIENT_ID = 'aktenfluss-desk'
export const DESK_SCOPES = 'openid profile offline_access'

const deskCredential = z.object({ deskId: z.string().min(1), secret: z.string().min(1) })
const idpJson = z.object({ issuer: z.string().url() })

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
  desks: z.array(deskCredential).optional(),
  identity: z.object({ issuer: z.string().url() }).loose().optional(),
})

/**
 * Configures the desk from a reference hub's hub.json: first destination, first subscriber client,
 * its key file, the desk credential (the first desk, or `deskId`) and where users sign in
 * (hub.json `identity`, else the embedded IdP's issuer from idp.json beside it).
 */
export function configureFromHubJson(
  db: Db,
  secrets: SecretStore,
  url: string,
  hubConfigPath: string,
  opts: { deskId?: string | undefined } = {},
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
  const desk = opts.deskId ? parsed.desks?.find((d) => d.deskId === opts.deskId) : parsed.desks?.[0]
  if (!desk)
    throw new Error(
      opts.deskId
        ? `hub.json enthält den Arbeitsplatz „${opts.deskId}“ nicht. Bitte den Arbeitsplatz am Hub registrieren (--register-desk).`
        : 'hub.json enthält keinen Arbeitsplatz (desks). Bitte den Hub einmal starten, damit er die Demo-Arbeitsplätze anlegt.',
    )
  let issuer = parsed.identity?.issuer
  if (!issuer) {
    try {
      issuer = idpJson.parse(
        JSON.parse(readFileSync(resolve(dirname(hubConfigPath), 'idp.json'), 'utf8')),
      ).issuer
    } catch {
      issuer = undefined // the hub has not listened yet: the desk learns it at the next configuration
    }
  }
  const keysFile = resolve(dirname(hubConfigPath), destination.privateKeysFile)
  const conn: HubConnection = {
    url: url.replace(/\/+$/, ''),
    destinationId: destination.destinationId,
    clientId: client.clientId,
    officeEnabled: true,
  }
  secrets.set('hub.clientSecret', client.clientSecret)
  secrets.set('hub.destinationKeys', readFileSync(keysFile, 'utf8'))
  secrets.set('hub.desk', JSON.stringify(desk))
  setSetting(db, 'hub', conn)
  if (issuer)
    setSetting(db, 'identity', {
      issuer,
      clientId: DESK_CLIENT_ID,
      scopes: DESK_SCOPES,
    } satisfies IdentitySettings)
  return conn
}

export function loadHubCredentials(db: Db, secrets: SecretStore): HubCredentials | undefined {
  const conn = getSetting<HubConnection>(db, 'hub')
  const clientSecret = secrets.get('hub.clientSecret')
  const destinationKeysJson = secrets.get('hub.destinationKeys')
  const deskJson = secrets.get('hub.desk')
  if (!conn || !clientSecret || !destinationKeysJson || !deskJson) return undefined
  const desk = deskCredential.safeParse(JSON.parse(deskJson))
  if (!desk.success) return undefined
  return { ...conn, clientSecret, destinationKeysJson, desk: desk.data }
}
