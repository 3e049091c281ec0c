// npm run hub -- --data-dir DIR [--port N] [--faults]
import { parseArgs } from 'node:util'
import { resolve } from 'node:path'
import { startHub } from './server'

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string' },
    port: { type: 'string', default: '0' },
    faults: { type: 'boolean', default: false },
  },
})
if (!values['data-dir']) {
  console.error('Usage: npm run hub -- --data-dir DIR [--port N] [--faults]')
  process.exit(2)
}
const port = Number(values.port)
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`Invalid --port ${values.port}`)
  process.exit(2)
}
const hub = await startHub({ dataDir: resolve(values['data-dir']), port, faults: values.faults })
console.log(`Hub listening on ${hub.url}`)
const stop = () => {
  void hub.close().then(() => process.exit(0))
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
