/**
 * Outbox loop (docs/architecture.md, "Sync engine"): pending mutations go to the hub in order, in
 * batches of one acting user, referenced blobs first. Every answer is stored in one local
 * transaction per batch; nothing is ever dropped. Network errors propagate (the engine backs off).
 */
import type { Db } from '../../../db/open'
import { appendHistory } from '../../../db/repositories/history'
import type { MutationResult, OfficeClient, OutgoingMutation } from '../../hub-client'
import { berlinDate } from '../../core/clock'
import type { AppContext } from '../../core/context'
import { adoptOfficeCase, renumberLocalCase } from './officeCases'
import { fieldEffects, learnOfficeValues, refreshSyncState, showOfficeValues } from './officeState'

export interface PushCounts {
  sent: number
  duplicates: number
  conflicts: number
  rejected: number
  adopted: number
  /** local-sequence Aktenzeichen the office already knew, renumbered and sent again */
  renumbered: number
  batches: number
}

export interface PushDeps {
  office: OfficeClient
  deskId: string
  batchSize?: number
  signal?: AbortSignal
}

interface Row {
  seq: number
  mutation_id: string
  type: string
  case_id: string
  base_version: number
  at: string
  actor: string
  payload: string
}

/** sha256 of every document a mutation refers to (uploaded before the mutation). */
export function referencedBlobs(type: string, payload: Record<string, unknown>): string[] {
  const sha = (d: unknown) => (d && typeof d === 'object' && typeof (d as { sha256?: unknown }).sha256 === 'string' ? [(d as { sha256: string }).sha256] : [])
  if (type === 'case.register' && Array.isArray(payload.documents)) return payload.documents.flatMap(sha)
  if (type === 'case.requestDocuments' || type === 'notice.issue' || type === 'case.document') return sha(payload.document)
  return []
}

const cache = new WeakMap<Db, ReturnType<typeof prepare>>()
function prepare(db: Db) {
  return {
    pending: db.prepare<[number], Row>("SELECT seq, mutation_id, type, case_id, base_version, at, actor, payload FROM outbox WHERE state = 'pending' ORDER BY seq LIMIT ?"),
    uploaded: db.prepare<[string], { n: number }>('SELECT 1 AS n FROM blob_uploads WHERE sha256 = ?'),
    markUploaded: db.prepare('INSERT OR IGNORE INTO blob_uploads (sha256) VALUES (?)'),
    markSent: db.prepare(
      "UPDATE outbox SET state = 'sent', attempts = attempts + 1, last_error = NULL, result = ?, hub_version = ?, sent_at = ? WHERE mutation_id = ? AND state = 'pending'",
    ),
    markFailed: db.prepare("UPDATE outbox SET state = ?, attempts = attempts + 1, last_error = ?, result = ? WHERE mutation_id = ? AND state = 'pending'"),
    attempt: db.prepare('UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE mutation_id = ?'),
    registerPending: db.prepare<[string], { n: number }>("SELECT 1 AS n FROM outbox WHERE case_id = ? AND type = 'case.register' AND state = 'pending'"),
    insertConflict: db.prepare(
      `INSERT INTO case_conflicts (mutation_id, case_id, local, remote, at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (mutation_id) DO UPDATE SET local = excluded.local, remote = excluded.remote, at = excluded.at, resolved_at = NULL, resolution = NULL`,
    ),
    caseRow: db.prepare<[string], { aktenzeichen: string; status: string; assignee: string | null; follow_up: string | null; version: number }>(
      'SELECT aktenzeichen, status, assignee, follow_up, version FROM cases WHERE id = ?',
    ),
  }
}
const stmts = (db: Db) => {
  let s = cache.get(db)
  if (!s) cache.set(db, (s = prepare(db)))
  return s
}

/**
 * A notice dated before today that still sits in the outbox (the desk was offline) is held until
 * the clerk confirms it may go with that date: its Bekanntgabe and objection period depend on it.
 * Later mutations of the same case wait behind it; other cases go on.
 */
export function isHeldNotice(r: Pick<Row, 'type' | 'payload'>, today: string): boolean {
  if (r.type !== 'notice.issue') return false
  const p = JSON.parse(r.payload) as { dispatchDate?: string; confirmedLate?: boolean }
  return typeof p.dispatchDate === 'string' && p.dispatchDate < today && p.confirmedLate !== true
}

/** The next batch: pending entries in order while the acting user stays the same. */
function nextBatch(db: Db, size: number, today: string): Row[] {
  const held = new Set<string>()
  const rows = stmts(db)
    .pending.all(size)
    .filter((r) => {
      if (held.has(r.case_id)) return false
      if (isHeldNotice(r, today)) {
        held.add(r.case_id)
        return false
      }
      return true
    })
  const actor = rows[0]?.actor
  const cut = rows.findIndex((r) => r.actor !== actor)
  return cut === -1 ? rows : rows.slice(0, cut)
}

async function uploadBlobs(ctx: AppContext, deps: PushDeps, batch: Row[]): Promise<void> {
  const s = stmts(ctx.db)
  const needed = new Set<string>()
  for (const r of batch) {
    if (r.type !== 'case.register' && r.type !== 'case.requestDocuments' && r.type !== 'notice.issue' && r.type !== 'case.document') continue
    for (const sha of referencedBlobs(r.type, JSON.parse(r.payload) as Record<string, unknown>)) if (!s.uploaded.get(sha)) needed.add(sha)
  }
  for (const sha of needed) {
    let bytes: Buffer
    try {
      bytes = ctx.blobs.get(sha)
    } catch {
      continue // missing locally: the hub rejects the mutation with missing-blob, visibly
    }
    await deps.office.putBlob(sha, bytes, deps.signal)
    s.markUploaded.run(sha)
  }
}

const problemText = (r: MutationResult) => (r.problem ? `${r.problem.title}${r.problem.detail ? `: ${r.problem.detail}` : ''}` : 'Vom Hub abgelehnt')

/** Stores the hub's answers for one batch in one transaction; returns the cases touched. */
function storeResults(ctx: AppContext, batch: Row[], results: MutationResult[], counts: PushCounts): Set<string> {
  const db = ctx.db
  const s = stmts(db)
  const byId = new Map(results.map((r) => [r.mutationId, r]))
  const at = ctx.clock.now().toISOString()
  const touched = new Set<string>()
  db.transaction(() => {
    for (const row of batch) {
      const r = byId.get(row.mutation_id)
      if (!r) continue // no answer: stays pending
      const payload = JSON.parse(row.payload) as Record<string, unknown>
      touched.add(row.case_id)
      if (r.status === 'applied' || r.status === 'duplicate') {
        s.markSent.run(JSON.stringify(r), r.version ?? null, at, row.mutation_id)
        if (r.version !== undefined) learnOfficeValues(db, row.case_id, fieldEffects(row.type, payload), r.version)
        if (r.status === 'applied') counts.sent++
        else counts.duplicates++
      } else if (r.status === 'conflict' && row.type === 'case.register' && r.current && r.current.caseId !== row.case_id) {
        adoptOfficeCase(ctx, row.case_id, r.current, at)
        touched.add(r.current.caseId)
        counts.adopted++
      } else if (r.status === 'conflict' && r.current) {
        const local = s.caseRow.get(row.case_id)
        s.markFailed.run('conflict', 'Konflikt: der Vorgang wurde inzwischen an einem anderen Arbeitsplatz geändert.', JSON.stringify({ status: r.status }), row.mutation_id)
        s.insertConflict.run(row.mutation_id, row.case_id, JSON.stringify({ type: row.type, payload, at: row.at, actor: row.actor, case: local ?? null }), JSON.stringify(r.current), at)
        learnOfficeValues(db, row.case_id, { status: r.current.status, assignee: r.current.assignee, follow_up: r.current.followUp }, r.current.version)
        appendHistory(db, { caseId: row.case_id, at, actor: 'system', action: 'Konflikt beim Abgleich', detail: 'Die eigene Änderung kollidiert mit einer Änderung im Büro; bitte entscheiden.' })
        counts.conflicts++
      } else if (row.type === 'case.register' && r.problem?.type.endsWith('/aktenzeichen-taken') && renumberLocalCase(ctx, row.case_id, at)) {
        s.attempt.run(problemText(r).slice(0, 500), row.mutation_id) // stays pending, goes again with the new number
        counts.renumbered++
      } else if (r.problem?.type.endsWith('/not-found') && s.registerPending.get(row.case_id)) {
        s.attempt.run(problemText(r).slice(0, 500), row.mutation_id) // its registration goes first next time
      } else {
        s.markFailed.run('rejected', problemText(r), JSON.stringify(r), row.mutation_id)
        showOfficeValues(db, row.case_id, Object.keys(fieldEffects(row.type, payload)) as never)
        counts.rejected++
      }
    }
    for (const caseId of touched) refreshSyncState(db, caseId)
  })()
  return touched
}

export async function pushOutbox(ctx: AppContext, deps: PushDeps, onProgress: (done: number, total: number) => void = () => undefined): Promise<PushCounts> {
  const counts: PushCounts = { sent: 0, duplicates: 0, conflicts: 0, rejected: 0, adopted: 0, renumbered: 0, batches: 0 }
  const size = deps.batchSize ?? 200
  const total = (ctx.db.prepare("SELECT count(*) AS n FROM outbox WHERE state = 'pending'").get() as { n: number }).n
  let done = 0
  for (let guard = 0; guard < 1_000_000; guard++) {
    const batch = nextBatch(ctx.db, size, berlinDate(ctx.clock.now()))
    if (batch.length === 0) break
    await uploadBlobs(ctx, deps, batch)
    const mutations: OutgoingMutation[] = batch.map((r) => ({
      mutationId: r.mutation_id,
      type: r.type,
      caseId: r.case_id,
      baseVersion: r.base_version,
      at: r.at,
      payload: JSON.parse(r.payload) as unknown,
    }))
    let results: MutationResult[]
    try {
      results = await deps.office.mutate(deps.deskId, batch[0]!.actor, mutations, deps.signal)
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err)
      const s = stmts(ctx.db)
      ctx.db.transaction(() => batch.forEach((r) => s.attempt.run(msg.slice(0, 500), r.mutation_id)))()
      throw err
    }
    const touched = storeResults(ctx, batch, results, counts)
    counts.batches++
    done += batch.length
    onProgress(Math.min(done, total), total)
    ctx.events.emit('changed', { tags: [...[...touched].slice(0, 200).map((id) => ({ type: 'Case' as const, id })), { type: 'CaseList' }, { type: 'Sync' }] })
    // an answer without a result for some entry would loop forever: stop the pass instead
    if (batch.every((r) => !results.some((x) => x.mutationId === r.mutation_id))) break
  }
  return counts
}
