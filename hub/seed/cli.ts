// npm run hub:seed -- --hub URL --hub-config PATH/hub.json --count N [--seed S]
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { parseArgs } from 'node:util'
import type { HubConfig } from '../bootstrap'
import { portalKeyAt, seedSubmissions } from './seed'

const { values } = parseArgs({
  options: {
    hub: { type: 'string' },
    'hub-config': { type: 'string' },
    count: { type: 'string', default: '10' },
    seed: { type: 'string', default: '1' },
    concurrency: { type: 'string', default: '8' },
    'no-reply-channels': { type: 'boolean', default: false },
  },
})
if (!values.hub || !values['hub-config']) {
  console.error(
    'Usage: npm run hub:seed -- --hub URL --hub-config PATH/hub.json --count N [--seed S] [--concurrency C] [--no-reply-channels]',
  )
  process.exit(2)
}
const count = Number(values.count)
if (!Number.isInteger(count) || count < 0) {
  console.error(`Invalid --count ${values.count}`)
  process.exit(2)
}
const hubConfig = JSON.parse(readFileSync(values['hub-config'], 'utf8')) as HubConfig
const r = await seedSubmissions({
  hubUrl: values.hub,
  hubConfig,
  count,
  seed: values.seed,
  concurrency: Number(values.concurrency),
  // the portal's reply key beside hub.json: the portal side decrypts the desk's replies with it
  ...(values['no-reply-channels']
    ? {}
    : { portalKey: await portalKeyAt(join(dirname(values['hub-config']), 'portal-key.json')) }),
})
const byProc: Record<string, number> = {}
const byChannel: Record<string, number> = {}
for (const s of r.submissions) {
  byProc[s.procedureId] = (byProc[s.procedureId] ?? 0) + 1
  byChannel[s.replyChannel] = (byChannel[s.replyChannel] ?? 0) + 1
}
console.log(
  `Seeded ${r.submissions.length} submissions in ${(r.ms / 1000).toFixed(1)} s: ${JSON.stringify(byProc)}; reply channels ${JSON.stringify(byChannel)}`,
)
