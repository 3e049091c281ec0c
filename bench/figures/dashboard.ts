/**
 * Figure 8 — team lead dashboard at N cases: `POST /api/team.dashboard` as the team lead (all
 * grouped counts, throughput, age buckets — summed from the maintained aggregate case_workload)
 * vs one raw grouped scan of the cases through better-sqlite3 (what it would cost without it).
 */
import type { BenchContext } from '../lib/context'
import { latencyRow, sideBySide } from '../lib/measure'
import type { Figure, Row } from '../lib/types'

export const figure: Figure = {
  id: 'dashboard',
  title: 'team dashboard (team.dashboard)',
  async run(ctx: BenchContext): Promise<Row[]> {
    const desk = await ctx.desk()
    await desk.call('session.login', { userId: 'u-sbaeumer', password: 'demo' })
    const raw = ctx.rawDb()
    const grouped = raw.prepare(
      `SELECT assignee, count(*) AS n, sum(deadline < @today) AS overdue FROM cases
       WHERE status NOT IN ('entschieden','versandt','abgeschlossen') GROUP BY assignee`,
    )
    const today = new Date().toISOString().slice(0, 10)
    const pair = await sideBySide({
      warmup: 3,
      runs: Math.max(ctx.config.runs, 20),
      measured: () => desk.call('team.dashboard', {}),
      reference: () => grouped.all({ today }),
    })
    await desk.call('session.login', { userId: 'u-jweiss', password: 'demo' })
    return [
      latencyRow({
        figure: '8 dashboard',
        name: `team dashboard data at ${ctx.config.cases.toLocaleString('en')} cases`,
        pair,
        referenceLabel: 'one grouped scan (better-sqlite3)',
        p95Max: 200,
        target: 'p95 ≤ 200 ms',
      }),
    ]
  },
}
