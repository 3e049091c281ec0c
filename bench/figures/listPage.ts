/**
 * Figure 1 — list page: 50 of N cases with view/filter/sort/offset through `POST /api/cases.list`
 * (HTTP on loopback, the real serve process) vs the identical SQL (buildListSql) through
 * better-sqlite3 in this process: the count and the page query by OFFSET (the statements the desk
 * used before the seek by rank of db/repositories/caseRank.ts; since then the reference is the old
 * way, and a ratio below 1 is the gain).
 * BENCH_LIST_BASELINE=<results.json of a run at another size, e.g. 100,000 cases, same machine
 * state>: every variant also reports its p95 against that run's p95 of the same variant
 * (target at 1,000,000: ≤ 2×). The summary row notes the database size per case.
 */
import type { Statement } from 'better-sqlite3'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { buildListSql, type ListQuery } from '../../db/repositories/cases'
import type { BenchContext } from '../lib/context'
import { latencyRow, pooledRow, sideBySide, type Pair } from '../lib/measure'
import { median } from '../lib/stats'
import type { Figure, Row } from '../lib/types'

const FIG = '1 list page'
const TARGET = 'p95 ≤ 20 ms, ≤ 3×'
const SUMMARY_COLUMNS =
  'id, aktenzeichen, procedure_id, subject, applicant_name, status, assignee, received_at, deadline, follow_up, sync_state'

export type Q = Pick<ListQuery, 'view' | 'sort' | 'direction'> &
  Partial<Pick<ListQuery, 'procedureId' | 'status' | 'assignee'>> & {
    /** 'first' page, 'middle' of the result, or the 'last' page */
    at: 'first' | 'middle' | 'last'
  }

export const VARIANTS: Q[] = [
  { view: 'posteingang', sort: 'deadline', direction: 'asc', at: 'first' },
  { view: 'alle', sort: 'received', direction: 'desc', at: 'first' },
  { view: 'meine', sort: 'deadline', direction: 'asc', at: 'first' },
  {
    view: 'ueberfaellig',
    sort: 'deadline',
    direction: 'asc',
    procedureId: 'wohngeld',
    at: 'first',
  },
  { view: 'alle', sort: 'aktenzeichen', direction: 'asc', at: 'middle' },
  { view: 'alle', sort: 'applicant', direction: 'asc', at: 'first' },
  { view: 'alle', sort: 'applicant', direction: 'desc', procedureId: 'kfz', at: 'middle' },
  { view: 'alle', sort: 'received', direction: 'asc', status: 'in_bearbeitung', at: 'last' },
  { view: 'alle', sort: 'deadline', direction: 'asc', at: 'last' },
]

export const label = (q: Q, offset: number) =>
  `${q.view} ${q.sort} ${q.direction}${q.procedureId ? ` proc=${q.procedureId}` : ''}${q.status ? ` status=${q.status}` : ''} @${offset}`

/** p95 per variant (name without its offset) from BENCH_LIST_BASELINE's results.json. */
function loadBaseline(): Map<string, number> {
  const file = process.env.BENCH_LIST_BASELINE
  const out = new Map<string, number>()
  if (!file || !existsSync(file)) return out
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as {
    rows?: { figure?: string; name?: string; value?: { p95?: number } }[]
  }
  for (const r of parsed.rows ?? [])
    if (r.figure === FIG && r.name && typeof r.value?.p95 === 'number')
      out.set(r.name.trim().replace(/ @\d+$/, ''), r.value.p95)
  return out
}
const baseline = loadBaseline()

export const figure: Figure = {
  id: 'listPage',
  title: 'list page (cases.list)',
  async run(ctx: BenchContext): Promise<Row[]> {
    const desk = await ctx.desk()
    const raw = ctx.rawDb()
    const info = await desk.call<{ user: { id: string }; today: string }>('app.info', {})
    const limit = 50
    const rows: Row[] = []
    const pairs: Pair[] = []
    for (const q of VARIANTS) {
      const { where, order } = buildListSql({ ...q, user: info.user.id, today: info.today })
      // the repository's fragments, bound positionally: the WHERE values, then limit and offset
      const countStmt: Statement = raw.prepare(
        `SELECT count(*) AS n FROM cases WHERE ${where.text}`,
      )
      const pageStmt: Statement = raw.prepare(
        `SELECT ${SUMMARY_COLUMNS} FROM cases WHERE ${where.text} ORDER BY ${order.text} LIMIT ? OFFSET ?`,
      )
      const params = [...where.values, ...order.values]
      const total = (countStmt.get(...params) as { n: number }).n
      const offset =
        q.at === 'first'
          ? 0
          : q.at === 'middle'
            ? Math.floor(total / 2)
            : Math.max(0, total - limit)
      const input = {
        view: q.view,
        sort: q.sort,
        direction: q.direction,
        offset,
        limit,
        ...(q.procedureId ? { procedureId: q.procedureId } : {}),
        ...(q.status ? { status: q.status } : {}),
      }
      // sanity: both sides return the same page
      const api = await desk.call<{ total: number; rows: { id: string }[] }>('cases.list', input)
      const ref = pageStmt.all(...params, limit, offset) as { id: string }[]
      const same =
        api.total === total &&
        api.rows.length === ref.length &&
        api.rows.every((r, i) => r.id === ref[i]?.id)
      const pair = await sideBySide({
        warmup: 2,
        runs: ctx.config.runs,
        budgetMs: ctx.config.variantBudgetMs,
        measured: () => desk.call('cases.list', input),
        reference: () => {
          countStmt.get(...params)
          return pageStmt.all(...params, limit, offset)
        },
      })
      pairs.push(pair)
      const name = `  ${label(q, offset)}`
      const base = baseline.get(name.trim().replace(/ @\d+$/, ''))
      const p95 =
        [...pair.value].sort((x, y) => x - y)[Math.ceil(pair.value.length * 0.95) - 1] ?? 0
      const scale: Record<string, number> = base
        ? { baselineP95: base, p95VsBaseline: Math.round((p95 / base) * 100) / 100 }
        : {}
      rows.push(
        latencyRow({
          figure: FIG,
          name,
          pair,
          referenceLabel: 'better-sqlite3',
          p95Max: 20,
          ratioMax: 3,
          target: TARGET,
          extra: { total, rows: api.rows.length, ...scale },
          ...(same ? {} : { note: 'API and raw SQL returned different pages!' }),
        }),
      )
    }
    // the fixed cost of one bridge round trip, for reading the ratios of cheap queries
    const floor = await sideBySide({
      warmup: 3,
      runs: ctx.config.runs,
      measured: () => desk.call('sync.status', {}),
      reference: () => undefined,
    })
    const file = ctx.dataSet().dbFile
    const bytes = [file, `${file}-wal`].reduce(
      (n, f) => n + (existsSync(f) ? statSync(f).size : 0),
      0,
    )
    const perCase = Math.round(bytes / ctx.config.cases)
    const ratios = rows.map((r) => r.extra?.p95VsBaseline).filter((x) => typeof x === 'number')
    const summary = pooledRow({
      figure: FIG,
      name: `list page, 50 of ${ctx.config.cases.toLocaleString('en')} (${VARIANTS.length} variants)`,
      pairs,
      referenceLabel: 'better-sqlite3',
      p95Max: 20,
      ratioMax: 3,
      target: TARGET,
      note: `API round-trip floor (sync.status) median ${median(floor.value).toFixed(2)} ms; database ${(bytes / 1e6).toFixed(0)} MB encrypted, ${perCase} bytes per case${ratios.length ? `; p95 vs baseline run: worst ${Math.max(...ratios).toFixed(2)}×` : ''}`,
    })
    summary.extra = { bytesPerCase: perCase, databaseMB: Math.round(bytes / 1e6) }
    return [summary, ...rows]
  },
}
