/**
 * Figure 9 — the cost of encryption at rest (issue #17): the same data set in two desk
 * processes, one encrypted (the default: SQLCipher database, AES-GCM blobs) and one started with
 * AKTENFLUSS_AT_REST=plaintext, sampled side by side through the same HTTP API: list pages,
 * search, case open. The ingest store (intake.create with a 200 KB PDF: blob, case, documents,
 * history, outbox in one transaction) is measured in this process on two fresh desks.
 * Target: encrypted ≤ 1.3× plaintext (ratio of the medians).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createDesk } from '../../main/desk'
import type { BenchContext } from '../lib/context'
import { latencyRow, pooledRow, sideBySide, type Pair } from '../lib/measure'
import type { Figure, Row } from '../lib/types'

const FIG = '9 at rest'
const TARGET = 'encrypted ≤ 1.3× plaintext'
const LABEL = 'plaintext desk'

const LISTS = [
  { view: 'alle', sort: 'received', direction: 'desc', at: 0 },
  { view: 'posteingang', sort: 'deadline', direction: 'asc', at: 0 },
  { view: 'alle', sort: 'aktenzeichen', direction: 'asc', at: 0.5 },
  { view: 'alle', sort: 'applicant', direction: 'asc', at: 0.9 },
] as const
const SEARCHES = ['mueller', 'strass', 'Jürgen Görlitz']

export const figure: Figure = {
  id: 'atRest',
  title: 'encryption at rest overhead',
  async run(ctx: BenchContext): Promise<Row[]> {
    const [enc, plain] = await Promise.all([ctx.desk(), ctx.plainDesk()])
    const rows: Row[] = []
    const opts = { warmup: 3, runs: ctx.config.runs, budgetMs: ctx.config.variantBudgetMs }
    const group = async (
      name: string,
      variants: { label: string; call: (d: typeof enc) => Promise<unknown> }[],
    ) => {
      const pairs: Pair[] = []
      for (const v of variants) {
        const pair = await sideBySide({
          ...opts,
          measured: () => v.call(enc),
          reference: () => v.call(plain),
        })
        pairs.push(pair)
        rows.push(
          latencyRow({
            figure: FIG,
            name: `${name}: ${v.label}`,
            pair,
            referenceLabel: LABEL,
            ratioMax: 1.3,
            target: TARGET,
          }),
        )
      }
      rows.push(
        pooledRow({
          figure: FIG,
          name: `${name} (all variants)`,
          pairs,
          referenceLabel: LABEL,
          ratioMax: 1.3,
          target: TARGET,
        }),
      )
    }
    const total = (
      await enc.call<{ total: number }>('cases.list', { view: 'alle', offset: 0, limit: 1 })
    ).total
    await group(
      'list page',
      LISTS.map((q) => {
        const input = {
          view: q.view,
          sort: q.sort,
          direction: q.direction,
          offset: Math.floor(total * q.at),
          limit: 50,
        }
        return {
          label: `${q.view} ${q.sort} ${q.direction} @${input.offset}`,
          call: (d) => d.call('cases.list', input),
        }
      }),
    )
    await group(
      'search',
      SEARCHES.map((query) => ({
        label: query,
        call: (d) => d.call('cases.search', { query, limit: 50 }),
      })),
    )
    const page = await enc.call<{ rows: { id: string }[] }>('cases.list', {
      view: 'alle',
      sort: 'received',
      direction: 'desc',
      offset: Math.floor(total / 3),
      limit: 50,
    })
    const ids = page.rows.map((r) => r.id)
    await group('case open', [
      {
        label: `${ids.length} cases in turn`,
        call: (() => {
          let i = 0
          return (d: typeof enc) => d.call('cases.get', { id: ids[i++ % ids.length] })
        })(),
      },
    ])
    rows.push(await ingestStore(ctx))
    return rows
  },
}

/** intake.create with a fresh 200 KB attachment, encrypted desk vs plaintext desk, in-process. */
async function ingestStore(ctx: BenchContext): Promise<Row> {
  const encDir = mkdtempSync(join(tmpdir(), 'aktenfluss-bench-ingest-enc-'))
  const plainDir = mkdtempSync(join(tmpdir(), 'aktenfluss-bench-ingest-plain-'))
  const enc = createDesk({ dataDir: encDir, mode: 'browser' })
  const plain = createDesk({ dataDir: plainDir, mode: 'browser', atRest: 'plaintext' })
  const filler = Buffer.alloc(200_000, 0x20)
  const input = (i: number) => ({
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
  const call = async (d: typeof enc, i: number) => {
    const r = await d.dispatch('intake.create', input(i))
    if (!r.ok) throw new Error(`intake.create: ${r.error.message}`)
  }
  try {
    const pair = await sideBySide({
      warmup: 5,
      runs: Math.max(ctx.config.runs * 2, 40),
      measured: (i) => call(enc, i),
      reference: (i) => call(plain, 100_000 + i),
    })
    return latencyRow({
      figure: FIG,
      name: 'ingest store (intake.create, 200 KB PDF)',
      pair,
      referenceLabel: 'plaintext desk (in-process)',
      ratioMax: 1.3,
      target: TARGET,
    })
  } finally {
    await Promise.all([enc.close(), plain.close()])
    rmSync(encDir, { recursive: true, force: true })
    rmSync(plainDir, { recursive: true, force: true })
  }
}
