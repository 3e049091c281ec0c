// npm run hub -- --data-dir DIR [--port N] [--faults]
// npm run hub -- --data-dir DIR --register-desk [ID]   (prints {"deskId","secret"} and exits)
import { parseArgs } from 'node:util'
import { resolve } from 'node:path'
import { startHub } from './server'
import { registerDeskInFolder } from './identity/register'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'data-dir': { type: 'string' },
    port: { type: 'string', default: '0' },
    faults: { type: 'boolean', default: false },
    'register-desk': { type: 'boolean', default: false },
  },
})
if (!values['data-dir']) {
  console.error(
    'Usage: npm run hub -- --data-dir DIR [--port N] [--faults] | --data-dir DIR --register-desk [ID]',
  )
  process.exit(2)
}
const port = Number(values.port)
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`Invalid --port ${values.port}`)
  process.exit(2)
}
if (values['register-desk']) {
  try {
    console.log(
      JSON.stringify(await registerDeskInFolder(resolve(values['data-dir']), positionals[0])),
    )
    process.exit(0)
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e))
    process.exit(2)
  }
}
const hub = await startHub({ dataDir: resolve(values['data-dir']), port, faults: values.faults })
console.log(`Hub listening on ${hub.url}`)
const stop = () => {
  void hub.close().then(() => process.exit(0))
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
