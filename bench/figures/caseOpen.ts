/**
 * Figure 3 — case open: `POST /api/cases.get` (case, documents, history, notes, form view) vs
 * the four row reads through better-sqlite3.
 */
import type { BenchContext } from '../lib/context'
import { latencyRow, sideBySide } from '../lib/measure'
import type { Figure, Row } from '../lib/types'

export const figure: Figure = {
  id: 'caseOpen',
  title: 'case open (cases.get)',
  async run(ctx: BenchContext): Promise<Row[]> {
    const desk = await ctx.desk()
    const raw = ctx.rawDb()
    const n = (raw.prepare('SELECT count(*) AS n FROM cases').get() as { n: number }).n
    const byOffset = raw.prepare('SELECT id FROM cases ORDER BY rowid LIMIT 1 OFFSET ?').pluck()
    // ids spread over the table, the same for both sides
    const ids = Array.from(
      { length: 64 },
      (_, i) => byOffset.get(Math.floor(((i * 7919) % 64) * (n / 64))) as string,
    )
    const caseStmt = raw.prepare('SELECT * FROM cases WHERE id = ?')
    const docs = raw.prepare('SELECT * FROM documents WHERE case_id = ? ORDER BY created_at, id')
    const hist = raw.prepare('SELECT * FROM case_history WHERE case_id = ? ORDER BY seq')
    const notes = raw.prepare('SELECT * FROM notes WHERE case_id = ? ORDER BY created_at')
    const pick = (i: number) => ids[i % ids.length] as string
    const pair = await sideBySide({
      warmup: 5,
      runs: Math.max(ctx.config.runs * 2, 20),
      measured: (i) => desk.call('cases.get', { id: pick(i) }),
      reference: (i) => {
        const id = pick(i)
        const c = caseStmt.get(id) as { form_data: string }
        JSON.parse(c.form_data)
        return [docs.all(id), hist.all(id), notes.all(id)]
      },
    })
    return [
      latencyRow({
        figure: '3 case open',
        name: 'case open (cases.get) to data',
        pair,
        referenceLabel: 'better-sqlite3',
        p95Max: 50,
        target: 'p95 ≤ 50 ms',
      }),
    ]
  },
}
