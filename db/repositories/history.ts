import { createHash } from 'node:crypto'
import type { HistoryEntry } from '../domain'
import type { Db } from '../open'

export type { HistoryEntry } from '../domain'

export const GENESIS_HASH = '0'.repeat(64)


interface HistoryRow {
  seq: number
  case_id: string
  at: string
  actor: string
  action: string
  detail: string
  prev_hash: string
  hash: string
}

export function historyHash(
  prevHash: string,
  e: { caseId: string; at: string; actor: string; action: string; detail: string },
): string {
  return createHash('sha256')
    .update(prevHash)
    .update(JSON.stringify([e.caseId, e.at, e.actor, e.action, e.detail]))
    .digest('hex')
}

/** Appends one entry to the hash-chained audit trail. Call inside the action's transaction. */
export function appendHistory(
  db: Db,
  e: { caseId: string; at: string; actor: string; action: string; detail?: string },
): void {
  const last = db.prepare('SELECT hash FROM case_history ORDER BY seq DESC LIMIT 1').get() as
    | { hash: string }
    | undefined
  const prev = last?.hash ?? GENESIS_HASH
  const entry = { ...e, detail: e.detail ?? '' }
  db.prepare(
    `INSERT INTO case_history (case_id, at, actor, action, detail, prev_hash, hash)
     VALUES (@caseId, @at, @actor, @action, @detail, @prev, @hash)`,
  ).run({ ...entry, prev, hash: historyHash(prev, entry) })
}

export function historyOf(db: Db, caseId: string): HistoryEntry[] {
  return (
    db
      .prepare('SELECT * FROM case_history WHERE case_id = ? ORDER BY seq')
      .all(caseId) as HistoryRow[]
  ).map((r) => ({
    seq: r.seq,
    caseId: r.case_id,
    at: r.at,
    actor: r.actor,
    action: r.action,
    detail: r.detail,
  }))
}

export type ChainResult = { ok: true; entries: number } | { ok: false; entries: number; brokenAt: number; reason: string }

/** Walks the whole chain and reports the first row whose link or content does not match. */
export function verifyHistoryChain(db: Db): ChainResult {
  let prev = GENESIS_HASH
  let n = 0
  for (const r of db.prepare('SELECT * FROM case_history ORDER BY seq').iterate() as IterableIterator<HistoryRow>) {
    n++
    if (r.prev_hash !== prev)
      return { ok: false, entries: n, brokenAt: r.seq, reason: 'Verkettung unterbrochen (prev_hash)' }
    const expect = historyHash(prev, { caseId: r.case_id, at: r.at, actor: r.actor, action: r.action, detail: r.detail })
    if (r.hash !== expect)
      return { ok: false, entries: n, brokenAt: r.seq, reason: 'Inhalt verändert (hash)' }
    prev = r.hash
  }
  return { ok: true, entries: n }
}
