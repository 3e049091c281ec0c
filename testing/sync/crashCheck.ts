import { seededRandom } from '../../hub/seed/prng'
// kill -9 rounds against a real desk process (tests only): queue actions and submissions, start a
// sync pass, SIGKILL the desk at a random moment, restart; at the end sync to completion and count
// lost and duplicated effects at the hub. Shared by `npm test` (5 rounds) and test:faults (50).
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openDatabaseReadOnly } from '../../db/open'
import { openDeskKeys } from '../../main/core/atRest/keys'
import { all, scalar, shape, sql, type ReadDb, type Sql } from '../../db/sql'
import { startDesk, type RunningDesk } from '../../e2e/desk'
import type { RunningHub } from '../../hub/server'
import { seedSubmissions } from '../../hub/seed/seed'

export interface CrashStats {
  rounds: number
  kills: number
  confirmedActions: number
  unconfirmedActions: number
  submissions: number
  hubCases: number
  lost: number
  duplicated: number
  problems: string[]
}

/** The CLI refuses to start without the built renderer; build it once when missing. */
export function ensureRendererBuilt(): void {
  if (existsSync('out/renderer/index.html')) return
  const r = spawnSync(process.execPath, ['scripts/ensure-build.mjs'], { stdio: 'inherit' })
  if (r.status !== 0) throw new Error('renderer build failed')
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
/** RunningDesk.stop waits for an exit that already happened when the process died by a signal. */
const kill = async (d: RunningDesk, signal: NodeJS.Signals) => {
  if (d.process.exitCode !== null || d.process.signalCode !== null) return
  await d.stop(signal)
}

export async function runCrashRounds(
  hub: RunningHub,
  opts: { rounds: number; seed: number; submissionsPerRound?: number; actionsPerRound?: number },
): Promise<CrashStats> {
  const random = seededRandom(opts.seed)
  const dataDir = mkdtempSync(join(tmpdir(), 'crash-desk-'))
  const args = ['--hub', hub.url, '--hub-config', join(hub.dataDir, 'hub.json'), '--no-sync']
  const confirmed = new Set<string>()
  const unconfirmed = new Set<string>()
  const stats: CrashStats = {
    rounds: opts.rounds,
    kills: 0,
    confirmedActions: 0,
    unconfirmedActions: 0,
    submissions: 0,
    hubCases: 0,
    lost: 0,
    duplicated: 0,
    problems: [],
  }
  const perRound = opts.submissionsPerRound ?? 4
  const actionsPerRound = opts.actionsPerRound ?? 12
  let n = 0

  const teamOf = new Map<string, string>()
  const signedIn = new WeakMap<RunningDesk, string>()
  const caseIds = async (d: RunningDesk) =>
    (
      await d.call<{ rows: { id: string; procedureId: string }[] }>('cases.list', {
        view: 'alle',
        limit: 500,
      })
    ).rows.map((r) => {
      teamOf.set(r.id, r.procedureId)
      return r.id
    })
  const act = async (d: RunningDesk, ids: string[]) => {
    const id = ids[Math.floor(random() * ids.length)]
    if (!id) return
    // the lead of the case's team may act on it whoever it is assigned to (main/core/rights.ts)
    const lead = teamOf.get(id) === 'wohngeld' ? 'u-sbaeumer' : 'u-hjuengling'
    if (signedIn.get(d) !== lead) {
      await d.call('session.login', { userId: lead, password: 'demo' })
      signedIn.set(d, lead)
    }
    const kind = random()
    if (kind < 0.7) {
      const text = `Vermerk crash-${opts.seed}-${n++}`
      unconfirmed.add(text)
      await d.call('casework.addNote', { id, text })
      unconfirmed.delete(text)
      confirmed.add(text)
    } else {
      await d
        .call(kind < 0.85 ? 'casework.take' : 'casework.release', { id })
        .catch(() => undefined) // may be refused locally
    }
  }

  for (let round = 0; round < opts.rounds; round++) {
    const seeded = await seedSubmissions({
      hubUrl: hub.url,
      hubConfig: hub.config,
      count: perRound,
      seed: `crash-${opts.seed}-${round}`,
      concurrency: 4,
    })
    stats.submissions += seeded.submissions.length
    const d = await startDesk({ dataDir, args })
    try {
      const ids = await caseIds(d)
      const mode = random()
      if (mode < 0.5 && ids.length > 0) {
        // queue confirmed actions, then kill during the sync pass (outbox push / intake)
        for (let i = 0; i < actionsPerRound; i++) await act(d, ids)
        const pass = d.call('sync.run').catch(() => undefined)
        await sleep(Math.floor(random() * 1500))
        await kill(d, 'SIGKILL')
        await pass
      } else {
        // kill while actions and a sync pass run at the same time (an action in flight is unconfirmed)
        const pass = d.call('sync.run').catch(() => undefined)
        const actions = (async () => {
          for (let i = 0; i < actionsPerRound && ids.length > 0; i++) await act(d, ids)
        })().catch(() => undefined)
        await sleep(Math.floor(random() * 1200))
        await kill(d, 'SIGKILL')
        await Promise.all([pass, actions])
      }
      stats.kills++
    } finally {
      await kill(d, 'SIGKILL')
    }
  }

  // recovery: restart and sync to completion
  const d = await startDesk({ dataDir, args })
  try {
    for (let i = 0; i < 20; i++) {
      const r = await d.call<{ error: string | null; intake: { total: number } }>('sync.run')
      const s = await d.call<{ pending: number }>('sync.status')
      if (!r.error && s.pending === 0 && r.intake.total === 0) break
    }
    const status = await d.call<{ pending: number; conflicts: number; failed: number }>(
      'sync.status',
    )
    if (status.pending > 0) stats.problems.push(`${status.pending} mutations still pending`)
    if (status.failed > 0) stats.problems.push(`${status.failed} mutations rejected`)
  } finally {
    await kill(d, 'SIGTERM')
  }

  const hubDb = openDatabaseReadOnly(join(hub.dataDir, 'hub.sqlite'))
  const deskDb = openDatabaseReadOnly(
    join(dataDir, 'aktenfluss.db'),
    openDeskKeys(dataDir, { mustExist: true }).dbKeyHex,
  )
  const count = (db: ReadDb, q: Sql) => Number(scalar(db, q) ?? 0)
  try {
    const bySubmission = all(
      hubDb,
      sql`SELECT submission_id, count(*) AS n FROM office_cases WHERE submission_id IS NOT NULL GROUP BY submission_id`,
      shape({ submission_id: 'text', n: 'int' }),
    )
    stats.hubCases = count(hubDb, sql`SELECT count(*) FROM office_cases`)
    const accepted = count(hubDb, sql`SELECT count(*) FROM submissions WHERE state = 'accepted'`)
    // every submission seeded in these rounds was accepted and registered exactly once
    if (accepted < stats.submissions) stats.lost += stats.submissions - accepted
    if (bySubmission.length < accepted) stats.lost += accepted - bySubmission.length
    stats.duplicated += bySubmission.filter((r) => r.n > 1).length
    const deskCases = all(
      deskDb,
      sql`SELECT submission_id, count(*) AS n FROM cases WHERE submission_id IS NOT NULL AND retired_into IS NULL GROUP BY submission_id HAVING n > 1`,
      shape({ submission_id: 'text', n: 'int' }),
    )
    stats.duplicated += deskCases.length
    // every confirmed note is at the hub exactly once; an unconfirmed one at most once
    const noteCount = (text: string) =>
      count(hubDb, sql`SELECT count(*) FROM office_notes WHERE text = ${text}`)
    const noteChanges = (text: string) =>
      count(
        hubDb,
        sql`SELECT count(*) FROM office_changes WHERE type = 'case.note' AND json_extract(payload, '$.text') = ${text}`,
      )
    for (const text of confirmed) {
      const k = noteCount(text)
      const c = noteChanges(text)
      if (k === 0) stats.lost++
      if (k > 1 || c > 1) stats.duplicated++
    }
    for (const text of unconfirmed) {
      const c = noteChanges(text)
      if (c > 1) stats.duplicated++
    }
    // the desk and the hub hold the same cases
    const deskCount = count(deskDb, sql`SELECT count(*) FROM cases WHERE retired_into IS NULL`)
    if (deskCount !== stats.hubCases)
      stats.problems.push(`desk has ${deskCount} cases, hub ${stats.hubCases}`)
  } finally {
    hubDb.close()
    deskDb.close()
  }
  stats.confirmedActions = confirmed.size
  stats.unconfirmedActions = unconfirmed.size
  return stats
}
