/**
 * Figure 12 — what the maintained list aggregates cost the writes (migration 0018-list-aggregates:
 * case_rank and case_workload, kept by triggers on every insert/update/delete of a listed case).
 * Two fresh encrypted desks in this process, one with the four 0018 triggers dropped, sampled
 * side by side: the ingest store (intake.create with a 200 KB PDF: blob, case, documents,
 * history, outbox in one transaction) and a case update that moves the case between groups
 * (team.assign as the team lead: the assignee changes → update_old and update_new fire).
 * No target in #17: reported (verdict info) beside what the aggregates save the reads.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setSetting } from '../../db/repositories/settings'
import { createDesk, type Desk } from '../../main/desk'
import type { BenchContext } from '../lib/context'
import { latencyRow, sideBySide } from '../lib/measure'
import type { Figure, Row } from '../lib/types'

const FIG = '12 aggregates'
const TARGET = 'reported'
const LABEL = 'same desk without the 0018 triggers'
const TRIGGERS = [
  'cases_aggregates_insert',
  'cases_aggregates_delete',
  'cases_aggregates_update_old',
  'cases_aggregates_update_new',
]

const filler = Buffer.alloc(200_000, 0x20)
const intakeInput = (i: number) => ({
  procedureId: 'wohngeld',
  applicantName: `Bench Antragsteller ${i}`,
  applicantAddress: 'Hauptstraße 1, 01067 Dresden',
  channel: 'paper' as const,
  attachments: [
    {
      filename: 'antrag.pdf',
      mimeType: 'application/pdf',
      base64: Buffer.concat([
        Buffer.from(`%PDF-1.4\n% ${i} ${Math.random()}\n`),
        filler,
        Buffer.from('\n%%EOF\n'),
      ]).toString('base64'),
    },
  ],
})

async function ok<T>(d: Desk, method: string, input: unknown): Promise<T> {
  const r = await d.dispatch(method, input)
  if (!r.ok) throw new Error(`${method}: ${r.error.message}`)
  return r.value as T
}

export const figure: Figure = {
  id: 'aggregates',
  title: 'cost of the list aggregates (0018 triggers) on writes',
  async run(ctx: BenchContext): Promise<Row[]> {
    const dirs = [0, 1].map(() => mkdtempSync(join(tmpdir(), 'aktenfluss-bench-agg-')))
    const [withT, without] = dirs.map((dataDir) => createDesk({ dataDir, mode: 'browser' })) as [
      Desk,
      Desk,
    ]
    try {
      for (const t of TRIGGERS) without.ctx.db.exec(`DROP TRIGGER ${t}`)
      const runs = Math.max(ctx.config.runs * 2, 40)
      const created: Record<'a' | 'b', string[]> = { a: [], b: [] }
      const ingest = await sideBySide({
        warmup: 5,
        runs,
        measured: async (i) => {
          created.a.push(
            (await ok<{ caseId: string }>(withT, 'intake.create', intakeInput(i))).caseId,
          )
        },
        reference: async (i) => {
          created.b.push(
            (await ok<{ caseId: string }>(without, 'intake.create', intakeInput(1e6 + i))).caseId,
          )
        },
      })
      // the team lead distributes: every call moves one case to the other clerk
      for (const d of [withT, without]) setSetting(d.ctx.db, 'user', 'u-sbaeumer')
      const clerks = ['u-jweiss', 'u-amueller']
      const assign = (d: Desk, ids: string[]) => (i: number) =>
        ok(d, 'team.assign', {
          ids: [ids[i % ids.length]],
          assignee: clerks[(Math.floor(i / ids.length) + 1) % 2],
        })
      const update = await sideBySide({
        warmup: 2,
        runs,
        measured: assign(withT, created.a),
        reference: assign(without, created.b),
      })
      const [rankRows, workloadRows] = ['case_rank', 'case_workload'].map(
        (t) => (withT.ctx.db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n,
      )
      const info = (r: Row): Row => ({ ...r, verdict: 'info' })
      return [
        info(
          latencyRow({
            figure: FIG,
            name: 'ingest store (intake.create, 200 KB PDF) with vs without the triggers',
            pair: ingest,
            referenceLabel: LABEL,
            target: TARGET,
          }),
        ),
        info(
          latencyRow({
            figure: FIG,
            name: 'case update (team.assign) with vs without the triggers',
            pair: update,
            referenceLabel: LABEL,
            target: TARGET,
            note: `aggregate rows after the run: case_rank ${rankRows}, case_workload ${workloadRows}`,
          }),
        ),
      ]
    } finally {
      await Promise.all([withT.close(), without.close()])
      for (const d of dirs) rmSync(d, { recursive: true, force: true })
    }
  },
}
