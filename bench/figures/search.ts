/**
 * Figure 2 — search over N cases through `POST /api/cases.search` vs the same FTS5 statement
 * (query folded by the desk's own ftsQuery) through better-sqlite3. The reference orders like the
 * desk: by rank with the rowid breaking ties, or newest first beyond RANK_LIMIT matches (broad).
 */
import type { Statement } from 'better-sqlite3'
import { RANK_LIMIT } from '../../db/repositories/search'
import { ftsQuery } from '../../main/features/cases/search'
import type { BenchContext } from '../lib/context'
import { latencyRow, pooledRow, sideBySide, type Pair } from '../lib/measure'
import type { Figure, Row } from '../lib/types'

const FIG = '2 search'
const TARGET = 'p95 ≤ 30 ms'
const COLS =
  'c.id, c.aktenzeichen, c.procedure_id, c.subject, c.applicant_name, c.applicant_address, c.status, c.assignee, c.received_at, c.deadline, c.follow_up, c.sync_state'

export const figure: Figure = {
  id: 'search',
  title: 'search (cases.search)',
  async run(ctx: BenchContext): Promise<Row[]> {
    const desk = await ctx.desk()
    const raw = ctx.rawDb()
    // an Aktenzeichen from the data set: a fragment (number part) and a longer prefix
    const az =
      (
        raw
          .prepare('SELECT aktenzeichen FROM cases ORDER BY rowid LIMIT 1 OFFSET ?')
          .get(Math.floor(ctx.config.cases / 3)) as { aktenzeichen: string } | undefined
      )?.aktenzeichen ?? '632.1-2026-000123'
    const numberPart = az.slice(az.lastIndexOf('-') + 1)
    const queries = [
      'mueller',
      'Müller',
      'strass',
      numberPart,
      az.slice(0, az.length - 2),
      'Jürgen Görlitz',
      'Weiss Brüderstraße',
      'xylophon',
    ]
    const limit = 50
    const pairs: Pair[] = []
    const rows: Row[] = []
    for (const query of queries) {
      const { match, short } = ftsQuery(query)
      const shortClause = short.map((_, i) => `f.text LIKE @s${i}`).join(' AND ')
      const params: Record<string, string | number> = { limit }
      short.forEach((s, i) => (params[`s${i}`] = `%${s.replace(/[%_]/g, '')}%`))
      const hits = match
        ? (
            raw.prepare('SELECT count(*) AS n FROM case_fts WHERE case_fts MATCH ?').get(match) as {
              n: number
            }
          ).n
        : -1
      const where = [
        ...(match ? ['case_fts MATCH @match'] : []),
        'c.retired_into IS NULL',
        ...(shortClause ? [shortClause] : []),
      ].join(' AND ')
      if (match) params.match = match
      const order = match && hits <= RANK_LIMIT ? 'f.rank, f.rowid DESC' : 'f.rowid DESC'
      const stmt: Statement = raw.prepare(
        `SELECT ${COLS} FROM case_fts f JOIN cases c ON c.rowid = f.rowid WHERE ${where} ORDER BY ${order} LIMIT @limit`,
      )
      const api = await desk.call<{ rows: { id: string }[] }>('cases.search', { query, limit })
      const ref = stmt.all(params) as { id: string }[]
      const same = api.rows.length === ref.length && api.rows.every((r, i) => r.id === ref[i]?.id)
      const pair = await sideBySide({
        warmup: 2,
        runs: ctx.config.runs,
        budgetMs: ctx.config.variantBudgetMs,
        measured: () => desk.call('cases.search', { query, limit }),
        reference: () => stmt.all(params),
      })
      pairs.push(pair)
      rows.push(
        latencyRow({
          figure: FIG,
          name: `  "${query}"`,
          pair,
          referenceLabel: 'raw FTS5',
          p95Max: 30,
          target: TARGET,
          extra: { match: match ?? '', matches: hits, returned: api.rows.length },
          ...(same ? {} : { note: 'API and raw FTS returned different rows!' }),
        }),
      )
    }
    const summary = pooledRow({
      figure: FIG,
      name: `search over ${ctx.config.cases.toLocaleString('en')} cases (${queries.length} queries)`,
      pairs,
      referenceLabel: 'raw FTS5',
      p95Max: 30,
      target: TARGET,
    })
    return [summary, ...rows]
  },
}
