// Child process of the migration crash test: opens (and so migrates) a data folder, then closes.
// Prints "start" right before and "fertig <ms>" after, so the parent can kill it in between.
import { createDesk } from '../../main/desk'

const dir = process.argv[2]
if (!dir) throw new Error('usage: migrateChild DIR')
process.stdout.write('start\n')
const t0 = performance.now()
const desk = createDesk({ dataDir: dir, mode: 'browser' })
const ms = performance.now() - t0
await desk.close()
process.stdout.write(`fertig ${ms.toFixed(0)}\n`)
