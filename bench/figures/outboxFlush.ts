/**
 * Figure 7 — outbox flush: N queued mutations (notes on 21 cases, as one desk queues them
 * offline) pushed to the reference hub in batches of 200 [≥ 2,000 mutations/s]. Reference in the
 * same run: the desk pulling the resulting change feed (the other direction over the same hub).
 */
import type { BenchContext } from '../lib/context'
import { summarize } from '../lib/stats'
import type { Figure, Row } from '../lib/types'

export const figure: Figure = {
  id: 'outboxFlush',
  title: 'outbox flush',
  async run(ctx: BenchContext): Promise<Row[]> {
    const { startTestHub } = await import('../../testing/sync/testHarness')
    const { measurePush, measurePull } = await import('../../testing/sync/outboxPerf')
    const hub = await startTestHub()
    try {
      const push = await measurePush(hub, ctx.config.outboxCount)
      const pull = await measurePull(hub)
      return [
        {
          figure: '7 outbox',
          name: `outbox flush of ${ctx.config.outboxCount.toLocaleString('en')} mutations`,
          unit: 'ops/s',
          value: summarize([push.perSecond]),
          reference: summarize([pull.perSecond]),
          referenceLabel: 'change feed pull of the same changes (changes/s)',
          ratio: push.perSecond / pull.perSecond,
          target: '≥ 2,000 mutations/s',
          verdict: push.perSecond >= 2000 ? 'pass' : 'fail',
          note: `${push.ms} ms in ${push.batches} batches; queueing locally took ${push.queueMs} ms`,
          extra: {
            pushMs: push.ms,
            batches: push.batches,
            pullApplied: pull.applied,
            pullMs: pull.ms,
          },
        },
      ]
    } finally {
      await hub.close()
    }
  },
}
