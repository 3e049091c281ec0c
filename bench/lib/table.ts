import type { Row, Verdict } from './types'

const MARK: Record<Verdict, string> = {
  pass: '✓',
  fail: '✗',
  'n/a': 'n/a',
  error: 'error',
  info: '–',
}

export function fmt(x: number | undefined, unit: Row['unit']): string {
  if (x === undefined || Number.isNaN(x)) return '–'
  if (unit === 'MB') return `${x.toFixed(1)} MB`
  if (unit === 'ops/s') return `${Math.round(x).toLocaleString('en')}/s`
  if (x < 10) return `${x.toFixed(2)} ms`
  if (x < 100) return `${x.toFixed(1)} ms`
  return `${Math.round(x).toLocaleString('en')} ms`
}

const width = (s: string) => [...s].length
const pad = (s: string, w: number, right = false) =>
  right ? ' '.repeat(Math.max(0, w - width(s))) + s : s + ' '.repeat(Math.max(0, w - width(s)))

/** The table as text: one line per row, notes indented under their row. */
export function renderTable(rows: Row[]): string {
  const head = [
    'figure',
    'name',
    'median',
    'p95',
    'ref median',
    'reference',
    'ratio',
    'target',
    'verdict',
  ]
  const cells = rows.map((r) => [
    r.figure,
    r.name,
    fmt(r.value?.median, r.unit),
    fmt(r.value?.p95, r.unit),
    fmt(r.reference?.median, r.unit),
    r.referenceLabel ?? '',
    r.ratio === undefined || Number.isNaN(r.ratio) ? '–' : `${r.ratio.toFixed(2)}×`,
    r.target,
    r.verdict === 'n/a' || r.verdict === 'error'
      ? `${MARK[r.verdict]} (${r.note ?? ''})`
      : MARK[r.verdict],
  ])
  // the verdict column of n/a rows carries its reason; keep it out of the width computation
  const widths = head.map((h, i) =>
    Math.max(
      width(h),
      ...cells.map((c, j) =>
        i === 8 && (rows[j]?.verdict === 'n/a' || rows[j]?.verdict === 'error')
          ? 0
          : width(c[i] ?? ''),
      ),
    ),
  )
  const right = new Set([2, 3, 4, 6])
  const line = (c: string[]) =>
    c
      .map((s, i) => pad(s, widths[i] ?? 0, right.has(i)))
      .join('  ')
      .trimEnd()
  const out = [line(head), widths.map((w) => '─'.repeat(w)).join('  ')]
  rows.forEach((r, j) => {
    out.push(line(cells[j] ?? []))
    if (r.note && r.verdict !== 'n/a' && r.verdict !== 'error')
      out.push(`${' '.repeat((widths[0] ?? 0) + 2)}  ↳ ${r.note}`)
  })
  return out.join('\n')
}
