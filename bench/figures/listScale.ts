/**
 * Figure 1b — the list page's curve: every variant of figure 1 through `POST /api/cases.list` on
 * the run's N cases and, side by side in the same run, on a desk holding BENCH_SCALE_BASE cases
 * (default 100,000; same seed, encrypted as well), each variant at the same relative position
 * (first page, middle, last page). Both desks see the same load, so the ratio of the p95s is
 * the cost of size alone. Target at 1,000,000: every variant p95 ≤ 2 × its 100,000 p95 (#17).
 * Runs only when N is larger than the base.
 */
import type { BenchContext } from '../lib/context'
import type { DeskProcess } from '../lib/desk'
import { sideBySide } from '../lib/measure'
import { summarize } from '../lib/stats'
import type { Figure, Row } from '../lib/types'
import { label, VARIANTS, type Q } from './listPage'

const FIG = '1b list scale'
const RATIO_MAX = 2
const LIMIT = 50

function baseCases(): number {
  const raw = process.env.BENCH_SCALE_BASE
  const n = raw ? Number(raw.replace(/_/g, '')) : 100_000
  if (!Number.isInteger(n) || n < 100) throw new Error(`BENCH_SCALE_BASE=${raw}: ≥ 100 expected`)
  return n
}

/** the variant's input on a desk: the same filters, the offset at the same relative position */
async function inputFor(desk: DeskProcess, q: Q) {
  const filters = {
    view: q.view,
    sort: q.sort,
    direction: q.direction,
    ...(q.procedureId ? { procedureId: q.procedureId } : {}),
    ...(q.status ? { status: q.status } : {}),
  }
  const { total } = await desk.call<{ total: number }>('cases.list', {
    ...filters,
    offset: 0,
    limit: 1,
  })
  const offset =
    q.at === 'first' ? 0 : q.at === 'middle' ? Math.floor(total / 2) : Math.max(0, total - LIMIT)
  return { input: { ...filters, offset, limit: LIMIT }, total }
}

export const figure: Figure = {
  id: 'listScale',
  title: 'list page at N vs at the base size (same run)',
  async run(ctx: BenchContext): Promise<Row[]> {
    const base = baseCases()
    const target = `p95 ≤ ${RATIO_MAX} × p95 at ${base.toLocaleString('en')}`
    if (ctx.config.cases <= base)
      return [
        {
          figure: FIG,
          name: 'list page p95 vs base size',
          unit: 'ms',
          target,
          verdict: 'n/a',
          note: `BENCH_CASES (${ctx.config.cases}) is not above BENCH_SCALE_BASE (${base})`,
        },
      ]
    const desk = await ctx.desk()
    const small = (await ctx.baselineDesk(base)).desk
    const rows: Row[] = []
    for (const q of VARIANTS) {
      const big = await inputFor(desk, q)
      const ref = await inputFor(small, q)
      const pair = await sideBySide({
        warmup: 2,
        runs: ctx.config.runs,
        budgetMs: ctx.config.variantBudgetMs,
        measured: () => desk.call('cases.list', big.input),
        reference: () => small.call('cases.list', ref.input),
      })
      const value = summarize(pair.value)
      const reference = summarize(pair.reference)
      const ratio = value.p95 / reference.p95
      rows.push({
        figure: FIG,
        name: `  ${label(q, big.input.offset)} (base @${ref.input.offset})`,
        unit: 'ms',
        value,
        reference,
        referenceLabel: `same variant at ${base.toLocaleString('en')}`,
        ratio,
        target,
        verdict: ratio <= RATIO_MAX ? 'pass' : 'fail',
        note: 'ratio = p95 / base p95',
        extra: { total: big.total, baseTotal: ref.total, p95Ratio: Math.round(ratio * 100) / 100 },
      })
    }
    const ratios = rows.map((r) => r.ratio ?? Number.POSITIVE_INFINITY)
    const worst = Math.max(...ratios)
    const pooled = summarize(rows.flatMap((r) => (r.value ? [r.value.p95] : [])))
    return [
      {
        figure: FIG,
        name: `list page p95 at ${ctx.config.cases.toLocaleString('en')} vs ${base.toLocaleString('en')} (${rows.length} variants)`,
        unit: 'ms',
        value: pooled,
        target,
        ratio: worst,
        verdict: worst <= RATIO_MAX ? 'pass' : 'fail',
        note: `value = the variants' p95s; ratio = worst variant's p95 ratio (median of the ratios ${summarize(ratios).median.toFixed(2)}×)`,
      },
      ...rows,
    ]
  },
}
