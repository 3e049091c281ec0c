import type { BenchContext } from './context'
import type { Summary } from './stats'

export type Verdict = 'pass' | 'fail' | 'n/a' | 'error' | 'info'

/** One line of the table and of results.json. */
export interface Row {
  figure: string
  name: string
  unit: 'ms' | 'MB' | 'ops/s'
  /** the measured thing */
  value?: Summary
  /** the raw reference measured in the same run */
  reference?: Summary
  referenceLabel?: string
  /** value.median / reference.median */
  ratio?: number
  target: string
  verdict: Verdict
  /** why n/a, what failed, or extra detail */
  note?: string
  /** free-form extra numbers (phases, counts) */
  extra?: Record<string, number | string>
}

export interface BenchConfig {
  /** number of synthetic cases (BENCH_CASES) */
  cases: number
  /** repetitions per measured variant (BENCH_RUNS) */
  runs: number
  /** sampling time per variant before stopping early, at least 10 pairs (BENCH_VARIANT_BUDGET_MS) */
  variantBudgetMs: number
  /** repetitions of the cold start (BENCH_COLD_RUNS) */
  coldRuns: number
  /** submissions for the ingest figure (BENCH_INGEST_COUNT) */
  ingestCount: number
  /** submissions the download+decrypt reference processes; its rate is scaled to ingestCount (BENCH_INGEST_REF_COUNT) */
  ingestRefCount: number
  /** mutations for the outbox figure (BENCH_OUTBOX_COUNT) */
  outboxCount: number
  seed: number
  /** repository root */
  root: string
}

export interface Figure {
  id: string
  title: string
  run(ctx: BenchContext): Promise<Row[]>
}

/** A row for a figure that cannot be measured (yet). */
export function naRow(figure: string, name: string, target: string, reason: string): Row {
  return { figure, name, unit: 'ms', target, verdict: 'n/a', note: reason }
}

export function verdictOf(ok: boolean): Verdict {
  return ok ? 'pass' : 'fail'
}
