// Fetch, decrypt and verify one submission: the work the intake does per submission before its
// short store transaction. Runs in the intake worker pool (openWorker.ts) and, for a desk without
// the pool (tests with an injected hub client), on the main thread (intake.ts). No database.
import type { Submission } from '../../hub-client/schemas'
import type { HubClient } from '../../hub-client/client'
import { HubResponseTooLargeError } from '../../hub-client/body'
import { HubProblemError, isTransientHubError } from '../../hub-client/errors'
import { decryptionKeyFor, type DestinationKeys } from '../../hub-client/keys'
import type { OpenerConfig } from './openConfig'
import { AttachmentTooLarge, openSubmission } from './openSubmission'
import type { AttachmentSource, OpenResult } from './openTypes'

/** What the store transaction keeps besides the opened content (the raw JWEs, as blob hashes). */
export interface RawSubmission {
  submissionId: string
  destinationId: string
  serviceIdentifier: string
  encryptedMetadata: string
  encryptedData: string | undefined
  /** attachment id → SHA-256 of the blob holding its raw JWE (never the JWEs in one string) */
  attachments: Record<string, string>
}

export interface FetchedAndOpened {
  result: OpenResult
  raw: RawSubmission
}

/** Writes bytes to the content-addressed blob store and gives their SHA-256 (hex). */
export type BlobWriter = (bytes: Uint8Array) => string | Promise<string>

/** `fn` up to three times while it fails transiently, with a short pause. */
export async function retryTransient<T>(
  fn: () => Promise<T>,
  attempts = 3,
  pauseMs = 50,
): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn()
    } catch (err) {
      if (i >= attempts || !isTransientHubError(err)) throw err
      await new Promise((r) => setTimeout(r, pauseMs * i))
    }
  }
}

/** The attachments of one submission, fetched when the opener gets to each (404: missing). */
const attachmentSource =
  (client: HubClient, submissionId: string): AttachmentSource =>
  async (attachmentId) => {
    try {
      return await retryTransient(() => client.getAttachment(submissionId, attachmentId))
    } catch (err) {
      // a missing attachment is a finding (missing-attachment), not a transport failure
      if (err instanceof HubProblemError && err.status === 404) return undefined
      if (err instanceof HubResponseTooLargeError) throw new AttachmentTooLarge(attachmentId)
      throw err
    }
  }

/**
 * Fetches the submission, then opens it: attachments one at a time (fetched, decrypted,
 * verified, written as blobs — plaintext and raw JWE — then dropped), so memory stays bounded.
 */
export async function fetchAndOpen(opts: {
  client: HubClient
  submissionId: string
  keys: Pick<DestinationKeys, 'encryption' | 'decryption'>
  opener: OpenerConfig
  putBlob: BlobWriter
  /** the fetched submission, before it is opened (a test's view into the worker) */
  onFetched?: (s: Submission) => void
}): Promise<FetchedAndOpened> {
  const { client, submissionId, putBlob } = opts
  const submission = await client.getSubmission(submissionId)
  opts.onFetched?.(submission)
  const rawBlobs: Record<string, string> = {}
  const result = await openSubmission({
    submission,
    attachments: attachmentSource(client, submissionId),
    sink: async ({ attachmentId, bytes, jwe }) => {
      await putBlob(bytes)
      rawBlobs[attachmentId] = await putBlob(Buffer.from(jwe, 'latin1'))
    },
    decryptionKey: decryptionKeyFor(opts.keys, submission.encryptedMetadata),
    config: opts.opener,
  })
  // the data too, so the store transaction finds its blob and need not write it on the main thread
  if (result.ok) await putBlob(result.dataBytes)
  return {
    result,
    raw: {
      submissionId: submission.submissionId,
      destinationId: submission.destinationId,
      serviceIdentifier: submission.serviceType.identifier,
      encryptedMetadata: submission.encryptedMetadata,
      encryptedData: submission.encryptedData,
      attachments: rawBlobs,
    },
  }
}
