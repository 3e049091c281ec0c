// One load run: N simulated desks (own credential, own signed-in user) against P hub processes on
// one database, requests spread round-robin; afterwards every desk is checked against the hub's
// database (bench/hub/check.ts) and the full feed read from every process must be identical.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadOfficeDirectory } from '../../hub/office/directory'
import { verify, type Verification } from './check'
import { startLoopbackIdp } from './idp'
import { registerDesks, startHubProcesses, useExternalIdentity, type HubProcess } from './procs'
import { SimDesk, changesPage, type Change, type DeskUser } from './simDesk'
import { readHubTruth } from './truth'

export interface LoadOptions {
  label: string
  processes: number
  desks: number
  /** batches per desk */
  rounds: number
  /** postgres://… of an empty database; undefined = the embedded SQLite of the data folder */
  database?: string
  log?: (s: string) => void
}

export interface LoadResult {
  label: string
  processes: number
  desks: number
  /** applied mutations per second of the load phase */
  mutationsPerSecond: number
  requestsPerSecond: number
  loadMs: number
  pushMs: number[]
  pullMs: number[]
  retried: number
  retryNotDuplicate: number
  /** 5xx answers and broken connections the desks met (each request was repeated) */
  serverErrors: number
  /** the auditor's full feed differed between processes */
  feedsDiffer: number
  verification: Verification
}

/** The directory's users who work on cases, each with a procedure of their team. */
export function deskUsers(): DeskUser[] {
  const dir = loadOfficeDirectory()
  const out: DeskUser[] = []
  for (const u of dir.users) {
    if (u.role === 'records') continue
    const procedureId = dir.teams.find((t) => t.teamId === u.teamId)?.procedures[0]
    const fileCode = dir.procedures.find((p) => p.id === procedureId)?.fileCode
    if (procedureId && fileCode)
      out.push({ userId: u.userId, teamId: u.teamId, procedureId, fileCode })
  }
  return out
}

async function fullFeed(url: string, header: string, token: string): Promise<Change[]> {
  const out: Change[] = []
  let since = '0'
  for (;;) {
    const r = await fetch(`${url}/office/v1/changes?since=${since}&limit=5000`, {
      headers: { 'x-aktenfluss-desk': header, authorization: `Bearer ${token}` },
    })
    if (r.status !== 200) throw new Error(`feed at ${url}: HTTP ${r.status} ${await r.text()}`)
    const page = changesPage.parse(await r.json())
    out.push(...page.changes)
    since = page.next
    if (!page.hasMore) return out
  }
}

export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  const log = opts.log ?? (() => {})
  const dataDir = mkdtempSync(join(tmpdir(), 'aktenfluss-hubload-'))
  const idp = await startLoopbackIdp()
  let procs: HubProcess[] = []
  try {
    const ids = Array.from({ length: opts.desks }, (_, i) => `last-${String(i).padStart(4, '0')}`)
    const t0 = performance.now()
    const creds = await registerDesks(dataDir, [...ids, 'pruefer'], opts.database)
    log(
      `${opts.label}: ${creds.length} desks registered in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    )
    await useExternalIdentity(dataDir, idp.issuer)
    procs = await startHubProcesses(opts.processes, {
      dataDir,
      ...(opts.database ? { database: opts.database } : {}),
    })
    const urls = procs.map((p) => p.url)
    log(`${opts.label}: hub processes at ${urls.join(' ')}`)

    const users = deskUsers()
    const tokens = new Map<string, Promise<string>>()
    const token = (userId: string) => () => {
      let t = tokens.get(userId)
      if (!t) tokens.set(userId, (t = idp.token(userId)))
      return t
    }
    const dir = loadOfficeDirectory()
    const desks = creds.slice(0, opts.desks).map((c, i) => {
      const user = users[i % users.length]!
      return new SimDesk(c, user, urls, token(user.userId), i)
    })
    await Promise.all(desks.map((d) => d.pull()))

    const tLoad = performance.now()
    await Promise.all(
      desks.map(async (d) => {
        let previous: Awaited<ReturnType<SimDesk['nextBatch']>> | undefined
        for (let r = 0; r < opts.rounds; r++) {
          try {
            const batch = await d.nextBatch(r)
            await d.push(batch)
            // every fourth round: the answer "was lost", the desk's outbox sends the batch again
            if (r % 4 === 3 && previous) await d.push(previous, true)
            previous = batch
            await d.pull()
          } catch (e) {
            d.errors.push(e instanceof Error ? e.message : String(e))
          }
        }
      }),
    )
    const loadMs = performance.now() - tLoad
    // settle: every desk pulls once more after the last push of all desks
    await Promise.all(desks.map((d) => d.pull()))

    const auditor = creds.at(-1)!
    const records = dir.users.find((u) => u.role === 'records')!.userId
    const auditToken = await idp.token(records)
    const feeds = await Promise.all(
      urls.map((u) => fullFeed(u, `${auditor.deskId}:${auditor.secret}`, auditToken)),
    )
    const reference = JSON.stringify(feeds[0])
    const feedsDiffer = feeds.filter((f) => JSON.stringify(f) !== reference).length

    const truth = await readHubTruth(dataDir, opts.database)
    const teamProcedures = (teamId: string) =>
      new Set(dir.teams.find((t) => t.teamId === teamId)?.procedures ?? [])
    const verification = verify(
      desks.map((d) => ({
        deskId: d.credential.deskId,
        procedures: teamProcedures(d.user.teamId),
        results: d.results,
        seen: d.seen,
        cases: d.cases,
      })),
      truth,
    )
    for (const d of desks)
      for (const e of [...d.errors, ...d.serverErrors].slice(0, 3))
        verification.problems.push(`${d.credential.deskId}: ${e}`)
    if (desks.some((d) => d.serverErrors.length > 0))
      for (const p of procs) verification.problems.push(`hub log: ${p.log().slice(-600)}`)
    const errors = desks.reduce((n, d) => n + d.errors.length, 0)
    if (errors > 0) verification.notApplied += errors
    const pushMs = desks.flatMap((d) => d.pushMs)
    const pullMs = desks.flatMap((d) => d.pullMs)
    const applied = [...desks].reduce(
      (n, d) => n + [...d.results.values()].filter((s) => s === 'applied').length,
      0,
    )
    return {
      label: opts.label,
      processes: opts.processes,
      desks: opts.desks,
      mutationsPerSecond: applied / (loadMs / 1000),
      requestsPerSecond: (pushMs.length + pullMs.length) / (loadMs / 1000),
      loadMs,
      pushMs,
      pullMs,
      retried: desks.reduce((n, d) => n + d.retried, 0),
      serverErrors: desks.reduce((n, d) => n + d.serverErrors.length, 0),
      retryNotDuplicate: desks.reduce((n, d) => n + d.retryNotDuplicate, 0),
      feedsDiffer,
      verification,
    }
  } finally {
    await Promise.all(procs.map((p) => p.stop()))
    await idp.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
}
