// npx tsx hub/tsa/cli.ts [--port 8790] — Demo-Zeitstempeldienst + Demo-CRL allein (NUR ZUM TESTEN)
import { parseArgs } from 'node:util'
import { startDemoTsaServer } from './http'

const { values } = parseArgs({ options: { port: { type: 'string', default: '8790' } } })
const port = Number(values.port)
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`Invalid --port ${values.port}`)
  process.exit(2)
}
const running = await startDemoTsaServer({ port })
console.log(`Demo-TSA: ${running.tsaUrl}  CRL: ${running.crlUrl}`)
const stop = () => void running.close().then(() => process.exit(0))
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
