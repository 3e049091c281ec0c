import { createHash } from 'node:crypto'
import type { HistoryEntry } from '../domain'
import { canonicalText } from '../../common/text'
import { all, iterate, run, scalar, shape, sql, type ReadDb, type WriteDb } from '../sql'

export type { HistoryEntry } from '../domain'

export const GENESIS_HASH = '0'.repeat(64)

const historyRow = shape({
  seq: 'int',
  case_id: 'text',
  at: 'text',
  actor: 'text',
  action: 'text',
  detail: 'text',
  prev_hash: 'text',
  hash: 'text',
})
const toEntry = (r: ReturnType<typeof historyRow>): HistoryEntry => ({
  seq: r.seq,
  caseId: r.case_id,
  at: r.at,
  actor: r.actor,
  action: r.action,
  detail: r.detail,
})

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
  db: WriteDb,
  e: { caseId: string; at: string; actor: string; action: string; detail?: string },
): void {
  const last = scalar(db, sql`SELECT hash FROM case_history ORDER BY seq DESC LIMIT 1`)
  const prev = typeof last === 'string' ? last : GENESIS_HASH
  // hash exactly what SQLite stores and gives back (db/text.ts)
  const entry = {
    caseId: e.caseId,
    at: e.at,
    actor: canonicalText(e.actor),
    action: canonicalText(e.action),
    detail: canonicalText(e.detail ?? ''),
  }
  run(
    db,
    sql`INSERT INTO case_history (case_id, at, actor, action, detail, prev_hash, hash)
        VALUES (${entry.caseId}, ${entry.at}, ${entry.actor}, ${entry.action}, ${entry.detail}, ${prev}, ${historyHash(prev, entry)})`,
  )
}

export function historyOf(db: ReadDb, caseId: string): HistoryEntry[] {
  return all(db, sql`SELECT * FROM case_history WHERE case_id = ${caseId} ORDER BY seq`, (r) =>
    toEntry(historyRow(r)),
  )
}

export type ChainResult =
  { ok: true; entries: number } | { ok: false; entries: number; brokenAt: number; reason: string }

/** Walks the whole chain and reports the first row whose link or content does not match. */
export function verifyHistoryChain(db: ReadDb): ChainResult {
  let prev = GENESIS_HASH
  let n = 0
  for (const r of iterate(db, sql`SELECT * FROM case_history ORDER BY seq`, historyRow)) {
    n++
    if (r.prev_hash !== prev)
      return {
        ok: false,
        entries: n,
        brokenAt: r.seq,
        reason: 'Verkettung unterbrochen (prev_hash)',
      }
    const expect = historyHash(prev, {
      caseId: r.case_id,
      at: r.at,
      actor: r.actor,
      action: r.action,
      detail: r.detail,
    })
    if (r.hash !== expect)
      return { ok: false, entries: n, brokenAt: r.seq, reason: 'Inhalt verändert (hash)' }
    prev = r.hash
  }
  return { ok: true, entries: n }
}
