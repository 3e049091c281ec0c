/**
 * `npm run bench:hub` — figure 11 (bench/figures/hubLoad.ts) alone, without the desk data set:
 * prints the table and writes bench/results-hub.json (not committed) in the rows format of
 * bench/results.json. Environment: BENCH_DESKS (200), BENCH_HUB_ROUNDS (8),
 * BENCH_HUB_RUNS=sqlite1,pg1,pg3.
 */
import { writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { join } from 'node:path'
import { runHubLoad } from '../figures/hubLoad'
import { renderTable } from '../lib/table'
import { ROOT } from './procs'

const t0 = performance.now()
const log = (s: string) =>
  console.error(`[bench:hub ${((performance.now() - t0) / 1000).toFixed(1).padStart(6)} s] ${s}`)

const loadBefore = loadavg()
const rows = await runHubLoad(log)
const loadAfter = loadavg()
console.log(
  `Aktenfluss hub load — ${cpus().length} CPUs, Node ${process.version}, load average ${loadBefore[0]?.toFixed(2)} → ${loadAfter[0]?.toFixed(2)}`,
)
console.log(renderTable(rows))
writeFileSync(
  join(ROOT, 'bench', 'results-hub.json'),
  JSON.stringify(
    {
      date: new Date().toISOString(),
      cpus: cpus().length,
      loadAverageBefore: loadBefore,
      loadAverageAfter: loadAfter,
      rows,
    },
    null,
    2,
  ) + '\n',
)
process.exit(rows.some((r) => r.verdict === 'fail' || r.verdict === 'error') ? 1 : 0)
