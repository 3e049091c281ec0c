import { isNetworkError } from '../sync/engine'
import {
  markSubmissionAcknowledged,
  storedSubmission,
  unacknowledgedSubmissions,
  type StoredSubmission,
} from '../../../db/repositories/submissions'
import type { DestinationKeys, HubClient } from '../../hub-client'
import { makeAcceptSet, makeRejectSet } from '../../hub-client'
import {
  parkedIds,
  quarantineSubmission,
  releaseFromQuarantine,
} from '../../../db/repositories/quarantine'
import { quarantineReason } from './quarantine'
import type { AppContext } from '../../core/context'
import { isStorageError } from '../../core/errors'
import type { IntakeCounts } from '../sync/engine'
import type { OpenerConfig } from './openConfig'
import type { OpenFailure, OpenSuccess } from './openSubmission'
import { fetchAndOpen, retryTransient } from './fetchOpen'
import type { IntakePool } from './openPool'
import { followedUpCase, storeAccepted, storeFollowUp, storeRejected } from './store'

export interface IntakeDeps {
  client: HubClient
  keys: DestinationKeys
  opener: OpenerConfig
  /**
   * the worker pool for fetch + decrypt + verify (openPool.ts); without it that work runs on this
   * thread with `concurrency` submissions in flight (tests with an injected hub client)
   */
  pool?: IntakePool
  concurrency?: number
  /** fault-injection hook for tests: runs after the store transaction, before the accept */
  afterStore?: (submissionId: string) => void | Promise<void>
}

/** Posts the accept/reject SET for a stored submission and marks it acknowledged. Repeatable. */
async function acknowledge(
  ctx: AppContext,
  deps: IntakeDeps,
  row: StoredSubmission,
): Promise<void> {
  const base = {
    destinationId: deps.keys.destinationId,
    submissionId: row.submissionId,
    caseId: row.hubCaseId,
    signature: deps.keys.signature,
    clock: () => ctx.clock.now().getTime(),
  }
  const set =
    row.outcome === 'accepted'
      ? await makeAcceptSet({
          ...base,
          authenticationTags: JSON.parse(row.authTags) as OpenSuccess['authenticationTags'],
        })
      : await makeRejectSet({
          ...base,
          problems: JSON.parse(row.problems ?? '[]') as OpenFailure['problem'][],
        })
  await deps.client.postEvent(row.hubCaseId, set)
  markSubmissionAcknowledged(ctx.db, row.submissionId, ctx.clock.now().toISOString())
}

/** Parks a submission that could not be stored, with a German explanation. */
function park(ctx: AppContext, ref: { submissionId: string; caseId?: string }, err: unknown): void {
  const detail = err instanceof Error ? `${err.name}: ${err.message}` : String(err)
  try {
    quarantineSubmission(ctx.db, {
      submissionId: ref.submissionId,
      hubCaseId: ref.caseId ?? null,
      at: ctx.clock.now().toISOString(),
      reason: quarantineReason(err),
      detail: detail.slice(0, 2000),
    })
    ctx.events.emit('changed', { tags: [{ type: 'IntakeLog' }] })
  } catch (e) {
    console.error(`[intake] Einreichung ${ref.submissionId} ließ sich nicht zurückstellen:`, e)
  }
}

/** 5xx, reset, timeout: worth another attempt right away */
const isTransient = isNetworkError

const storedRow = (ctx: AppContext, submissionId: string) => storedSubmission(ctx.db, submissionId)

/**
 * One intake pass (docs/architecture.md, "Intake loop"): finish acknowledgements a crash left open,
 * then for every pending submission fetch, decrypt and verify concurrently, store in one short
 * transaction, and only then accept (or reject with the problem). Idempotent by submission id.
 */
export async function runIntakePass(
  ctx: AppContext,
  deps: IntakeDeps,
  onProgress: (done: number, total: number) => void = () => undefined,
): Promise<IntakeCounts> {
  const counts: IntakeCounts = { accepted: 0, rejected: 0, acknowledged: 0, total: 0 }
  // one submission that fails (hub hiccup, a file that breaks the opener) is counted and the
  // next one goes on; it is tried again in the next pass
  const failed = (submissionId: string, err: unknown) => {
    counts.failed = (counts.failed ?? 0) + 1
    counts.lastError = err
    if (!isTransient(err)) console.error(`[intake] Einreichung ${submissionId}:`, err)
  }
  // each destination signs its own SETs: a desk serving several acknowledges per destination
  const open = unacknowledgedSubmissions(ctx.db).filter(
    (r) => r.destinationId === deps.keys.destinationId,
  )
  for (const row of open) {
    try {
      await retryTransient(() => acknowledge(ctx, deps, row))
      counts.acknowledged++
    } catch (err) {
      failed(row.submissionId, err)
    }
  }

  const refs = []
  for await (const ref of deps.client.listAllSubmissions(deps.keys.destinationId)) refs.push(ref)
  counts.total = refs.length
  let done = 0
  onProgress(0, refs.length)
  // parked submissions wait for the user's „Erneut versuchen“ (intake.retry)
  const parked = parkedIds(ctx.db)
  const queue = refs.filter((r) => !parked.has(r.submissionId))
  counts.quarantined = refs.length - queue.length
  done = counts.quarantined
  const worker = async () => {
    for (let ref = queue.shift(); ref; ref = queue.shift()) {
      try {
        await retryTransient(() => processOne(ref))
      } catch (err) {
        failed(ref.submissionId, err)
        // not a hub hiccup, not a full disk and not rejectable: park it, visibly, so it cannot stall later passes
        if (!isTransient(err) && !isStorageError(err) && !storedRow(ctx, ref.submissionId)) {
          park(ctx, ref, err)
          counts.quarantined = (counts.quarantined ?? 0) + 1
        }
      }
      onProgress(++done, refs.length)
    }
  }
  const processOne = async (ref: { submissionId: string }) => {
    const known = storedRow(ctx, ref.submissionId)
    if (known) {
      await acknowledge(ctx, deps, known) // repeated delivery: accept again, store nothing twice
      counts.acknowledged++
    } else {
      // fetch, decrypt, verify and write the blobs: in the worker pool, or here without one
      const { result, raw } = deps.pool
        ? await deps.pool.open(ref.submissionId, deps.keys, ctx.blobs)
        : await fetchAndOpen({
            client: deps.client,
            submissionId: ref.submissionId,
            keys: deps.keys,
            opener: deps.opener,
            putBlob: (bytes) => ctx.blobs.put(bytes),
          })
      if (!storedRow(ctx, ref.submissionId)) {
        if (result.ok) {
          const target = followedUpCase(ctx, result)
          if (target) storeFollowUp(ctx, result, raw, target)
          else storeAccepted(ctx, result, raw)
          counts.accepted++
        } else {
          storeRejected(ctx, result, raw)
          counts.rejected++
        }
        releaseFromQuarantine(ctx.db, ref.submissionId)
        ctx.events.emit('changed', { tags: [{ type: 'CaseList' }, { type: 'IntakeLog' }] })
      }
      await deps.afterStore?.(ref.submissionId)
      await acknowledge(ctx, deps, storedRow(ctx, ref.submissionId)!)
      counts.acknowledged++
    }
  }
  // never more in flight than the pool runs at once (its queue stays empty: bounded memory)
  const slots = deps.pool ? deps.pool.capacity : (deps.concurrency ?? 4)
  await Promise.all(Array.from({ length: Math.max(1, slots) }, worker))
  return counts
}
