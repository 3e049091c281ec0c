/**
 * Figure 10 — desk A → desk B: time from a local change on desk A (a note) to its appearance in
 * desk B's database, both online with background sync as the adapters run it (30-second timer,
 * prompt push, change-feed push) against an in-process reference hub [p95 ≤ 3 s]. Reference in
 * the same run: from the same change to its arrival at the hub (A's prompt push alone).
 */
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import type { BenchContext } from '../lib/context'
import { summarize } from '../lib/stats'
import type { Figure, Row } from '../lib/types'

const PDF = Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n')
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export const figure: Figure = {
  id: 'deskToDesk',
  title: 'desk A → desk B',
  async run(_ctx: BenchContext): Promise<Row[]> {
    const rounds = Number(process.env.BENCH_A2B_ROUNDS ?? 30)
    const { startTestHub, makeTestDesk } = await import('../../testing/sync/testHarness')
    const { openDatabaseReadOnly } = await import('../../db/open')
    const dbSql = await import('../../db/sql')
    const { sql } = dbSql
    const scalar = (
      db: Parameters<typeof dbSql.scalar>[0],
      q: Parameters<typeof dbSql.scalar>[1],
    ) => dbSql.scalar(db, q)
    const hub = await startTestHub()
    const a = makeTestDesk(hub)
    const b = makeTestDesk(hub)
    const hubDb = openDatabaseReadOnly(join(hub.dataDir, 'hub.sqlite'))
    try {
      await a.login('u-sbaeumer') // lead of team-soziales: notes on every Wohngeld case
      await b.login('u-jweiss') // a clerk of the same team: sees its cases (need-to-know)
      const { caseId } = await a.call<{ caseId: string }>('intake.create', {
        procedureId: 'wohngeld',
        applicantName: 'Bernd Benchmark',
        applicantAddress: 'Berliner Str. 5, 02826 Görlitz',
        channel: 'paper',
        attachments: [
          { filename: 'Antrag.pdf', mimeType: 'application/pdf', base64: PDF.toString('base64') },
        ],
      })
      await a.desk.sync.retryNow()
      await b.desk.sync.retryNow()
      a.desk.sync.start(30_000)
      b.desk.sync.start(30_000)
      await sleep(500)
      const atHub = (text: string) =>
        Number(scalar(hubDb, sql`SELECT count(*) FROM office_notes WHERE text = ${text}`)) > 0
      const atB = (text: string) =>
        Number(scalar(b.desk.ctx.db, sql`SELECT count(*) FROM notes WHERE text = ${text}`)) > 0
      const toHub: number[] = []
      const toB: number[] = []
      let missed = 0
      for (let i = 0; i < rounds; i++) {
        const text = `Messung ${i}`
        const started = performance.now()
        await a.call('casework.addNote', { id: caseId, text })
        let hubMs: number | undefined
        let bMs: number | undefined
        while (bMs === undefined && performance.now() - started < 35_000) {
          if (hubMs === undefined && atHub(text)) hubMs = performance.now() - started
          if (atB(text)) bMs = performance.now() - started
          else await sleep(5)
        }
        if (bMs === undefined) missed++
        else toB.push(bMs)
        toHub.push(hubMs ?? bMs ?? 35_000)
        await sleep(200 + ((i * 37) % 300)) // changes at uneven moments, not in step with any timer
      }
      const value = summarize(toB)
      const reference = summarize(toHub)
      return [
        {
          figure: '10 A→B',
          name: `local change on desk A visible on desk B (${rounds} notes, both online)`,
          unit: 'ms',
          value,
          reference,
          referenceLabel: 'the same change arriving at the hub (A’s push)',
          ratio: value.median / reference.median,
          target: 'p95 ≤ 3 s',
          verdict: missed === 0 && value.p95 <= 3000 ? 'pass' : 'fail',
          note: `push debounce 1 s, change-feed stream wakes B${missed ? `; ${missed} not seen within 35 s` : ''}`,
          extra: { rounds, missed },
        },
      ]
    } finally {
      hubDb.close()
      await a.desk.close()
      await b.desk.close()
      await hub.close()
      rmSync(hub.dataDir, { recursive: true, force: true })
    }
  },
}
