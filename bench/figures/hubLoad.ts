/**
 * Figure 11 — the office hub under load (issue #18): BENCH_DESKS (200) simulated desks, each with
 * its own desk credential and signed-in user, push office mutation batches (register a paper case
 * from a lease, take it, notes; every fourth batch sent twice) and pull the change feed, requests
 * spread round-robin over the hub processes. Runs: SQLite with 1 process (the reference), and on
 * one throwaway PostgreSQL cluster with 1 and with 3 processes. Afterwards every desk is checked
 * against the hub's database: 0 lost, 0 duplicated, feed strictly increasing without gaps, same
 * cases. BENCH_HUB_ROUNDS (8) batches per desk; BENCH_HUB_RUNS=sqlite1,pg1,pg3 selects.
 */
import type { BenchContext } from '../lib/context'
import { summarize } from '../lib/stats'
import type { Figure, Row } from '../lib/types'
import { verified } from '../hub/check'
import type { LoadResult } from '../hub/load'

const envInt = (name: string, fallback: number) => {
  const n = Number(process.env[name] ?? fallback)
  return Number.isInteger(n) && n > 0 ? n : fallback
}

function rowsOf(r: LoadResult, figure: string, reference?: LoadResult): Row[] {
  const v = r.verification
  const ok = verified(v) && r.feedsDiffer === 0 && r.retryNotDuplicate === 0 && r.serverErrors === 0
  const checked = `${v.sent} mutations: ${v.lost} lost, ${v.duplicated} duplicated, ${v.notApplied} not applied, ${v.gaps} feed gaps, ${v.notIncreasing} desks out of order, ${v.stateMismatches} case mismatches; ${r.retried} repeated → ${r.retryNotDuplicate} not duplicate; ${r.serverErrors} 5xx/broken (repeated); feeds of ${r.processes} process(es) ${r.feedsDiffer ? 'differ' : 'identical'}`
  const extra = {
    desks: r.desks,
    processes: r.processes,
    sent: v.sent,
    lost: v.lost,
    duplicated: v.duplicated,
    gaps: v.gaps,
    stateMismatches: v.stateMismatches,
    loadMs: Math.round(r.loadMs),
    requestsPerSecond: Math.round(r.requestsPerSecond),
    serverErrors: r.serverErrors,
  }
  const throughput = summarize([r.mutationsPerSecond])
  const rows: Row[] = [
    {
      figure,
      name: `hub load ${r.label}: applied mutations per second (${r.desks} desks)`,
      unit: 'ops/s',
      value: throughput,
      ...(reference
        ? {
            reference: summarize([reference.mutationsPerSecond]),
            referenceLabel: reference.label,
            ratio: r.mutationsPerSecond / reference.mutationsPerSecond,
          }
        : {}),
      target: '0 lost, 0 duplicated, no gaps',
      verdict: ok ? 'pass' : 'fail',
      note: ok ? checked : `${checked}; ${v.problems.slice(0, 3).join(' | ')}`,
      extra,
    },
    {
      figure,
      name: `hub load ${r.label}: push (one batch)`,
      unit: 'ms',
      value: summarize(r.pushMs),
      target: '',
      verdict: 'info',
    },
    {
      figure,
      name: `hub load ${r.label}: pull (one feed page)`,
      unit: 'ms',
      value: summarize(r.pullMs),
      target: '',
      verdict: 'info',
    },
  ]
  return rows
}

export async function runHubLoad(log: (s: string) => void): Promise<Row[]> {
  const desks = envInt('BENCH_DESKS', 200)
  const rounds = envInt('BENCH_HUB_ROUNDS', 8)
  const runs = (process.env.BENCH_HUB_RUNS ?? 'sqlite1,pg1,pg3').split(',').map((s) => s.trim())
  const { runLoad } = await import('../hub/load')
  const { hubSupportsDatabase } = await import('../hub/procs')
  const rows: Row[] = []
  let sqlite: LoadResult | undefined
  if (runs.includes('sqlite1')) {
    sqlite = await runLoad({ label: 'SQLite, 1 process', processes: 1, desks, rounds, log })
    rows.push(...rowsOf(sqlite, '11 hub'))
  }
  const pgRuns = runs.filter((r) => r.startsWith('pg'))
  if (pgRuns.length === 0) return rows
  const { findPgBin, startPgCluster } = await import('../../testing/postgres/cluster')
  const why = !findPgBin()
    ? 'PostgreSQL fehlt (apt-get install postgresql)'
    : !hubSupportsDatabase()
      ? 'the hub has no --database option yet (pgconv)'
      : undefined
  if (why) {
    for (const r of pgRuns)
      rows.push({
        figure: '11 hub',
        name: `hub load PostgreSQL, ${r.slice(2)} process(es)`,
        unit: 'ops/s',
        target: '0 lost, 0 duplicated, no gaps',
        verdict: 'n/a',
        note: why,
      })
    return rows
  }
  const cluster = await startPgCluster()
  try {
    const pg = await import('pg')
    const results = new Map<number, LoadResult>()
    for (const r of pgRuns) {
      const n = Number(r.slice(2))
      const name = `hub_load_${n}`
      const admin = new pg.default.Client({ connectionString: cluster.url })
      await admin.connect()
      await admin.query(`CREATE DATABASE ${name}`)
      await admin.end()
      const res = await runLoad({
        label: `PostgreSQL, ${n} process${n === 1 ? '' : 'es'}`,
        processes: n,
        desks,
        rounds,
        database: cluster.urlFor(name),
        log,
      })
      results.set(n, res)
      rows.push(...rowsOf(res, '11 hub', n > 1 ? results.get(1) : sqlite))
    }
    return rows
  } finally {
    await cluster.stop()
  }
}

export const figure: Figure = {
  id: 'hubLoad',
  title: 'office hub under load (desks × hub processes)',
  run: (ctx: BenchContext) => runHubLoad(ctx.log),
}
