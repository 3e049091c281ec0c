/**
 * Figure 7 — outbox flush: 10,000 queued mutations sent to the reference hub [≥ 2,000 mutations/s].
 * Office sync (the outbox loop and the hub's office mutation endpoint) is not built yet, so this
 * stays n/a until one of the candidate modules below exports a flush function. Wiring it:
 * start the hub (startHub), create a desk db with 10,000 `outbox` rows (db/repositories/outbox),
 * time one flush to empty, and as the raw reference POST the same payloads to the hub in the
 * same batch size with a bare fetch loop.
 */
import type { BenchContext } from '../lib/context'
import { pickFunction, tryImport } from '../lib/optional'
import type { Figure, Row } from '../lib/types'

const CANDIDATES = ['main/services/sync/outbox', 'main/services/outbox/index', 'main/services/outbox']
const FLUSH_NAMES = ['flushOutbox', 'runOutboxPass', 'sendOutbox']

export const figure: Figure = {
  id: 'outboxFlush',
  title: 'outbox flush',
  async run(ctx: BenchContext): Promise<Row[]> {
    const name = `outbox flush of ${ctx.config.outboxCount.toLocaleString('en')} mutations`
    const target = '≥ 2,000 mutations/s'
    const reasons: string[] = []
    for (const c of CANDIDATES) {
      const m = await tryImport(ctx.config.root, c)
      if (!m.ok) {
        reasons.push(m.reason)
        continue
      }
      const fn = pickFunction(m.mod, FLUSH_NAMES)
      reasons.push(fn ? `${c} exports ${fn.name}, not wired into bench/figures/outboxFlush.ts yet` : `${c} exports none of ${FLUSH_NAMES.join('/')}`)
      break
    }
    return [{ figure: '7 outbox', name, unit: 'ops/s', target, verdict: 'n/a', note: `office sync not available: ${reasons.find((r) => r.includes('export')) ?? reasons[0] ?? 'no module'}` }]
  },
}
