import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { z } from 'zod'
import { getSetting, setSetting } from '../../../db/repositories/settings'
import type { Db } from '../../../db/open'
import type { SecretStore } from '../../core/secrets'
import type { ResolvedDeskConfig } from '../../core/deskConfig'

export interface HubConnection {
  /** the office hub (and, for a reference hub, also its intake face) */
  url: string
  /** the first destination (all of them: the keys in the secret store) */
  destinationId: string
  clientId: string
  /** the office face (/office/v1); off for a single desk talking to FIT-Connect directly */
  officeEnabled: boolean
  /** FIT-Connect's Submission API when it is not the hub (configuration file); default `url` */
  submissionApiUrl?: string
  /** FIT-Connect's OAuth token endpoint (a separate host); default `<submission API>/token` */
  tokenUrl?: string
  /** the token request's scope (configuration file) */
  tokenScope?: string
  /** set when the configuration file configured the desk (main/core/deskConfig.ts) */
  configFile?: string
}
export interface HubCredentials extends HubConnection {
  clientSecret: string
  /** one destination keys file (hub/README.md), or a list of them (several destinations) */
  destinationKeysJson: string
  /** this desk's credential from the hub's desk registry (X-Aktenfluss-Desk) */
  desk: { deskId: string; secret: string }
}

/**
 * Configures the desk from the machine-wide configuration file (already validated and its secrets
 * read, main/core/deskConfig.ts): FIT-Connect's token and Submission API URLs, every destination
 * with its keys, the office hub with this desk's credential (none: single desk, no office face).
 * Applied at every start, so a changed file takes effect at the next one.
 */
export function configureFromDeskConfig(
  db: Db,
  secrets: SecretStore,
  config: ResolvedDeskConfig,
): HubConnection {
  const conn: HubConnection = {
    url: config.office?.url ?? config.submissionApiUrl,
    destinationId: config.destinations[0]!.destinationId,
    clientId: config.clientId,
    officeEnabled: Boolean(config.office),
    submissionApiUrl: config.submissionApiUrl,
    tokenUrl: config.tokenUrl,
    ...(config.scope ? { tokenScope: config.scope } : {}),
    configFile: config.path,
  }
  const keys = config.destinations.map((d) => ({
    format: 'aktenfluss-destination-keys/1',
    destinationId: d.destinationId,
    encryptionKey: d.decryptionKeys[0]!,
    signatureKey: d.signingKey,
    ...(d.decryptionKeys.length > 1 ? { decryptionKeys: d.decryptionKeys } : {}),
  }))
  secrets.set('hub.clientSecret', config.clientSecret)
  secrets.set('hub.destinationKeys', JSON.stringify(keys))
  // single desk: no office credential, the office phases are off (a placeholder is never sent)
  secrets.set(
    'hub.desk',
    JSON.stringify(
      config.office
        ? { deskId: config.office.deskId, secret: config.office.deskSecret }
        : { deskId: '-', secret: '-' },
    ),
  )
  setSetting(db, 'hub', conn)
  return conn
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
