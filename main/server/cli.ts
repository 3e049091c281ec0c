/**
 * Browser mode: `npm run serve -- --data-dir DIR [--port N] [--config FILE] [--import-secret NAME=FILE]
 * [--hub URL --hub-config PATH/hub.json [--desk-id ID]]
 * [--idp-issuer URL [--idp-client-id ID] [--idp-scopes "openid profile offline_access"]]`.
 * Prints exactly one line when ready: `Aktenfluss listening on http://127.0.0.1:PORT/?token=TOKEN`.
 */
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { locateShipped } from '../../db/locate'
import { startDeskServer } from './start'

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string' },
    port: { type: 'string' },
    hub: { type: 'string' },
    'hub-config': { type: 'string' },
    'desk-id': { type: 'string' },
    'no-sync': { type: 'boolean' },
    'idp-issuer': { type: 'string' },
    'idp-client-id': { type: 'string' },
    'idp-scopes': { type: 'string' },
    'passphrase-file': { type: 'string' },
    config: { type: 'string' },
    'import-secret': { type: 'string', multiple: true },
  },
  strict: true,
})

const dataDir = resolve(values['data-dir'] ?? '.data/desk')
const port = values.port ? Number(values.port) : 0
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`Ungültiger Port: ${values.port}`)
  process.exit(2)
}
const rendererDir = resolve(locateShipped('out'), 'renderer')
if (!existsSync(resolve(rendererDir, 'index.html'))) {
  console.error('Die Oberfläche ist nicht gebaut. Bitte zuerst „npm run build“ ausführen.')
  process.exit(2)
}

/**
 * Test builds only: AKTENFLUSS_TEST_NOW=<ISO> starts the desk's clock at that instant (it then
 * runs on normally), so e2e tests can fast-forward past retention periods.
 */
const testNow = process.env.AKTENFLUSS_TEST_NOW
const clock = testNow
  ? (() => {
      const offset = Date.parse(testNow) - Date.now()
      if (Number.isNaN(offset))
        throw new Error(`AKTENFLUSS_TEST_NOW ist kein Zeitpunkt: ${testNow}`)
      return { now: () => new Date(Date.now() + offset) }
    })()
  : undefined

try {
  const running = await startDeskServer({
    ...(clock ? { clock } : {}),
    dataDir,
    port,
    rendererDir,
    token: process.env.AKTENFLUSS_TOKEN || undefined,
    hubUrl: values.hub,
    hubConfig: values['hub-config'],
    deskId: values['desk-id'],
    backgroundSync: !values['no-sync'],
    configPath: values.config,
    importSecrets: values['import-secret'],
    idp: values['idp-issuer']
      ? {
          issuer: values['idp-issuer'],
          clientId: values['idp-client-id'],
          scopes: values['idp-scopes'],
        }
      : undefined,
    passphrase: values['passphrase-file']
      ? readFileSync(resolve(values['passphrase-file']), 'utf8').replace(/\r?\n$/, '')
      : undefined,
  })
  console.log(`Aktenfluss listening on ${running.bridge.url}`)
  const stop = () => {
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
} catch (err) {
  console.error(
    `Aktenfluss konnte nicht starten: ${err instanceof Error ? err.message : String(err)}`,
  )
  process.exit(1)
}
