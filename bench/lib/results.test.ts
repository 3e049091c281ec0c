import { describe, expect, it } from 'vitest'
import { mergeResults, readResults, type RunInfo } from './results'
import type { Row } from './types'

const row = (figure: string, name: string, median: number): Row => ({
  figure,
  name,
  unit: 'ms',
  value: { n: 1, median, p95: median, min: median, max: median, mean: median },
  target: '',
  verdict: 'info',
})
const run = (date: string, figures: string[]): RunInfo => ({
  date,
  config: { cases: 100_000 },
  data: null,
  build: 'ok',
  loadAverageBefore: [0],
  loadAverageAfter: [0],
  durationMs: {},
  figures,
})

describe('bench results file', () => {
  it('reads the earlier one-run format as run 0', () => {
    const f = readResults({ date: 'd0', config: { cases: 5 }, rows: [row('1 list', 'a', 1)] })
    expect(f?.runs).toHaveLength(1)
    expect(f?.runs[0]?.config).toEqual({ cases: 5 })
    expect(f?.rows[0]?.run).toBe(0)
    expect(readResults({ nothing: true })).toBeUndefined()
  })

  it('a subset run replaces only its figures and keeps the others with their own run', () => {
    const first = mergeResults(undefined, {
      app: null,
      machine: null,
      full: true,
      run: run('d1', ['1 list', '2 search', '3 open']),
      rows: [row('1 list', 'a', 10), row('2 search', 's', 20), row('3 open', 'o', 30)],
    })
    const second = mergeResults(first, {
      app: null,
      machine: null,
      full: false,
      run: run('d2', ['2 search']),
      rows: [row('2 search', 's', 25), row('2 search', 's2', 26)],
    })
    expect(second.rows.map((r) => [r.name, r.value?.median, second.runs[r.run]?.date])).toEqual([
      ['a', 10, 'd1'],
      ['s', 25, 'd2'],
      ['s2', 26, 'd2'],
      ['o', 30, 'd1'],
    ])
    // a third run of everything the first measured drops the first run entirely
    const third = mergeResults(second, {
      app: null,
      machine: null,
      full: false,
      run: run('d3', ['1 list', '3 open']),
      rows: [row('1 list', 'a', 11), row('3 open', 'o', 31)],
    })
    expect(third.runs.map((r) => r.date)).toEqual(['d2', 'd3'])
    expect(third.rows.map((r) => [r.name, third.runs[r.run]?.date])).toEqual([
      ['a', 'd3'],
      ['s', 'd2'],
      ['s2', 'd2'],
      ['o', 'd3'],
    ])
  })

  it('a new figure is appended; a full run starts over', () => {
    const first = mergeResults(undefined, {
      app: null,
      machine: null,
      full: true,
      run: run('d1', ['1 list']),
      rows: [row('1 list', 'a', 10)],
    })
    const added = mergeResults(first, {
      app: null,
      machine: null,
      full: false,
      run: run('d2', ['12 pool']),
      rows: [row('12 pool', 'p', 5)],
    })
    expect(added.rows.map((r) => r.name)).toEqual(['a', 'p'])
    const full = mergeResults(added, {
      app: null,
      machine: null,
      full: true,
      run: run('d3', ['1 list']),
      rows: [row('1 list', 'a', 9)],
    })
    expect(full.runs).toHaveLength(1)
    expect(full.rows.map((r) => r.name)).toEqual(['a'])
  })
})
