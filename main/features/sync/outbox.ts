/**
 * Outbox loop (docs/architecture.md, "Sync engine"): pending mutations go to the hub in order, in
 * batches of one acting user, referenced blobs first. Every answer is stored in one local
 * transaction per batch; nothing is ever dropped. Network errors propagate (the engine backs off).
 */
import type { ReadDb } from '../../../db/open'
import { recordConflict } from '../../../db/repositories/conflicts'
import { appendHistory } from '../../../db/repositories/history'
import {
  caseLocalState,
  isBlobUploaded,
  markBlobUploaded,
} from '../../../db/repositories/officeSync'
import {
  countPendingMutations,
  hasPendingRegistration,
  markMutationFailed,
  markMutationSent,
  pendingMutations,
  recordMutationAttempt,
  refusedCulprits,
  type PendingMutation,
} from '../../../db/repositories/outbox'
import type { UserTokenSource } from '../../core/identity'
import {
  isInvalidToken,
  type MutationResult,
  type OfficeClient,
  type OutgoingMutation,
} from '../../hub-client'
import { berlinDate } from '../../core/clock'
import type { AppContext } from '../../core/context'
import { isNetworkError } from './engine'
import { mutationLabel, PROBLEM_LABELS } from './labels'
import { adoptOfficeCase, renumberLocalCase } from './officeCases'
import { isBatchRefusal, retryTransient, sendIsolating } from './outboxSend'
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
  /** the acting users' access tokens; a user without one must sign in again (their batches wait) */
  tokens: UserTokenSource
  batchSize?: number
  signal?: AbortSignal
}

/** Shown on the pending entries of a user whose sign-in expired (the hub refused the token). */
export const SIGN_IN_NEEDED =
  'Wartet auf eine erneute Anmeldung: Die Anmeldung ist abgelaufen. Bitte melden Sie sich neu an; die Änderungen werden dann unter Ihrem Namen übertragen.'

/** sha256 of every document a mutation refers to (uploaded before the mutation). */
export function referencedBlobs(type: string, payload: Record<string, unknown>): string[] {
  const sha = (d: unknown) =>
    d && typeof d === 'object' && typeof (d as { sha256?: unknown }).sha256 === 'string'
      ? [(d as { sha256: string }).sha256]
      : []
  if (type === 'case.register' && Array.isArray(payload.documents))
    return payload.documents.flatMap(sha)
  if (type === 'case.requestDocuments' || type === 'notice.issue' || type === 'case.document')
    return sha(payload.document)
  return []
}

/**
 * A notice dated before today that still sits in the outbox (the desk was offline) is held until
 * the clerk confirms it may go with that date: its Bekanntgabe and objection period depend on it.
 * Later mutations of the same case wait behind it; other cases go on.
 */
export function isHeldNotice(r: Pick<PendingMutation, 'type' | 'payload'>, today: string): boolean {
  if (r.type !== 'notice.issue') return false
  const p = JSON.parse(r.payload) as { dispatchDate?: string; confirmedLate?: boolean }
  return typeof p.dispatchDate === 'string' && p.dispatchDate < today && p.confirmedLate !== true
}

/**
 * The next batch: pending entries in order while the acting user stays the same. Entries of users
 * who must sign in again (`waiting`) stay pending, and so do later entries of their cases.
 */
function nextBatch(
  db: ReadDb,
  size: number,
  today: string,
  waiting: ReadonlySet<string>,
  deferred: ReadonlySet<string>,
): PendingMutation[] {
  const held = new Set<string>()
  // later entries of a case wait behind its entry the hub refused as the culprit of a batch
  const refused = refusedCulprits(db)
  const rows = pendingMutations(db, size + 5000).filter((r) => {
    if (held.has(r.caseId)) return false
    if (waiting.has(r.actor) || deferred.has(r.mutationId)) {
      held.add(r.caseId)
      return false
    }
    const culprit = refused.get(r.caseId)
    if (culprit !== undefined && culprit.seq < r.seq) {
      held.add(r.caseId)
      return false
    }
    if (isHeldNotice(r, today)) {
      held.add(r.caseId)
      return false
    }
    return true
  })
  const actor = rows[0]?.actor
  const cut = rows.findIndex((r) => r.actor !== actor)
  return (cut === -1 ? rows : rows.slice(0, cut)).slice(0, size)
}

const WITH_DOCUMENTS = new Set([
  'case.register',
  'case.requestDocuments',
  'notice.issue',
  'case.document',
])

/**
 * Uploads the blobs the batch refers to, four at a time. Returns the blobs that could not go up
 * for a transient reason: the entries needing them wait for the next pass, the rest goes on.
 */
async function uploadBlobs(
  ctx: AppContext,
  deps: PushDeps,
  batch: PendingMutation[],
  userToken: string | undefined,
): Promise<Set<string>> {
  const needed = new Set<string>()
  for (const r of batch)
    if (WITH_DOCUMENTS.has(r.type))
      for (const sha of referencedBlobs(r.type, JSON.parse(r.payload) as Record<string, unknown>))
        if (!isBlobUploaded(ctx.db, sha)) needed.add(sha)
  const queue = [...needed]
  const failed = new Set<string>()
  let lastError: unknown
  const worker = async () => {
    for (let sha = queue.shift(); sha !== undefined; sha = queue.shift()) {
      let bytes: Buffer
      try {
        bytes = ctx.blobs.get(sha)
      } catch {
        continue // missing locally: the hub rejects the mutation with missing-blob, visibly
      }
      try {
        await retryTransient(
          () => deps.office.putBlob(sha, bytes, { userToken, signal: deps.signal }),
          deps.signal,
        )
      } catch (err) {
        // refused content (too large, say) must not stall the queue: the mutation then comes back missing-blob, visibly
        if (isBatchRefusal(err)) continue
        if (isInvalidToken(err) || !isNetworkError(err)) throw err
        failed.add(sha)
        lastError = err
        continue
      }
      markBlobUploaded(ctx.db, sha)
    }
  }
  await Promise.all([worker(), worker(), worker(), worker()])
  // nothing went up at all: the hub is away, the phase fails (and backs off) as before
  if (failed.size > 0 && failed.size === needed.size) throw lastError
  return failed
}

/** The hub's reason in German (its own title and detail are English; the detail is kept after it). */
const problemText = (r: MutationResult) => {
  if (!r.problem) return 'Vom Hub abgelehnt'
  const slug = r.problem.type.split('/').at(-1) ?? ''
  const title = PROBLEM_LABELS[slug] ?? r.problem.title
  const detail = r.problem.detail && r.problem.detail !== title ? r.problem.detail : undefined
  return `${title}${detail ? ` (Hub: ${detail})` : ''}`
}

/** Stores the hub's answers for one batch in one transaction; returns the cases touched. */
function storeResults(
  ctx: AppContext,
  batch: PendingMutation[],
  results: MutationResult[],
  counts: PushCounts,
  deferred: Set<string>,
): Set<string> {
  const db = ctx.db
  const byId = new Map(results.map((r) => [r.mutationId, r]))
  const at = ctx.clock.now().toISOString()
  const touched = new Set<string>()
  db.transaction(() => {
    for (const row of batch) {
      const r = byId.get(row.mutationId)
      if (!r) continue // no answer: stays pending
      const payload = JSON.parse(row.payload) as Record<string, unknown>
      touched.add(row.caseId)
      if (r.status === 'applied' || r.status === 'duplicate') {
        markMutationSent(db, row.mutationId, {
          result: JSON.stringify(r),
          hubVersion: r.version ?? null,
          at,
        })
        if (r.version !== undefined)
          learnOfficeValues(db, row.caseId, fieldEffects(row.type, payload), r.version)
        if (r.status === 'applied') counts.sent++
        else counts.duplicates++
      } else if (
        r.status === 'conflict' &&
        row.type === 'case.register' &&
        r.current &&
        r.current.caseId !== row.caseId
      ) {
        adoptOfficeCase(ctx, row.caseId, r.current, at)
        touched.add(r.current.caseId)
        counts.adopted++
      } else if (r.status === 'conflict' && r.current) {
        const local = caseLocalState(db, row.caseId)
        markMutationFailed(
          db,
          row.mutationId,
          'conflict',
          'Konflikt: der Vorgang wurde inzwischen an einem anderen Arbeitsplatz geändert.',
          JSON.stringify({ status: r.status }),
        )
        recordConflict(db, {
          mutationId: row.mutationId,
          caseId: row.caseId,
          local: JSON.stringify({
            type: row.type,
            payload,
            at: row.at,
            actor: row.actor,
            case: local ?? null,
          }),
          remote: JSON.stringify(r.current),
          at,
        })
        learnOfficeValues(
          db,
          row.caseId,
          { status: r.current.status, assignee: r.current.assignee, follow_up: r.current.followUp },
          r.current.version,
        )
        appendHistory(db, {
          caseId: row.caseId,
          at,
          actor: 'system',
          action: 'Konflikt beim Abgleich',
          detail: 'Die eigene Änderung kollidiert mit einer Änderung im Büro; bitte entscheiden.',
        })
        counts.conflicts++
      } else if (
        row.type === 'case.register' &&
        r.problem?.type.endsWith('/aktenzeichen-taken') &&
        renumberLocalCase(ctx, row.caseId, at)
      ) {
        recordMutationAttempt(db, row.mutationId, problemText(r).slice(0, 500)) // stays pending, goes again with the new number
        counts.renumbered++
      } else if (r.problem?.type.endsWith('/not-found') && hasPendingRegistration(db, row.caseId)) {
        recordMutationAttempt(db, row.mutationId, problemText(r).slice(0, 500)) // its registration goes first next time
      } else if (r.problem?.type.endsWith('/submission-not-accepted')) {
        // intake posts the accept SET in its next phase; until then this entry (and its case) waits
        recordMutationAttempt(db, row.mutationId, problemText(r).slice(0, 500))
        deferred.add(row.mutationId)
      } else {
        markMutationFailed(db, row.mutationId, 'rejected', problemText(r), JSON.stringify(r))
        showOfficeValues(db, row.caseId, Object.keys(fieldEffects(row.type, payload)) as never)
        // marked on the case, with the reason: its later changes wait until this one is settled
        appendHistory(db, {
          caseId: row.caseId,
          at,
          actor: 'system',
          action: 'Änderung vom Büro abgelehnt',
          detail:
            `${mutationLabel(row.type)}: ${problemText(r)}. Spätere Änderungen dieses Vorgangs warten; bitte unter „Synchronisation“ erneut senden oder verwerfen.`.slice(
              0,
              2000,
            ),
        })
        counts.rejected++
      }
    }
    for (const caseId of touched) refreshSyncState(db, caseId)
  })()
  return touched
}

export async function pushOutbox(
  ctx: AppContext,
  deps: PushDeps,
  onProgress: (done: number, total: number) => void = () => undefined,
): Promise<PushCounts> {
  const counts: PushCounts = {
    sent: 0,
    duplicates: 0,
    conflicts: 0,
    rejected: 0,
    adopted: 0,
    renumbered: 0,
    batches: 0,
  }
  const size = deps.batchSize ?? 200
  const total = countPendingMutations(ctx.db)
  let done = 0
  // users without a valid token: their entries wait (never dropped, never sent as someone else)
  const waiting = new Set<string>()
  // entries that cannot go before another phase ran (a registration ahead of its accept SET)
  const deferred = new Set<string>()
  for (let guard = 0; guard < 1_000_000; guard++) {
    let batch = nextBatch(ctx.db, size, berlinDate(ctx.clock.now()), waiting, deferred)
    if (batch.length === 0) break
    const actor = batch[0]!.actor
    const userToken = actor === 'system' ? undefined : await deps.tokens.tokenFor(actor)
    if (actor !== 'system' && !userToken) {
      waiting.add(actor)
      continue
    }
    let failedBlobs: Set<string>
    try {
      failedBlobs = await uploadBlobs(ctx, deps, batch, userToken)
    } catch (err) {
      if (!isInvalidToken(err)) throw err
      waiting.add(actor)
      continue
    }
    if (failedBlobs.size > 0) {
      // entries whose document did not go up wait for the next pass, and so do their cases' later ones
      const held = new Set<string>()
      batch = batch.filter((r) => {
        const blocked =
          held.has(r.caseId) ||
          (WITH_DOCUMENTS.has(r.type) &&
            referencedBlobs(r.type, JSON.parse(r.payload) as Record<string, unknown>).some((sha) =>
              failedBlobs.has(sha),
            ))
        if (blocked) {
          held.add(r.caseId)
          deferred.add(r.mutationId)
        }
        return !blocked
      })
      if (batch.length === 0) continue
    }
    const mutations: OutgoingMutation[] = batch.map((r) => ({
      mutationId: r.mutationId,
      type: r.type,
      caseId: r.caseId,
      baseVersion: r.baseVersion,
      at: r.at,
      payload: JSON.parse(r.payload) as unknown,
    }))
    let results: MutationResult[]
    try {
      results = await sendIsolating(deps, userToken, mutations)
    } catch (err) {
      if (isInvalidToken(err)) {
        // this user must sign in again: the batch stays pending, other users and intake go on
        waiting.add(actor)
        ctx.db.transaction(() =>
          batch.forEach((r) => recordMutationAttempt(ctx.db, r.mutationId, SIGN_IN_NEEDED)),
        )()
        continue
      }
      const msg = err instanceof Error ? err.message : String(err)
      ctx.db.transaction(() =>
        batch.forEach((r) => recordMutationAttempt(ctx.db, r.mutationId, msg.slice(0, 500))),
      )()
      throw err
    }
    const touched = storeResults(ctx, batch, results, counts, deferred)
    counts.batches++
    done += batch.length
    onProgress(Math.min(done, total), total)
    ctx.events.emit('changed', {
      tags: [
        ...[...touched].slice(0, 200).map((id) => ({ type: 'Case' as const, id })),
        { type: 'CaseList' },
        { type: 'Sync' },
      ],
    })
    // an answer without a result for some entry would loop forever: stop the pass instead
    if (batch.every((r) => !results.some((x) => x.mutationId === r.mutationId))) break
  }
  return counts
}
