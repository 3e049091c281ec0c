// bench/results.json holds the newest measurement of every figure. A full run replaces the file; a
// run of a subset (BENCH_ONLY) replaces only the rows of the figures it ran and keeps the others,
// each row naming the run that measured it (`run`, an index into `runs`), so a figure measured on
// another day, at another size or under other load is never mistaken for one of this run.
import type { Row } from './types'

/** What one invocation of the bench measured under. */
export interface RunInfo {
  date: string
  config: Record<string, unknown>
  data: unknown
  build: string
  loadAverageBefore: number[]
  loadAverageAfter: number[]
  durationMs: Record<string, number>
  /** the figure ids this run measured */
  figures: string[]
}

export interface ResultsFile {
  /** when the file was last written */
  date: string
  app: unknown
  machine: unknown
  runs: RunInfo[]
  rows: (Row & { run: number })[]
}

interface LegacyFile {
  date?: string
  config?: Record<string, unknown>
  data?: unknown
  build?: string
  machine?: { loadAverageBefore?: number[]; loadAverageAfter?: number[] }
  durationMs?: Record<string, number>
  rows?: Row[]
}

/** Reads a results file of this format or of the earlier one-run format (its rows become run 0). */
export function readResults(raw: unknown): ResultsFile | undefined {
  if (!raw || typeof raw !== 'object') return undefined
  const f = raw as Partial<ResultsFile> & LegacyFile
  if (!Array.isArray(f.rows)) return undefined
  if (Array.isArray(f.runs)) return f as ResultsFile
  const figures = [...new Set(f.rows.map((r) => r.figure))]
  const run: RunInfo = {
    date: f.date ?? 'unknown',
    config: f.config ?? {},
    data: f.data ?? null,
    build: f.build ?? 'unknown',
    loadAverageBefore: f.machine?.loadAverageBefore ?? [],
    loadAverageAfter: f.machine?.loadAverageAfter ?? [],
    durationMs: f.durationMs ?? {},
    figures,
  }
  return {
    date: run.date,
    app: (f as { app?: unknown }).app ?? null,
    machine: f.machine ?? null,
    runs: [run],
    rows: f.rows.map((r) => ({ ...r, run: 0 })),
  }
}

/**
 * The file after this run: `full` replaces everything; otherwise rows of the figures this run
 * measured are replaced (where each figure stood before), all other rows kept,
 * and runs no row refers to any more are dropped (indices renumbered).
 */
export function mergeResults(
  previous: ResultsFile | undefined,
  current: { app: unknown; machine: unknown; run: RunInfo; rows: Row[]; full: boolean },
): ResultsFile {
  if (!previous || current.full)
    return {
      date: current.run.date,
      app: current.app,
      machine: current.machine,
      runs: [current.run],
      rows: current.rows.map((r) => ({ ...r, run: 0 })),
    }
  const measured = new Set(current.run.figures)
  const runs = [...previous.runs, current.run]
  const newIndex = runs.length - 1
  const fresh = new Map<string, (Row & { run: number })[]>()
  for (const r of current.rows) {
    const list = fresh.get(r.figure) ?? []
    list.push({ ...r, run: newIndex })
    fresh.set(r.figure, list)
  }
  // each measured figure's new rows stand where its old rows stood; new figures go to the end
  const rows: (Row & { run: number })[] = []
  for (const r of previous.rows) {
    if (!measured.has(r.figure)) rows.push(r)
    else if (fresh.has(r.figure)) {
      rows.push(...(fresh.get(r.figure) ?? []))
      fresh.delete(r.figure)
    }
  }
  for (const list of fresh.values()) rows.push(...list)
  // keep only the runs still referenced, renumbered in order
  const used = [...new Set(rows.map((r) => r.run))].sort((a, b) => a - b)
  const renumber = new Map(used.map((old, i) => [old, i]))
  return {
    date: current.run.date,
    app: current.app,
    machine: current.machine,
    runs: used.map((i) => runs[i] as RunInfo),
    rows: rows.map((r) => ({ ...r, run: renumber.get(r.run) as number })),
  }
}
