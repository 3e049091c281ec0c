/** Order statistics for benchmark samples (milliseconds unless stated otherwise). */

export interface Summary {
  n: number
  median: number
  p95: number
  min: number
  max: number
  mean: number
}

/** Value at quantile q (0..1) with linear interpolation between closest ranks. */
export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return Number.NaN
  const s = [...samples].sort((a, b) => a - b)
  const pos = (s.length - 1) * q
  const lo = Math.floor(pos)
  const hi = Math.ceil(pos)
  const a = s[lo] as number
  const b = s[hi] as number
  return a + (b - a) * (pos - lo)
}

export const median = (samples: readonly number[]): number => quantile(samples, 0.5)
export const p95 = (samples: readonly number[]): number => quantile(samples, 0.95)

export function summarize(samples: readonly number[]): Summary {
  return {
    n: samples.length,
    median: median(samples),
    p95: p95(samples),
    min: samples.length ? Math.min(...samples) : Number.NaN,
    max: samples.length ? Math.max(...samples) : Number.NaN,
    mean: samples.length ? samples.reduce((a, b) => a + b, 0) / samples.length : Number.NaN,
  }
}

/** Milliseconds since `t0` (performance.now based). */
export const since = (t0: number): number => performance.now() - t0

/** Times one async call in milliseconds. */
export async function time<T>(fn: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const t0 = performance.now()
  const value = await fn()
  return { ms: performance.now() - t0, value }
}
