import { recordCosign, recordReturn } from '../../../db/repositories/decisions'
/**
 * Change feed (docs/architecture.md, "Sync engine"): office-wide changes from a stored cursor, applied
 * idempotently in one transaction per page together with the new cursor; the desk's own
 * mutations are skipped. Then the renderer hears exactly which cases changed.
 */
import {
  activeCaseOfSubmission,
  caseExists,
  insertOfficeDocument,
  insertOfficeNote,
  recordOfficeClosing,
  recordOfficePosted,
  recordOfficeDecision,
  recordOfficeNotice,
  recordOfficeReopening,
} from '../../../db/repositories/changes'
import {
  dropBlobFetch,
  queueBlobFetch,
  queuedBlobFetches,
} from '../../../db/repositories/officeSync'
import { getCursor, isOwnMutation, setCursor } from '../../../db/repositories/outbox'
import { appendHistory } from '../../../db/repositories/history'
import { HubProtocolError, type Change, type ChangePage, type OfficeClient } from '../../hub-client'
import type { EntityTag } from '../../../preload/contract/index'
import type { AppContext } from '../../core/context'
import { reindexCase } from '../cases/search'
import { mutationLabel } from './labels'
import { adoptOfficeCase, insertOfficeCase } from './officeCases'
import { fieldEffects, learnOfficeValues } from './officeState'
import { caseSnapshot } from '../../hub-client/office'

export const CHANGES_CURSOR = 'office.changes'

export interface PullCounts {
  applied: number
  skipped: number
  pages: number
  blobs: number
}

export interface PullDeps {
  office: OfficeClient
  /** the signed-in user's access token: the hub sends the changes of that user's team */
  userToken: string
  pageSize?: number
  signal?: AbortSignal
}

const docOf = (p: Record<string, unknown>) =>
  caseSnapshot.shape.documents.element.safeParse(p.document)

/** Applies one change; cases whose search text changed go into `reindex` (once per page). */
function applyChange(ctx: AppContext, ch: Change, reindex: Set<string>): string[] {
  const db = ctx.db
  const p = ch.payload
  const exists = (id: string) => caseExists(db, id)
  if (ch.type === 'case.register') {
    if (exists(ch.caseId)) {
      learnOfficeValues(db, ch.caseId, {}, ch.version)
      return [ch.caseId]
    }
    const snap = caseSnapshot.omit({ notes: true }).safeParse({
      ...p,
      caseId: ch.caseId,
      submissionId: typeof p.submissionId === 'string' ? p.submissionId : null,
      status: 'eingegangen',
      assignee: null,
      followUp: null,
      version: ch.version,
    })
    if (!snap.success) return []
    const twin = snap.data.submissionId
      ? activeCaseOfSubmission(db, snap.data.submissionId)
      : undefined
    if (twin) adoptOfficeCase(ctx, twin, snap.data, ch.at)
    else insertOfficeCase(ctx, snap.data, ch.by, ch.at)
    return twin ? [twin, ch.caseId] : [ch.caseId]
  }
  if (!exists(ch.caseId)) return []
  learnOfficeValues(db, ch.caseId, fieldEffects(ch.type, p), ch.version)
  let detail = ''
  if (ch.type === 'case.note' && typeof p.noteId === 'string' && typeof p.text === 'string') {
    insertOfficeNote(db, {
      id: p.noteId,
      caseId: ch.caseId,
      kind: p.kind === 'phone' ? 'phone' : 'note',
      author: ch.by,
      text: p.text,
      createdAt: ch.at,
    })
    detail = p.text.length > 120 ? `${p.text.slice(0, 117)}…` : p.text
  }
  const doc = docOf(p)
  if (doc.success) {
    insertOfficeDocument(db, { ...doc.data, caseId: ch.caseId })
    if (!ctx.blobs.has(doc.data.sha256)) queueBlobFetch(db, doc.data.sha256)
    detail = doc.data.title
  }
  recordSideEffects(ctx, ch)
  if (ch.type === 'case.assign')
    detail =
      typeof p.assignee === 'string' ? (ctx.userName(p.assignee) ?? p.assignee) : 'Posteingang'
  if (ch.type === 'case.status' && typeof p.to === 'string')
    detail = typeof p.returnNote === 'string' ? `Zurück mit Anmerkung: ${p.returnNote}` : p.to
  appendHistory(db, {
    caseId: ch.caseId,
    at: ch.at,
    actor: ch.by,
    action: `${mutationLabel(ch.type)} (anderer Arbeitsplatz)`,
    detail,
  })
  if (ch.type === 'case.note' || doc.success) reindex.add(ch.caseId)
  return [ch.caseId]
}

/**
 * Decision, co-signature, notice and closing of another desk on this desk's tables (so that, e.g.,
 * the team lead here can co-sign). Best effort: a value this desk's schema refuses is left out
 * (logged) instead of blocking the change feed.
 */
function recordSideEffects(ctx: AppContext, ch: Change): void {
  const db = ctx.db
  const p = ch.payload
  const str = (v: unknown) => (typeof v === 'string' ? v : null)
  try {
    switch (ch.type) {
      case 'case.decide':
        recordOfficeDecision(db, {
          caseId: ch.caseId,
          outcome: str(p.outcome),
          fields: JSON.stringify(p.fields ?? {}),
          reasons: str(p.reasons) ?? '',
          hearing: p.hearing ? JSON.stringify(p.hearing) : null,
          by: ch.by,
          at: ch.at,
          cosignRequired: p.cosignRequired === true,
        })
        return
      case 'case.cosign':
        recordCosign(db, ch.caseId, ch.by, ch.at, str(p.comment) ?? null)
        return
      case 'case.status':
        // the team lead returned the decision with a note (decisions.returnForChanges)
        if (typeof p.returnNote === 'string')
          recordReturn(db, ch.caseId, ch.by, ch.at, p.returnNote)
        return
      case 'notice.posted':
        recordOfficePosted(db, ch.caseId, ch.by, ch.at)
        return
      case 'notice.issue': {
        const doc = docOf(p)
        recordOfficeNotice(db, ch.caseId, {
          document: doc.success ? doc.data.id : null,
          dispatchDate: str(p.dispatchDate),
          channel: str(p.channel),
          deliveredOn: str(p.deliveredOn),
          objectionEnd: str(p.objectionEnd),
        })
        return
      }
      case 'case.close':
        recordOfficeClosing(db, ch.caseId, str(p.closedAt), str(p.retentionEnd))
        return
      case 'case.reopen':
        recordOfficeReopening(db, ch.caseId)
        return
    }
  } catch (err) {
    console.warn(
      `[sync] ${ch.type} of case ${ch.caseId} only partly applied:`,
      err instanceof Error ? err.message : err,
    )
  }
}

/** Downloads document contents other desks registered (queued in blob_fetches). */
export async function fetchMissingBlobs(
  ctx: AppContext,
  office: OfficeClient,
  userToken: string,
  signal?: AbortSignal,
): Promise<number> {
  let n = 0
  for (const sha256 of queuedBlobFetches(ctx.db, 1000)) {
    if (!ctx.blobs.has(sha256)) {
      ctx.blobs.put(await office.getBlob(sha256, { userToken, signal }))
      n++
    }
    dropBlobFetch(ctx.db, sha256)
  }
  return n
}

export async function pullChanges(
  ctx: AppContext,
  deps: PullDeps,
  onProgress: (done: number, total: number) => void = () => undefined,
): Promise<PullCounts> {
  const counts: PullCounts = { applied: 0, skipped: 0, pages: 0, blobs: 0 }
  let pageSize = deps.pageSize ?? 500
  for (let guard = 0; guard < 100_000; guard++) {
    const since = getCursor(ctx.db, CHANGES_CURSOR) ?? '0'
    let page: ChangePage
    try {
      page = await deps.office.changes(since, pageSize, {
        userToken: deps.userToken,
        signal: deps.signal,
      })
    } catch (err) {
      // a page over the client's size cap: smaller pages (one change always fits a 30 MiB body)
      if (err instanceof HubProtocolError && err.tooLarge && pageSize > 1) {
        pageSize = Math.max(1, Math.floor(pageSize / 4))
        continue
      }
      throw err
    }
    const touched = new Set<string>()
    const reindex = new Set<string>()
    ctx.db.transaction(() => {
      // the cursor is re-read inside the transaction: a concurrent pass may have applied this page
      if ((getCursor(ctx.db, CHANGES_CURSOR) ?? '0') !== since) return
      for (const ch of page.changes) {
        const mutationId = ch.payload.mutationId
        if (typeof mutationId === 'string' && isOwnMutation(ctx.db, mutationId)) {
          counts.skipped++
          continue
        }
        for (const id of applyChange(ctx, ch, reindex)) touched.add(id)
        counts.applied++
      }
      for (const id of reindex) reindexCase(ctx.db, id)
      setCursor(ctx.db, CHANGES_CURSOR, page.next)
    })()
    counts.pages++
    onProgress(
      counts.applied + counts.skipped,
      counts.applied + counts.skipped + (page.hasMore ? 1 : 0),
    )
    if (touched.size > 0) {
      const tags: EntityTag[] = [...touched].map((id) => ({ type: 'Case' as const, id }))
      ctx.events.emit('changed', { tags: [...tags, { type: 'CaseList' }, { type: 'Sync' }] })
    }
    // a page may hold nothing this desk may see (need-to-know) and still move the cursor on
    if (!page.hasMore || page.next === since) break
  }
  counts.blobs = await fetchMissingBlobs(ctx, deps.office, deps.userToken, deps.signal)
  return counts
}
