/**
 * The machine-wide desk configuration that municipal IT deploys (issue #16, point 2;
 * docs/operations-desk.md "Configuration file"): where FIT-Connect's token endpoint and Submission
 * API are, the destinations with their private keys, the office hub with the desk credential and
 * the identity provider. Validated with zod; every error is German and names the file and field.
 *
 * Written for the attacker who holds (or can write) the file: secrets never stand in it — they are
 * files (owner-only, checked) or entries of the desk's encrypted secret store; the file itself must
 * not be writable by other accounts (whoever can change `tokenUrl` receives the client secret);
 * every URL is https (plain http only on loopback, for tests and a local hub).
 */
import { readFileSync, statSync, type Stats } from 'node:fs'
import { DeskConfigError, checkConfigFile, readSecretFile } from './secretFiles'
import { dirname, isAbsolute, posix, resolve, win32 } from 'node:path'
import { z } from 'zod'
import type { SecretStore } from './secrets'

export const CONFIG_ENV = 'AKTENFLUSS_CONFIG'
/** secret-store entries imported by `--import-secret NAME=FILE` live under this prefix */
export const IMPORTED_SECRET_PREFIX = 'config.'
export const DEFAULT_IDENTITY_CLIENT_ID = 'aktenfluss-desk'
export const DEFAULT_IDENTITY_SCOPES = 'openid profile offline_access'

export { DeskConfigError, readSecretFile } from './secretFiles'

export type ConfigSource = 'cli' | 'env' | 'machine'
export interface LocatedConfig {
  path: string
  source: ConfigSource
}

/** The machine-wide path for this platform (Windows %ProgramData%, Linux /etc, macOS /Library). */
export function machineConfigPath(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string {
  if (platform === 'win32')
    return win32.join(
      env.ProgramData ?? env.PROGRAMDATA ?? 'C:\\ProgramData',
      'Aktenfluss',
      'config.json',
    )
  if (platform === 'darwin') return '/Library/Application Support/Aktenfluss/config.json'
  return posix.join('/etc', 'aktenfluss', 'config.json')
}

/**
 * Which configuration file applies: `--config` over `AKTENFLUSS_CONFIG` over the machine-wide
 * file. A path given explicitly must exist; a missing machine-wide file means "not configured".
 */
export function locateDeskConfig(opts: {
  cliPath?: string | undefined
  env: NodeJS.ProcessEnv
  platform: NodeJS.Platform
  exists: (path: string) => boolean
}): LocatedConfig | undefined {
  const explicit: [string | undefined, ConfigSource, string][] = [
    [opts.cliPath, 'cli', '--config'],
    [opts.env[CONFIG_ENV], 'env', CONFIG_ENV],
  ]
  for (const [given, source, label] of explicit) {
    if (!given) continue
    const path = resolve(given)
    if (!opts.exists(path))
      throw new DeskConfigError(
        `Die Konfigurationsdatei „${path}“ (angegeben mit ${label}) gibt es nicht. Bitte den Pfad prüfen.`,
      )
    return { path, source }
  }
  const machine = machineConfigPath(opts.platform, opts.env)
  return opts.exists(machine) ? { path: machine, source: 'machine' } : undefined
}

// ---------------------------------------------------------------------------------------------
// the schema

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]'])
const url = z.string().superRefine((value, ctx) => {
  let u: URL
  try {
    u = new URL(value)
  } catch {
    ctx.addIssue({ code: 'custom', message: `„${value}“ ist keine gültige Adresse (URL).` })
    return
  }
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && LOOPBACK.has(u.hostname)))
    ctx.addIssue({
      code: 'custom',
      message: `„${value}“ muss mit https:// beginnen (http:// nur für 127.0.0.1/localhost).`,
    })
  else if (u.username || u.password || u.search || u.hash)
    ctx.addIssue({
      code: 'custom',
      message: `„${value}“ darf weder Zugangsdaten noch ?-Parameter oder #-Anker enthalten.`,
    })
})
const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, {
  message: 'ist keine UUID (z. B. 1b2c3d4e-…, wie im Self-Service-Portal angezeigt).',
})
const name = z.string().min(1).max(200)
const INLINE_SECRET =
  'Geheimnisse stehen nie im Klartext in der Konfigurationsdatei: bitte {"file": "/pfad"} (Datei nur für den Eigentümer lesbar) oder {"secretStore": "NAME"} (einmal importiert mit --import-secret NAME=DATEI) angeben.'
const secretRef = z.union(
  [
    z.object({ file: z.string().min(1) }).strict(),
    z.object({ secretStore: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/) }).strict(),
  ],
  { error: INLINE_SECRET },
)
export type SecretRef = z.infer<typeof secretRef>

const configSchema = z
  .object({
    $schema: z.string().optional(),
    fitConnect: z
      .object({
        tokenUrl: url,
        submissionApiUrl: url,
        clientId: name,
        clientSecret: secretRef,
        /** the token request's scope (space-separated); absent: the client's default scopes */
        scope: z.string().min(1).max(2000).optional(),
        destinations: z
          .array(
            z
              .object({
                destinationId: uuid,
                decryptionKeys: z.array(secretRef).min(1).max(10),
                signingKey: secretRef,
              })
              .strict(),
          )
          .min(1)
          .max(20),
      })
      .strict(),
    office: z.object({ url, deskId: name, deskSecret: secretRef }).strict().optional(),
    identity: z
      .object({
        issuer: url,
        clientId: name.default(DEFAULT_IDENTITY_CLIENT_ID),
        scopes: z.string().min(1).max(500).default(DEFAULT_IDENTITY_SCOPES),
        userClaim: name.optional(),
      })
      .strict(),
  })
  .strict()
export type DeskConfigFile = z.infer<typeof configSchema>

/** A zod issue in German: which field, what is wrong. */
function germanIssue(issue: z.core.$ZodIssue, file: string): string {
  const field = issue.path.length ? issue.path.map(String).join('.') : '(Wurzel)'
  let what: string
  switch (issue.code) {
    case 'invalid_type':
      what =
        issue.input === undefined
          ? 'fehlt. Bitte ergänzen.'
          : `hat den falschen Typ (erwartet: ${issue.expected}).`
      break
    case 'unrecognized_keys':
      what = `enthält unbekannte Felder: ${issue.keys.join(', ')} (Tippfehler?).`
      break
    case 'too_small':
      what =
        issue.origin === 'array'
          ? `braucht mindestens ${String(issue.minimum)} Eintrag/Einträge.`
          : 'darf nicht leer sein.'
      break
    case 'too_big':
      what = `ist zu groß (höchstens ${String(issue.maximum)}).`
      break
    case 'invalid_union':
      what = INLINE_SECRET
      break
    default:
      what = issue.message
  }
  return `Konfigurationsdatei „${file}“, Feld „${field}“: ${what}`
}

// ---------------------------------------------------------------------------------------------
// reading and resolving

export interface LoadedDeskConfig {
  path: string
  config: DeskConfigFile
}

/** Reads and validates the file (German errors naming file and field); secrets are not read yet. */
export function readDeskConfig(
  path: string,
  platform: NodeJS.Platform = process.platform,
): LoadedDeskConfig {
  let text: string
  let st: Stats
  try {
    st = statSync(path)
    text = readFileSync(path, 'utf8')
  } catch (err) {
    throw new DeskConfigError(
      `Die Konfigurationsdatei „${path}“ ist nicht lesbar (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}).`,
    )
  }
  checkConfigFile(path, st, platform)
  let json: unknown
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, '')) // Windows editors write a BOM
  } catch (err) {
    throw new DeskConfigError(
      `Die Konfigurationsdatei „${path}“ ist kein gültiges JSON: ${(err as Error).message}`,
    )
  }
  const parsed = configSchema.safeParse(json)
  if (!parsed.success)
    throw new DeskConfigError(parsed.error.issues.map((i) => germanIssue(i, path)).join('\n'))
  return { path, config: parsed.data }
}

export interface ResolvedDeskConfig {
  path: string
  tokenUrl: string
  /** without a trailing /v1: the client adds the API version to every path */
  submissionApiUrl: string
  clientId: string
  clientSecret: string
  scope?: string
  destinations: { destinationId: string; decryptionKeys: PrivateJwk[]; signingKey: PrivateJwk }[]
  office?: { url: string; deskId: string; deskSecret: string }
  identity: { issuer: string; clientId: string; scopes: string; userClaim?: string }
  /** German warnings (group-readable key files); the adapters print them */
  warnings: string[]
}

const trimUrl = (u: string) => u.replace(/\/+$/, '')

/** a private RSA JWK as FITKO's tools and the Self-Service-Portal's key generator write them */
export type PrivateJwk = { kty: 'RSA'; kid: string; n: string; e: string; d: string } & Record<
  string,
  unknown
>
const privateJwk = z
  .object({
    kty: z.literal('RSA'),
    kid: z.string().min(1),
    n: z.string().min(1),
    e: z.string().min(1),
    d: z.string().min(1),
    p: z.string().min(1),
    q: z.string().min(1),
    alg: z.string().optional(),
  })
  .loose()

function parseJwk(text: string, where: string, alg: 'RSA-OAEP-256' | 'PS512'): PrivateJwk {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    throw new DeskConfigError(`${where}: Der Schlüssel ist kein JSON (erwartet: ein privater JWK).`)
  }
  const p = privateJwk.safeParse(json)
  if (!p.success)
    throw new DeskConfigError(
      `${where}: Der Schlüssel ist kein privater RSA-Schlüssel im JWK-Format (kty „RSA“, kid, n, e, d, p, q). Bitte den privaten Schlüssel angeben, nicht den öffentlichen.`,
    )
  if (p.data.alg && p.data.alg !== alg)
    throw new DeskConfigError(
      `${where}: Der Schlüssel ist für „${p.data.alg}“ bestimmt, hier wird ein ${alg === 'PS512' ? 'Signaturschlüssel (PS512)' : 'Entschlüsselungsschlüssel (RSA-OAEP-256)'} gebraucht.`,
    )
  return p.data
}

/** Reads every secret the configuration names, from its file or from the desk's secret store. */
export function resolveDeskConfig(
  loaded: LoadedDeskConfig,
  secrets: SecretStore,
  platform: NodeJS.Platform = process.platform,
): ResolvedDeskConfig {
  const warnings: string[] = []
  const base = dirname(loaded.path)
  const whereOf = (field: string) => `Konfigurationsdatei „${loaded.path}“, Feld „${field}“`
  const key = (ref: SecretRef, field: string, alg: 'RSA-OAEP-256' | 'PS512') =>
    parseJwk(read(ref, field), whereOf(field), alg)
  const read = (ref: SecretRef, field: string): string => {
    const where = whereOf(field)
    if ('file' in ref) {
      const file = isAbsolute(ref.file) ? ref.file : resolve(base, ref.file)
      const got = readSecretFile(file, where, platform)
      if (got.warning) warnings.push(got.warning)
      if (!got.value) throw new DeskConfigError(`${where}: Die Datei „${file}“ ist leer.`)
      return got.value
    }
    const value = secrets.get(IMPORTED_SECRET_PREFIX + ref.secretStore)
    if (!value)
      throw new DeskConfigError(
        `${where}: Das Geheimnis „${ref.secretStore}“ ist in diesem Arbeitsplatz noch nicht hinterlegt. Bitte einmal mit „--import-secret ${ref.secretStore}=DATEI“ importieren.`,
      )
    return value
  }
  const c = loaded.config
  const fc = c.fitConnect
  return {
    path: loaded.path,
    tokenUrl: fc.tokenUrl,
    submissionApiUrl: trimUrl(fc.submissionApiUrl).replace(/\/v1$/, ''),
    clientId: fc.clientId,
    clientSecret: read(fc.clientSecret, 'fitConnect.clientSecret'),
    ...(fc.scope ? { scope: fc.scope } : {}),
    destinations: fc.destinations.map((d, i) => ({
      destinationId: d.destinationId.toLowerCase(),
      decryptionKeys: d.decryptionKeys.map((k, j) =>
        key(k, `fitConnect.destinations.${i}.decryptionKeys.${j}`, 'RSA-OAEP-256'),
      ),
      signingKey: key(d.signingKey, `fitConnect.destinations.${i}.signingKey`, 'PS512'),
    })),
    ...(c.office
      ? {
          office: {
            url: trimUrl(c.office.url),
            deskId: c.office.deskId,
            deskSecret: read(c.office.deskSecret, 'office.deskSecret'),
          },
        }
      : {}),
    identity: {
      issuer: c.identity.issuer,
      clientId: c.identity.clientId,
      scopes: c.identity.scopes,
      ...(c.identity.userClaim ? { userClaim: c.identity.userClaim } : {}),
    },
    warnings,
  }
}

/**
 * `--import-secret NAME=FILE`: seals the file's content into the desk's secret store once (the
 * same permission checks as a file reference); afterwards IT may delete the file.
 */
export function importSecret(
  secrets: SecretStore,
  spec: string,
  platform: NodeJS.Platform = process.platform,
): { name: string; warning?: string } {
  const m = /^([A-Za-z0-9][A-Za-z0-9._-]{0,99})=(.+)$/.exec(spec)
  if (!m)
    throw new DeskConfigError(
      `--import-secret „${spec}“: bitte als NAME=DATEI angeben (Name aus Buchstaben, Ziffern, . _ -).`,
    )
  const [, secretName, file] = m as unknown as [string, string, string]
  const got = readSecretFile(resolve(file), `--import-secret ${secretName}`, platform)
  if (!got.value) throw new DeskConfigError(`--import-secret ${secretName}: Die Datei ist leer.`)
  secrets.set(IMPORTED_SECRET_PREFIX + secretName, got.value)
  return { name: secretName, ...(got.warning ? { warning: got.warning } : {}) }
}
