/**
 * Figure 13 — the desk stays responsive during intake: `cases.list` (the UI's first page, through
 * the bridge's HTTP API, called one after the other from a thread of its own) while one
 * `sync.run` brings in N submissions (BENCH_POOL_COUNT, 1,000) from the reference hub
 * [p95 ≤ 2 × idle p95, max ≤ 100 ms]. Reference in the same run: the same call on the same desk
 * when the intake is over (then it holds all N cases, as many as it ever held during the intake).
 * The idle figure before the intake (empty desk) is in the note.
 */
import type { BenchContext } from '../lib/context'
import { listProbe, startIntakeRig } from '../lib/intakeRig'
import { summarize } from '../lib/stats'
import type { Figure, Row } from '../lib/types'

const FIG = '13 intake stall'
const TARGET = 'p95 ≤ 2× idle, max ≤ 100 ms'

export const figure: Figure = {
  id: 'intakeStall',
  title: 'cases.list during a large intake',
  async run(ctx: BenchContext): Promise<Row[]> {
    const n = Number(process.env.BENCH_POOL_COUNT ?? 1000)
    const rig = await startIntakeRig(ctx, n)
    const idleSamples = Number(process.env.BENCH_POOL_IDLE_SAMPLES ?? 200)
    const before = summarize(await listProbe(rig.desk, { max: idleSamples }).done)

    const probe = listProbe(rig.desk)
    const t0 = performance.now()
    const result = await rig.desk.call<{
      intake: { accepted: number; rejected: number; total: number; failed?: number }
      error: string | null
    }>('sync.run', {})
    const ms = performance.now() - t0
    const during = await probe.stop()
    const after = summarize(await listProbe(rig.desk, { max: idleSamples }).done)

    const value = summarize(during)
    const ratio = value.p95 / after.p95
    const complete = result.intake.accepted + result.intake.rejected === rig.refs.length
    const ok = ratio <= 2 && value.max <= 100 && complete && !result.error
    return [
      {
        figure: FIG,
        name: `cases.list during the intake of ${rig.refs.length.toLocaleString('en')} submissions`,
        unit: 'ms',
        value,
        reference: after,
        referenceLabel: 'idle (after)',
        ratio,
        target: TARGET,
        verdict: ok ? 'pass' : 'fail',
        note: `ratio = p95 during / p95 idle; ${during.length} calls during a ${Math.round(ms)} ms pass (${(rig.refs.length / (ms / 1000)).toFixed(0)} submissions/s); ${result.intake.accepted} accepted, ${result.intake.rejected} rejected${result.error ? `, error: ${result.error}` : ''}; idle before (empty desk): p95 ${before.p95.toFixed(1)} ms, max ${before.max.toFixed(1)} ms`,
        extra: {
          submissions: rig.refs.length,
          passMs: Math.round(ms),
          idleBeforeP95: Math.round(before.p95 * 10) / 10,
          idleAfterP95: Math.round(after.p95 * 10) / 10,
          duringMax: Math.round(value.max * 10) / 10,
        },
      },
    ]
  },
}
