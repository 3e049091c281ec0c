// The configuration file as IT uses it: real `serve` and `npm start` (browser mode) processes.
import { spawn } from 'node:child_process'
import { generateKeyPairSync } from 'node:crypto'
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { getSetting } from '../../db/repositories/settings'
import { ensureRendererBuilt } from '../../testing/sync/crashCheck'
import { createDesk } from '../desk'

const base = mkdtempSync(join(tmpdir(), 'serve-config-'))
afterAll(() => rmSync(base, { recursive: true, force: true }))

function file(name: string, content: string, mode = 0o600): string {
  const p = join(base, name)
  writeFileSync(p, content)
  chmodSync(p, mode)
  return p
}
const jwk = (kid: string, alg: string) =>
  JSON.stringify({
    ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }),
    kid,
    alg,
  })

let good: string
let bad: string
let groupReadable: string
beforeAll(() => {
  ensureRendererBuilt()
  const config = {
    fitConnect: {
      // nothing listens there: the processes run with --no-sync / without a pass
      tokenUrl: 'http://127.0.0.1:9/token',
      submissionApiUrl: 'http://127.0.0.1:9',
      clientId: 'desk-client',
      clientSecret: { file: file('client-secret', 'geheim') },
      destinations: [
        {
          destinationId: '5e1b7c3a-9d2f-4a8e-b6c1-0f3e2d1c4b5a',
          decryptionKeys: [{ file: file('enc.jwk', jwk('enc-1', 'RSA-OAEP-256')) }],
          signingKey: { file: file('sig.jwk', jwk('sig-1', 'PS512')) },
        },
      ],
    },
    identity: { issuer: 'http://127.0.0.1:9/oidc' },
  }
  good = file('good.json', JSON.stringify(config), 0o644)
  const groupKey = file('sig-group.jwk', jwk('sig-2', 'PS512'), 0o640)
  const d0 = config.fitConnect.destinations[0]!
  groupReadable = file(
    'group.json',
    JSON.stringify({
      ...config,
      fitConnect: {
        ...config.fitConnect,
        destinations: [{ ...d0, signingKey: { file: groupKey } }],
      },
    }),
    0o644,
  )
  const { identity: _missing, ...incomplete } = config
  bad = file('bad.json', JSON.stringify(incomplete), 0o644)
}, 600_000)

/** Starts an entry; resolves with its output once ready, or with the exit code. */
function start(script: string, dataDir: string, args: string[], env: Record<string, string> = {}) {
  return new Promise<{ ready: boolean; code?: number | null; out: string; err: string }>(
    (resolve) => {
      const child = spawn(
        process.execPath,
        [script, '--data-dir', dataDir, '--port', '0', ...args],
        {
          env: { ...process.env, AKTENFLUSS_CONFIG: '', ...env },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      )
      let out = ''
      let err = ''
      child.stderr.on('data', (b: Buffer) => (err += b.toString()))
      child.stdout.on('data', (b: Buffer) => {
        out += b.toString()
        if (out.includes('Aktenfluss listening on')) {
          child.once('exit', () => resolve({ ready: true, out, err }))
          child.kill('SIGTERM')
        }
      })
      child.on('exit', (code) => {
        if (!out.includes('Aktenfluss listening on')) resolve({ ready: false, code, out, err })
      })
    },
  )
}
const storedConfigFile = async (dataDir: string) => {
  const desk = createDesk({ dataDir, mode: 'browser' })
  try {
    return getSetting<{ configFile?: string }>(desk.ctx.db, 'hub')?.configFile
  } finally {
    await desk.close()
  }
}

it('serve: a file with a missing field ends the start with exit 1, naming file and field in German', async () => {
  const r = await start('out/main/serve.js', join(base, 'desk-bad'), ['--no-sync', '--config', bad])
  expect(r.ready).toBe(false)
  expect(r.code).toBe(1)
  expect(r.err).toContain(
    `Aktenfluss konnte nicht starten: Konfigurationsdatei „${bad}“, Feld „identity“: fehlt. Bitte ergänzen.`,
  )
}, 120_000)

it('serve: --config wins over AKTENFLUSS_CONFIG; the environment alone is used too', async () => {
  const dir = join(base, 'desk-cli')
  const r = await start('out/main/serve.js', dir, ['--no-sync', '--config', good], {
    AKTENFLUSS_CONFIG: bad,
  })
  expect(r.ready).toBe(true)
  expect(await storedConfigFile(dir)).toBe(good)
  const byEnv = await start('out/main/serve.js', join(base, 'desk-env'), ['--no-sync'], {
    AKTENFLUSS_CONFIG: bad,
  })
  expect(byEnv.code).toBe(1)
  expect(byEnv.err).toContain(`Konfigurationsdatei „${bad}“, Feld „identity“: fehlt.`)
}, 120_000)

it('npm start (browser mode): with a configuration the demo hub does not start', async () => {
  const dir = join(base, 'desk-start')
  const r = await start('out/main/start-demo.js', dir, ['--config', good])
  expect(r.ready).toBe(true)
  expect(r.out).toContain(`Konfiguration: ${good}`)
  expect(r.out).not.toContain('Demo-Hub')
  expect(await storedConfigFile(dir)).toBe(good)
}, 120_000)

it('serve: a group-readable key file starts with a German warning on stderr, stdout keeps its one line', async () => {
  const r = await start('out/main/serve.js', join(base, 'desk-group'), [
    '--no-sync',
    '--config',
    groupReadable,
  ])
  expect(r.ready).toBe(true)
  expect(r.err).toMatch(
    /Warnung: Konfigurationsdatei „.*group\.json“, Feld „fitConnect\.destinations\.0\.signingKey“: Die Datei „.*sig-group\.jwk“ ist für die Gruppe lesbar \(Modus 0640\)/,
  )
  expect(r.out.trim().split('\n')).toHaveLength(1)
}, 120_000)
