/**
 * `npm run bench` — builds what it needs, prepares N synthetic cases (cached in /tmp), runs every
 * figure side by side with its raw reference, prints a table and writes bench/results.json.
 *
 * Environment: BENCH_CASES (100000), BENCH_RUNS (30 samples per variant, fewer — at least 10 —
 * when a variant has used BENCH_VARIANT_BUDGET_MS = 3000 ms), BENCH_COLD_RUNS (5),
 * BENCH_INGEST_COUNT (5000), BENCH_INGEST_REF_COUNT (1000), BENCH_OUTBOX_COUNT (10000),
 * BENCH_SEED (1), BENCH_SCALE_BASE (100000: the second size figure 1b compares with),
 * BENCH_ONLY=listPage,search,… (run a subset: it replaces only those figures' rows in
 * bench/results.json, each row names the run that measured it — see lib/results.ts).
 *
 * A figure is one module under bench/figures exporting `figure: Figure`; add it to FIGURES.
 * A figure whose feature is not there yet returns an "n/a (reason)" row; a figure that throws
 * becomes an "error (message)" row — the run always reaches the table.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, freemem, loadavg, totalmem, release } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { BenchContext } from './lib/context'
import { CHROMIUM } from './lib/chromium'
import { tryImport } from './lib/optional'
import { renderTable } from './lib/table'
import { mergeResults, readResults } from './lib/results'
import type { BenchConfig, Figure, Row } from './lib/types'

const FIGURES = [
  'listPage',
  'listScale',
  'search',
  'caseOpen',
  'dashboard',
  'coldStart',
  'notices',
  'ingest',
  'outboxFlush',
  'atRest',
  'deskToDesk',
  'aggregates',
  'hubLoad',
  'intakeStall',
  'intakeRate',
] as const

const here = dirname(fileURLToPath(import.meta.url))
const root = resolve(here, '..')

function envInt(name: string, fallback: number, min = 1): number {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw.replace(/_/g, ''))
  if (!Number.isInteger(n) || n < min) {
    console.error(`${name}=${raw}: a whole number ≥ ${min} expected`)
    process.exit(2)
  }
  return n
}

const config: BenchConfig = {
  cases: envInt('BENCH_CASES', 100_000, 100),
  runs: envInt('BENCH_RUNS', 30, 3),
  variantBudgetMs: envInt('BENCH_VARIANT_BUDGET_MS', 3000, 0),
  coldRuns: envInt('BENCH_COLD_RUNS', 5, 1),
  ingestCount: envInt('BENCH_INGEST_COUNT', 5000, 1),
  ingestRefCount: envInt('BENCH_INGEST_REF_COUNT', 1000, 1),
  outboxCount: envInt('BENCH_OUTBOX_COUNT', 10_000, 1),
  seed: envInt('BENCH_SEED', 1, 0),
  root,
}
const only = process.env.BENCH_ONLY?.split(',')
  .map((s) => s.trim())
  .filter(Boolean)

const t0 = performance.now()
const log = (s: string) =>
  console.error(`[bench ${((performance.now() - t0) / 1000).toFixed(1).padStart(6)} s] ${s}`)

function chromiumVersion(): string {
  if (!existsSync(CHROMIUM)) return 'missing'
  const r = spawnSync(CHROMIUM, ['--version'], { encoding: 'utf8', timeout: 10_000 })
  return (r.stdout || '').trim() || 'unknown'
}

async function main(): Promise<number> {
  log(`config: ${JSON.stringify({ ...config, root: undefined })}`)
  const loadBefore = loadavg()
  if ((loadBefore[0] ?? 0) > cpus().length * 0.5)
    log(
      `warning: load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')} on ${cpus().length} CPUs — other work is running, figures will be noisy`,
    )
  // 1. the renderer (cold start needs it; the serve process refuses to start without it)
  log('ensuring the build (node scripts/ensure-build.mjs) …')
  const build = spawnSync(process.execPath, ['scripts/ensure-build.mjs'], {
    cwd: root,
    stdio: ['ignore', 2, 2],
  })
  const buildNote =
    build.status === 0
      ? 'ok'
      : `ensure-build exited ${build.status}; using the existing out/ if any`
  if (build.status !== 0) log(buildNote)

  const ctx = new BenchContext(config, log)
  const stop = () => {
    log('interrupted, cleaning up …')
    void ctx.close().finally(() => process.exit(130))
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)

  const rows: Row[] = []
  const timings: Record<string, number> = {}
  try {
    // 2. data
    const tData = performance.now()
    const data = ctx.dataSet()
    timings.data = Math.round(performance.now() - tData)
    log(
      `data: ${data.count} cases, ${(data.bytes / 1e6).toFixed(0)} MB, ${data.fromCache ? 'from cache' : 'generated'} (${data.cacheDir})`,
    )

    // 3. figures
    for (const id of FIGURES) {
      if (only && !only.includes(id)) continue
      const tf = performance.now()
      const mod = await tryImport<{ figure?: Figure }>(root, `bench/figures/${id}`)
      if (!mod.ok || !mod.mod.figure) {
        rows.push({
          figure: id,
          name: id,
          unit: 'ms',
          target: '',
          verdict: 'n/a',
          note: mod.ok ? 'module exports no figure' : mod.reason,
        })
        continue
      }
      const fig = mod.mod.figure
      log(`figure ${fig.id}: ${fig.title} …`)
      try {
        rows.push(...(await fig.run(ctx)))
      } catch (err) {
        const msg = err instanceof Error ? err.message.split('\n')[0] : String(err)
        log(
          `figure ${fig.id} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
        )
        rows.push({
          figure: fig.id,
          name: fig.title,
          unit: 'ms',
          target: '',
          verdict: 'error',
          note: msg ?? 'error',
        })
      }
      timings[fig.id] = Math.round(performance.now() - tf)
      log(`figure ${fig.id} done in ${((performance.now() - tf) / 1000).toFixed(1)} s`)
    }
  } finally {
    await ctx.close()
  }

  const totalMs = Math.round(performance.now() - t0)
  const table = renderTable(rows)
  console.log('')
  const loadAfter = loadavg()
  console.log(
    `Aktenfluss benchmarks — ${config.cases.toLocaleString('en')} cases, up to ${config.runs} runs per variant, ${cpus().length} CPUs, Node ${process.version}, load average ${loadBefore[0]?.toFixed(2)} → ${loadAfter[0]?.toFixed(2)}`,
  )
  console.log(table)
  console.log(`\ntotal ${(totalMs / 1000).toFixed(1)} s; results in bench/results.json`)

  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }
  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    totalMemoryMB: Math.round(totalmem() / 1048576),
    freeMemoryMB: Math.round(freemem() / 1048576),
    platform: process.platform,
    arch: process.arch,
    kernel: release(),
    node: process.version,
    chromium: chromiumVersion(),
  }
  const resultsFile = join(here, 'results.json')
  const previous = existsSync(resultsFile)
    ? readResults(JSON.parse(readFileSync(resultsFile, 'utf8')))
    : undefined
  const results = mergeResults(previous, {
    app: { name: 'aktenfluss', version: pkg.version },
    machine,
    // a subset replaces only its figures' rows; the others keep the run that measured them
    full: !only,
    run: {
      date: new Date().toISOString(),
      config: { ...config, root: undefined, only: only ?? null },
      data: ctx.facts,
      build: buildNote,
      loadAverageBefore: loadBefore,
      loadAverageAfter: loadAfter,
      durationMs: { total: totalMs, ...timings },
      figures: [...new Set(rows.map((r) => r.figure))],
    },
    rows,
  })
  writeFileSync(resultsFile, JSON.stringify(results, null, 2) + '\n')
  return rows.some((r) => r.verdict === 'error') ? 1 : 0
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err)
    process.exit(1)
  },
)
