// npm run hub -- --data-dir DIR [--database postgres://USER@HOST:PORT/DB] [--port N] [--faults]
// npm run hub -- --data-dir DIR [--database URL] --register-desk [ID]   (prints {"deskId","secret"})
// Without --database (or AKTENFLUSS_HUB_DATABASE_URL) the hub keeps its stores in DIR/hub.sqlite.
import { parseArgs } from 'node:util'
import { resolve } from 'node:path'
import { startHub } from './server'
import { registerDeskInFolder } from './identity/register'
import { DATABASE_ENV } from './storage/hub'

const USAGE =
  'Usage: npm run hub -- --data-dir DIR [--database postgres://USER@HOST:PORT/DB] [--port N] [--faults] | --data-dir DIR [--database URL] --register-desk [ID]'

let parsed
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      'data-dir': { type: 'string' },
      database: { type: 'string' },
      port: { type: 'string', default: '0' },
      faults: { type: 'boolean', default: false },
      'register-desk': { type: 'boolean', default: false },
    },
  })
} catch (e) {
  console.error(`${e instanceof Error ? e.message : String(e)}\n${USAGE}`)
  process.exit(2)
}
const { values, positionals } = parsed
if (!values['data-dir']) {
  console.error(USAGE)
  process.exit(2)
}
const port = Number(values.port)
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`Invalid --port ${values.port}`)
  process.exit(2)
}
const dataDir = resolve(values['data-dir'])
const database = values.database ?? (process.env[DATABASE_ENV] || undefined)

/** a refused start in one line (German / English), no stack trace */
const fail = (e: unknown): never => {
  console.error(`Hub: ${e instanceof Error ? e.message : String(e)}`)
  process.exit(2)
}

if (values['register-desk']) {
  try {
    console.log(JSON.stringify(await registerDeskInFolder(dataDir, positionals[0], database)))
    process.exit(0)
  } catch (e) {
    fail(e)
  }
}
const hub = await startHub({
  dataDir,
  port,
  faults: values.faults,
  ...(database ? { database } : {}),
}).catch(fail)
console.log(`Hub listening on ${hub.url}${database ? ' (PostgreSQL)' : ''}`)
const stop = () => {
  void hub.close().then(() => process.exit(0))
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
