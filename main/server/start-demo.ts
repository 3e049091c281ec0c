/**
 * `npm start` in browser mode: the desk with its own data folder and, unless an office hub is
 * configured, the embedded reference hub with demo applications. Prints the URL to open.
 */
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { locateShipped } from '../../db/locate'
import { startDeskServer } from './start'

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string' },
    port: { type: 'string' },
    config: { type: 'string' },
    'import-secret': { type: 'string', multiple: true },
  },
  strict: true,
})
const dataDir = resolve(values['data-dir'] ?? '.data/desk')

try {
  const running = await startDeskServer({
    dataDir,
    port: values.port ? Number(values.port) : 0,
    rendererDir: resolve(locateShipped('out'), 'renderer'),
    token: process.env.AKTENFLUSS_TOKEN || undefined,
    backgroundSync: false,
    configPath: values.config,
    importSecrets: values['import-secret'],
    // the embedded demo hub only when nothing is configured (main/startup.ts)
    demoAllowed: true,
  })
  const hub = running.startup.demoHub
  running.desk.sync.start(30_000)
  if (running.startup.plan.kind === 'config')
    console.log(`Konfiguration: ${running.startup.plan.located.path}`)
  if (hub) console.log(`Demo-Hub läuft auf ${hub.url} (Daten: ${dataDir}/demo-hub)`)
  console.log(`Daten: ${dataDir}`)
  console.log(`Aktenfluss listening on ${running.bridge.url}`)
  console.log('Diese Adresse im Browser öffnen. Beenden mit Strg+C.')
  const stop = () => {
    void running.close().finally(() => process.exit(0))
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
} catch (err) {
  console.error(
    `Aktenfluss konnte nicht starten: ${err instanceof Error ? err.message : String(err)}`,
  )
  process.exit(1)
}
