// The machine-wide desk configuration: where it is found, German errors naming file and field,
// and the checks an attacker holding the file runs into (issue #16, point 2).
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateKeyPairSync } from 'node:crypto'
import { afterAll, describe, expect, it } from 'vitest'
import {
  DeskConfigError,
  importSecret,
  locateDeskConfig,
  machineConfigPath,
  readDeskConfig,
  resolveDeskConfig,
} from './deskConfig'
import type { SecretStore } from './secrets'

const dir = mkdtempSync(join(tmpdir(), 'deskconfig-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const memoryStore = (): SecretStore & { all: Map<string, string> } => {
  const all = new Map<string, string>()
  return { all, get: (n) => all.get(n), set: (n, v) => void all.set(n, v) }
}

function privateJwk(kid: string, alg: string): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  return JSON.stringify({ ...privateKey.export({ format: 'jwk' }), kid, alg })
}
function secretFile(name: string, content: string, mode = 0o600): string {
  const p = join(dir, name)
  writeFileSync(p, content)
  chmodSync(p, mode)
  return p
}
const encKey = secretFile('enc.jwk', privateJwk('enc-1', 'RSA-OAEP-256'))
const sigKey = secretFile('sig.jwk', privateJwk('sig-1', 'PS512'))
const clientSecret = secretFile('client-secret', 'geheim\n')

const DEST = '5e1b7c3a-9d2f-4a8e-b6c1-0f3e2d1c4b5a'
function validConfig(): Record<string, unknown> {
  return {
    fitConnect: {
      tokenUrl: 'https://auth-testing.fit-connect.fitko.dev/token',
      submissionApiUrl: 'https://submission-api-testing.fit-connect.fitko.dev/v1',
      clientId: 'desk-client',
      clientSecret: { file: clientSecret },
      destinations: [
        { destinationId: DEST, decryptionKeys: [{ file: encKey }], signingKey: { file: sigKey } },
      ],
    },
    office: {
      url: 'https://hub.amt.example',
      deskId: 'platz-1',
      deskSecret: { secretStore: 'office.desk' },
    },
    identity: { issuer: 'https://idp.amt.example/realms/amt' },
  }
}
let n = 0
function configFile(content: unknown, mode = 0o644): string {
  const p = join(dir, `config-${++n}.json`)
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content))
  chmodSync(p, mode)
  return p
}
const errorOf = (f: () => unknown): string => {
  try {
    f()
  } catch (err) {
    expect(err).toBeInstanceOf(DeskConfigError)
    return (err as Error).message
  }
  throw new Error('no error')
}

describe('where the configuration comes from', () => {
  const exists = (present: string[]) => (p: string) => present.includes(p)
  const machine = '/etc/aktenfluss/config.json'

  it('--config wins over AKTENFLUSS_CONFIG, which wins over the machine-wide file', () => {
    const all = exists(['/a/cli.json', '/a/env.json', machine])
    const env = { AKTENFLUSS_CONFIG: '/a/env.json' }
    expect(
      locateDeskConfig({ cliPath: '/a/cli.json', env, platform: 'linux', exists: all }),
    ).toEqual({
      path: '/a/cli.json',
      source: 'cli',
    })
    expect(locateDeskConfig({ env, platform: 'linux', exists: all })).toEqual({
      path: '/a/env.json',
      source: 'env',
    })
    expect(locateDeskConfig({ env: {}, platform: 'linux', exists: all })).toEqual({
      path: machine,
      source: 'machine',
    })
    expect(locateDeskConfig({ env: {}, platform: 'linux', exists: exists([]) })).toBeUndefined()
  })

  it('refuses an explicitly named file that does not exist, in German, naming the switch', () => {
    expect(
      errorOf(() =>
        locateDeskConfig({
          cliPath: '/nicht/da.json',
          env: {},
          platform: 'linux',
          exists: exists([machine]),
        }),
      ),
    ).toBe(
      'Die Konfigurationsdatei „/nicht/da.json“ (angegeben mit --config) gibt es nicht. Bitte den Pfad prüfen.',
    )
    expect(
      errorOf(() =>
        locateDeskConfig({
          env: { AKTENFLUSS_CONFIG: '/x.json' },
          platform: 'linux',
          exists: exists([]),
        }),
      ),
    ).toMatch(/angegeben mit AKTENFLUSS_CONFIG/)
  })

  it('uses %ProgramData% on Windows and /etc on Linux', () => {
    expect(machineConfigPath('win32', { ProgramData: 'D:\\ProgramData' })).toBe(
      'D:\\ProgramData\\Aktenfluss\\config.json',
    )
    expect(machineConfigPath('linux', {})).toBe(machine)
  })
})

describe('validation with German errors naming file and field', () => {
  it('accepts a complete file and reads every secret (file and secret store)', () => {
    const store = memoryStore()
    store.set('config.office.desk', 'platz-geheimnis')
    const path = configFile(validConfig())
    const r = resolveDeskConfig(readDeskConfig(path), store)
    expect(r).toMatchObject({
      tokenUrl: 'https://auth-testing.fit-connect.fitko.dev/token',
      submissionApiUrl: 'https://submission-api-testing.fit-connect.fitko.dev',
      clientSecret: 'geheim',
      office: { url: 'https://hub.amt.example', deskId: 'platz-1', deskSecret: 'platz-geheimnis' },
      identity: { clientId: 'aktenfluss-desk', scopes: 'openid profile offline_access' },
      warnings: [],
    })
    expect(r.destinations[0]!.decryptionKeys[0]!.kid).toBe('enc-1')
    expect(r.destinations[0]!.signingKey.kid).toBe('sig-1')
  })

  it('names a missing field', () => {
    const c = validConfig()
    delete (c.fitConnect as Record<string, unknown>).tokenUrl
    const path = configFile(c)
    expect(errorOf(() => readDeskConfig(path))).toBe(
      `Konfigurationsdatei „${path}“, Feld „fitConnect.tokenUrl“: fehlt. Bitte ergänzen.`,
    )
  })

  it('refuses a wrong URL and plain http to a remote host (whoever reads it learns the client secret)', () => {
    const c = validConfig()
    ;(c.fitConnect as Record<string, unknown>).tokenUrl = 'http://auth.example.org/token'
    ;(c.identity as Record<string, unknown>).issuer = 'kein url'
    const path = configFile(c)
    const msg = errorOf(() => readDeskConfig(path))
    expect(msg).toContain(
      `Feld „fitConnect.tokenUrl“: „http://auth.example.org/token“ muss mit https:// beginnen (http:// nur für 127.0.0.1/localhost).`,
    )
    expect(msg).toContain(`Feld „identity.issuer“: „kein url“ ist keine gültige Adresse (URL).`)
  })

  it('refuses a secret written into the file itself, a typo and a destination id that is no UUID', () => {
    const c = validConfig()
    ;(c.fitConnect as Record<string, unknown>).clientSecret = 'klartext'
    ;(c.fitConnect as Record<string, unknown>).destinatons = []
    ;(c.fitConnect as { destinations: Record<string, unknown>[] }).destinations[0]!.destinationId =
      '42'
    const path = configFile(c)
    const msg = errorOf(() => readDeskConfig(path))
    expect(msg).toContain('Feld „fitConnect.clientSecret“: Geheimnisse stehen nie im Klartext')
    expect(msg).toContain('Feld „fitConnect“: enthält unbekannte Felder: destinatons')
    expect(msg).toContain('Feld „fitConnect.destinations.0.destinationId“: ist keine UUID')
  })

  it('says so when the file is not JSON', () => {
    const path = configFile('{ "fitConnect": ')
    expect(errorOf(() => readDeskConfig(path))).toMatch(
      /^Die Konfigurationsdatei „.*“ ist kein gültiges JSON/,
    )
  })

  it('refuses a configuration file other accounts can write', () => {
    const path = configFile(validConfig(), 0o666)
    expect(errorOf(() => readDeskConfig(path))).toMatch(
      /ist für andere Konten schreibbar \(Modus 0666\)\. Wer sie ändern kann, lenkt die Zugangsdaten um/,
    )
  })
})

describe('key and secret files', () => {
  const withKey = (file: string) => {
    const c = validConfig()
    const d = (c.fitConnect as { destinations: Record<string, unknown>[] }).destinations[0]!
    d.decryptionKeys = [{ file }]
    delete c.office
    return readDeskConfig(configFile(c))
  }

  it('names the field of an unreadable key file', () => {
    const loaded = withKey(join(dir, 'fehlt.jwk'))
    expect(errorOf(() => resolveDeskConfig(loaded, memoryStore()))).toBe(
      `Konfigurationsdatei „${loaded.path}“, Feld „fitConnect.destinations.0.decryptionKeys.0“: Die Datei „${join(dir, 'fehlt.jwk')}“ ist nicht lesbar (ENOENT). Bitte Pfad und Berechtigungen prüfen.`,
    )
    mkdirSync(join(dir, 'ordner.jwk'))
    expect(
      errorOf(() => resolveDeskConfig(withKey(join(dir, 'ordner.jwk')), memoryStore())),
    ).toMatch(/ist nicht lesbar/)
  })

  it('refuses a world-readable key file and warns about a group-readable one', () => {
    const open = secretFile('offen.jwk', privateJwk('enc-2', 'RSA-OAEP-256'), 0o644)
    expect(errorOf(() => resolveDeskConfig(withKey(open), memoryStore()))).toMatch(
      /Feld „fitConnect\.destinations\.0\.decryptionKeys\.0“: Die Datei „.*offen\.jwk“ ist für alle Benutzer dieses Rechners zugänglich \(Modus 0644\)\. Aus Sicherheitsgründen wird sie nicht verwendet: bitte „chmod 600/,
    )
    const group = secretFile('gruppe.jwk', privateJwk('enc-3', 'RSA-OAEP-256'), 0o640)
    const r = resolveDeskConfig(withKey(group), memoryStore())
    expect(r.warnings).toEqual([
      expect.stringMatching(/ist für die Gruppe lesbar \(Modus 0640\)\. Empfohlen ist „chmod 600/),
    ])
    // Windows has no POSIX modes: the same file is taken there (ACLs are IT's job)
    expect(resolveDeskConfig(withKey(open), memoryStore(), 'win32').warnings).toEqual([])
  })

  it('refuses a public key or a signing key where a decryption key belongs', () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
    const pub = secretFile(
      'public.jwk',
      JSON.stringify({ ...publicKey.export({ format: 'jwk' }), kid: 'p' }),
    )
    expect(errorOf(() => resolveDeskConfig(withKey(pub), memoryStore()))).toMatch(
      /kein privater RSA-Schlüssel im JWK-Format .* nicht den öffentlichen\./,
    )
    expect(errorOf(() => resolveDeskConfig(withKey(sigKey), memoryStore()))).toMatch(
      /ist für „PS512“ bestimmt, hier wird ein Entschlüsselungsschlüssel \(RSA-OAEP-256\) gebraucht/,
    )
  })

  it('asks to import a secret-store entry once, and finds it after --import-secret', () => {
    const store = memoryStore()
    const loaded = readDeskConfig(configFile(validConfig()))
    expect(errorOf(() => resolveDeskConfig(loaded, store))).toMatch(
      /Feld „office\.deskSecret“: Das Geheimnis „office\.desk“ ist in diesem Arbeitsplatz noch nicht hinterlegt\. Bitte einmal mit „--import-secret office\.desk=DATEI“ importieren\./,
    )
    const loose = secretFile('desk-secret-loose', 'x', 0o604)
    expect(errorOf(() => importSecret(store, `office.desk=${loose}`))).toMatch(/für alle Benutzer/)
    expect(store.all.size).toBe(0)
    importSecret(store, `office.desk=${secretFile('desk-secret', 'platz-geheimnis\n')}`)
    expect(resolveDeskConfig(loaded, store).office?.deskSecret).toBe('platz-geheimnis')
    expect(errorOf(() => importSecret(store, 'ohne-gleichheitszeichen'))).toMatch(/NAME=DATEI/)
  })
})
