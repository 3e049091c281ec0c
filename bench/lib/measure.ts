/**
 * Side-by-side sampling: each iteration runs the measured call and its raw reference back to
 * back, alternating which goes first, so both see the same machine state (caches, load).
 */
import { summarize, type Summary } from './stats'
import type { Row } from './types'

export interface Pair {
  value: number[]
  reference: number[]
}

export async function sideBySide(opts: {
  warmup: number
  runs: number
  measured: (i: number) => unknown
  reference: (i: number) => unknown
  /** stop after this many ms of sampling once `minRuns` pairs are in (keeps slow variants from eating the 10-minute budget) */
  budgetMs?: number
  minRuns?: number
}): Promise<Pair> {
  const value: number[] = []
  const reference: number[] = []
  const one = async (fn: (i: number) => unknown, i: number) => {
    const t0 = performance.now()
    await fn(i)
    return performance.now() - t0
  }
  for (let i = 0; i < opts.warmup; i++) {
    await one(opts.measured, i)
    await one(opts.reference, i)
  }
  const start = performance.now()
  const minRuns = Math.min(opts.minRuns ?? 10, opts.runs)
  for (let i = 0; i < opts.runs; i++) {
    if (opts.budgetMs !== undefined && i >= minRuns && performance.now() - start > opts.budgetMs)
      break
    if (i % 2 === 0) {
      value.push(await one(opts.measured, i))
      reference.push(await one(opts.reference, i))
    } else {
      reference.push(await one(opts.reference, i))
      value.push(await one(opts.measured, i))
    }
  }
  return { value, reference }
}

/** A latency row with p95 and ratio targets. */
export function latencyRow(opts: {
  figure: string
  name: string
  pair: Pair
  referenceLabel: string
  p95Max?: number
  medianMax?: number
  ratioMax?: number
  target: string
  note?: string
  extra?: Row['extra']
}): Row {
  const value: Summary = summarize(opts.pair.value)
  const reference: Summary = summarize(opts.pair.reference)
  const ratio = value.median / reference.median
  let ok = true
  if (opts.p95Max !== undefined && value.p95 > opts.p95Max) ok = false
  if (opts.medianMax !== undefined && value.median > opts.medianMax) ok = false
  if (opts.ratioMax !== undefined && ratio > opts.ratioMax) ok = false
  return {
    figure: opts.figure,
    name: opts.name,
    unit: 'ms',
    value,
    reference,
    referenceLabel: opts.referenceLabel,
    ratio,
    target: opts.target,
    verdict: ok ? 'pass' : 'fail',
    ...(opts.note ? { note: opts.note } : {}),
    ...(opts.extra ? { extra: opts.extra } : {}),
  }
}

/**
 * The summary row over several variants: pooled samples for median/p95, and as ratio the
 * ratio of the summed medians (the cost of the whole mix through the API vs raw), so tiny
 * queries whose ratio is all fixed HTTP overhead do not decide alone.
 */
export function pooledRow(opts: {
  figure: string
  name: string
  pairs: Pair[]
  referenceLabel: string
  p95Max?: number
  ratioMax?: number
  target: string
  note?: string
}): Row {
  const value = summarize(opts.pairs.flatMap((p) => p.value))
  const reference = summarize(opts.pairs.flatMap((p) => p.reference))
  const sumV = opts.pairs.reduce((s, p) => s + summarize(p.value).median, 0)
  const sumR = opts.pairs.reduce((s, p) => s + summarize(p.reference).median, 0)
  const ratio = sumV / sumR
  const worst = Math.max(
    ...opts.pairs.map((p) => summarize(p.value).median / summarize(p.reference).median),
  )
  let ok = true
  if (opts.p95Max !== undefined && value.p95 > opts.p95Max) ok = false
  if (opts.ratioMax !== undefined && ratio > opts.ratioMax) ok = false
  return {
    figure: opts.figure,
    name: opts.name,
    unit: 'ms',
    value,
    reference,
    referenceLabel: opts.referenceLabel,
    ratio,
    target: opts.target,
    verdict: ok ? 'pass' : 'fail',
    note: `${opts.note ? `${opts.note}; ` : ''}ratio = Σ medians over ${opts.pairs.length} variants; worst single variant ${worst.toFixed(1)}×`,
  }
}
