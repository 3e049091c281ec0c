// First start in an empty data folder: demo destination, clients, keys, hub.json.
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { readFileSync, writeFileSync, existsSync, chmodSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { generateRsaJwk, withX5c } from './keys'
import type { Jwk } from './keys'
import type { Store, ClientRole } from './store'

export interface HubConfig {
  destinations: { destinationId: string; encryptionKid: string; privateKeysFile: string }[]
  clients: { clientId: string; clientSecret: string; role: ClientRole }[]
  /** the registered desks and their secrets (the hub's registry keeps only SHA-256 of each) */
  desks?: { deskId: string; secret: string }[]
  /** an external OpenID Provider; absent = the embedded demo IdP under /oidc */
  identity?: { issuer: string; audience: string; userClaim?: string }
}

export const DEMO_DESKS = 3

export function writeHubConfig(dataDir: string, config: HubConfig): void {
  const configFile = join(dataDir, 'hub.json')
  writeFileSync(configFile, JSON.stringify(config, null, 2) + '\n', { mode: 0o600 })
  chmodSync(configFile, 0o600)
}

/** Content of the destination's private keys file (mode 0600, never served over HTTP). */
export interface DestinationKeysFile {
  format: 'aktenfluss-destination-keys/1'
  destinationId: string
  /** private RSA JWK, alg RSA-OAEP-256, use enc, with kid */
  encryptionKey: Jwk
  /** private RSA JWK, alg PS512, use sig, with kid */
  signatureKey: Jwk
}

/** Regions (ARS with the DE prefix) of the demo destination's services: the whole country. */
export const DEMO_REGIONS = ['DE']

export interface ServiceInfo {
  identifier: string
  name: string
  /** FIT-Connect's DestinationService.regions; absent in stores from before, filled on read */
  regions?: string[]
  submissionSchemas: { schemaUri: string; mimeType: string }[]
}

/** A file in the shipped assets/ folder, found by walking up from this module: from the sources,
 * from the Electron bundle in out/main (which embeds the demo hub) and inside an asar. */
export function shippedAsset(relative: string): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const candidate = join(dir, 'assets', relative)
    if (existsSync(candidate)) return candidate
    if (dirname(dir) === dir) throw new Error(`assets/${relative} nicht gefunden`)
  }
}

export const PROCEDURES_FILE = shippedAsset('procedures.json')

export function loadServices(file = PROCEDURES_FILE): ServiceInfo[] {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as {
    procedures: { name: string; leika: string; schemaUri: string }[]
  }
  return parsed.procedures.map((p) => ({
    identifier: `urn:de:fim:leika:leistung:${p.leika}`,
    name: p.name,
    regions: DEMO_REGIONS,
    submissionSchemas: [{ schemaUri: p.schemaUri, mimeType: 'application/json' }],
  }))
}

export const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex')

export async function bootstrapIfEmpty(store: Store, dataDir: string): Promise<HubConfig> {
  const configFile = join(dataDir, 'hub.json')
  const initialized = (await store.getMeta('initialized')) === '1'
  if (initialized && existsSync(configFile)) {
    return JSON.parse(readFileSync(configFile, 'utf8')) as HubConfig
  }
  // a shared database: configuration and keys of the data folder and the database belong together
  if (store.storage.backend === 'postgres' && initialized !== existsSync(configFile)) {
    throw new Error(
      initialized
        ? `Die Datenbank gehört zu einem eingerichteten Hub, aber ${configFile} fehlt: bitte den Datenordner (hub.json und Schlüsseldateien) des ersten Hub-Prozesses verwenden. / The database belongs to an initialized hub; use that hub's data folder.`
        : `Der Datenordner gehört zu einem eingerichteten Hub, die Datenbank ist aber leer: bitte die Datenbank dieses Hubs angeben oder einen neuen Datenordner verwenden. / The data folder belongs to another database.`,
    )
  }
  const [enc, sig, hubSig] = await Promise.all([
    generateRsaJwk('RSA-OAEP-256'),
    generateRsaJwk('PS512'),
    generateRsaJwk('PS512'),
  ])
  const destinationId = randomUUID()
  const privateKeysFile = resolve(dataDir, `destination-${destinationId}.keys.json`)
  const keysFile: DestinationKeysFile = {
    format: 'aktenfluss-destination-keys/1',
    destinationId,
    encryptionKey: enc.privateJwk,
    signatureKey: sig.privateJwk,
  }
  writeFileSync(privateKeysFile, JSON.stringify(keysFile, null, 2) + '\n', { mode: 0o600 })
  chmodSync(privateKeysFile, 0o600)

  const clients: HubConfig['clients'] = [
    {
      clientId: randomUUID(),
      clientSecret: randomBytes(32).toString('base64url'),
      role: 'subscriber',
    },
    { clientId: randomUUID(), clientSecret: randomBytes(32).toString('base64url'), role: 'sender' },
  ]
  const config: HubConfig = {
    destinations: [{ destinationId, encryptionKid: enc.kid, privateKeysFile }],
    clients,
  }
  await store.transaction(async () => {
    await store.q.insertDestination.run(
      destinationId,
      'active',
      enc.kid,
      sig.kid,
      JSON.stringify(loadServices()),
    )
    await store.q.insertDestKey.run(destinationId, enc.kid, JSON.stringify(enc.publicJwk))
    await store.q.insertDestKey.run(destinationId, sig.kid, JSON.stringify(sig.publicJwk))
    await store.q.insertHubKey.run(
      hubSig.kid,
      JSON.stringify(hubSig.privateJwk),
      JSON.stringify(hubSig.publicJwk),
    )
    for (const c of clients) {
      await store.q.insertClient.run(
        c.clientId,
        hashSecret(c.clientSecret),
        c.role,
        JSON.stringify(c.role === 'subscriber' ? [destinationId] : ['*']),
      )
    }
    await store.setMeta('initialized', '1')
  })
  writeHubConfig(dataDir, config)
  return config
}

/**
 * Every published key gets an `x5c` (FIT-Connect requires it): a self-signed certificate made
 * once from the private half — the destination's keys file, the hub's own key in the store — and
 * kept with the public JWK in the store. Runs at every start; a no-op when all keys have one.
 */
export async function ensureCertificates(store: Store, config: HubConfig): Promise<void> {
  const privateByKid = new Map<string, Jwk>()
  for (const d of config.destinations) {
    if (!existsSync(d.privateKeysFile)) continue
    const f = JSON.parse(readFileSync(d.privateKeysFile, 'utf8')) as DestinationKeysFile
    for (const k of [f.encryptionKey, f.signatureKey]) if (k.kid) privateByKid.set(k.kid, k)
  }
  for (const row of await store.q.destinationKeys.all()) {
    const pub = JSON.parse(row.jwk) as Jwk & { x5c?: string[] }
    const priv = privateByKid.get(row.kid)
    if (pub.x5c?.length || !priv) continue
    const next = await withX5c(pub, priv, `Aktenfluss destination ${row.destination_id}`)
    await store.q.setDestKeyJwk.run(JSON.stringify(next), row.destination_id, row.kid)
  }
  for (const row of await store.q.hubKeys.all()) {
    const pub = JSON.parse(row.public_jwk) as Jwk & { x5c?: string[] }
    if (pub.x5c?.length) continue
    const next = await withX5c(pub, JSON.parse(row.private_jwk) as Jwk, 'Aktenfluss hub')
    await store.q.setHubPublicJwk.run(JSON.stringify(next), row.kid)
  }
}
