import { isNetworkError } from '../sync/engine'
import {
  markSubmissionAcknowledged,
  storedSubmission,
  unacknowledgedSubmissions,
  type StoredSubmission,
} from '../../../db/repositories/submissions'
import type { DestinationKeys, HubClient } from '../../hub-client'
import { HubProblemError, decryptionKeyFor, makeAcceptSet, makeRejectSet } from '../../hub-client'
import type { AppContext } from '../../core/context'
import type { IntakeCounts } from '../sync/engine'
import type { OpenerConfig } from './openConfig'
import {
  openSubmission,
  type OpenFailure,
  type OpenResult,
  type OpenSuccess,
} from './openSubmission'
import {
  followedUpCase,
  storeAccepted,
  storeFollowUp,
  storeRejected,
  type RawSubmission,
} from './store'

export interface IntakeDeps {
  client: HubClient
  keys: DestinationKeys
  opener: OpenerConfig
  /** parallel fetch + decrypt + verify; RSA decryption runs on libuv's threadpool */
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

/** 5xx, reset, timeout: worth another attempt right away */
const isTransient = isNetworkError

/** `fn` up to three times while it fails transiently, with a short pause. */
async function retryTransient<T>(fn: () => Promise<T>, attempts = 3, pauseMs = 50): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn()
    } catch (err) {
      if (i >= attempts || !isTransient(err)) throw err
      await new Promise((r) => setTimeout(r, pauseMs * i))
    }
  }
}

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
  const queue = [...refs]
  const worker = async () => {
    for (let ref = queue.shift(); ref; ref = queue.shift()) {
      try {
        await retryTransient(() => processOne(ref))
      } catch (err) {
        failed(ref.submissionId, err)
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
      const submission = await deps.client.getSubmission(ref.submissionId)
      const attachments: Record<string, string | undefined> = Object.fromEntries(
        await Promise.all(
          submission.attachments.map(async (id) => {
            try {
              return [id, await deps.client.getAttachment(ref.submissionId, id)] as const
            } catch (err) {
              // a missing attachment is a finding (missing-attachment), not a transport failure
              if (err instanceof HubProblemError && err.status === 404)
                return [id, undefined] as const
              throw err
            }
          }),
        ),
      )
      const raw: RawSubmission = {
        submissionId: submission.submissionId,
        destinationId: submission.destinationId,
        serviceIdentifier: submission.serviceType.identifier,
        encryptedMetadata: submission.encryptedMetadata,
        encryptedData: submission.encryptedData,
        attachments,
      }
      const result: OpenResult = await openSubmission({
        submission,
        attachments,
        decryptionKey: decryptionKeyFor(deps.keys, submission.encryptedMetadata),
        config: deps.opener,
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
        ctx.events.emit('changed', { tags: [{ type: 'CaseList' }, { type: 'IntakeLog' }] })
      }
      await deps.afterStore?.(ref.submissionId)
      await acknowledge(ctx, deps, storedRow(ctx, ref.submissionId)!)
      counts.acknowledged++
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, deps.concurrency ?? 4) }, worker))
  return counts
}
