// Types of the submission opener: its input, its results and the FIT-Connect metadata it relies on.
import type { CryptoKey, KeyObject } from 'jose'
import type { OpenerConfig } from './openConfig'

export const PROBLEM_BASE = 'https://schema.fitko.de/fit-connect/events/problems/'

export type ProblemKind =
  | 'encryption-issue'
  | 'invalid-metadata'
  | 'hash-mismatch'
  | 'missing-attachment'
  | 'invalid-data'
  | 'unsupported-schema'
  | 'invalid-attachment'

export interface OpenProblem {
  type: string
  title: string
  detail: string
}

export interface SubmissionInput {
  submissionId: string
  caseId: string
  serviceType?: { name?: string; identifier: string }
  /** attachment ids the hub announced */
  attachments: string[]
  encryptedMetadata: string
  encryptedData?: string | undefined
}

/**
 * Fetches one attachment's JWE when the opener gets to it (one at a time: bounded memory);
 * undefined when the hub does not have it; throws `AttachmentTooLarge` when its body exceeds the cap.
 */
export type AttachmentSource = (attachmentId: string) => Promise<string | undefined>

/** Thrown by an `AttachmentSource` when the hub's body for the attachment exceeds the cap. */
export class AttachmentTooLarge extends Error {
  constructor(readonly attachmentId: string) {
    super(`Attachment ${attachmentId} exceeds the response cap`)
  }
}

/** Receives each verified attachment right after its decryption, so the opener need not keep it. */
export type AttachmentSink = (a: {
  attachmentId: string
  bytes: Uint8Array
  sha256: string
  jwe: string
}) => void | Promise<void>

export interface OpenInput {
  submission: SubmissionInput
  /** attachment id → JWE compact string (as fetched), or a source fetched one by one; missing ids are reported */
  attachments: Record<string, string | undefined> | AttachmentSource
  /** with a sink the opened attachments carry no bytes (the sink stored them) */
  sink?: AttachmentSink
  /** the destination's private encryption key */
  decryptionKey: { kid: string; key: CryptoKey | KeyObject }
  config: OpenerConfig
}

export interface OpenedAttachment {
  attachmentId: string
  /** absent when the input had a sink (the bytes are in the blob store under `sha256`) */
  bytes?: Uint8Array
  /** the declared (and verified) MIME type */
  mimeType: string
  /** sanitised display name, never a path */
  filename: string
  purpose: 'form' | 'attachment' | 'report'
  description?: string
  /** hex, for content-addressed storage */
  sha256: string
  size: number
}

export interface AuthenticationTags {
  metadata: string
  data: string
  attachments: Record<string, string>
}

export interface OpenSuccess {
  ok: true
  submissionId: string
  caseId: string
  procedureId: string
  metadata: FitConnectMetadata
  data: unknown
  dataBytes: Uint8Array
  attachments: OpenedAttachment[]
  authenticationTags: AuthenticationTags
}

export interface OpenFailure {
  ok: false
  submissionId: string
  caseId: string
  kind: ProblemKind
  problem: OpenProblem
  /** German explanation for the intake log */
  reasonDe: string
}

export type OpenResult = OpenSuccess | OpenFailure

/** The subset of the FIT-Connect metadata 1.0.0 the desk relies on (validated by the schema). */
export interface FitConnectMetadata {
  contentStructure: {
    data?: {
      hash: { type: 'sha512'; content: string }
      submissionSchema: { schemaUri: string; mimeType: string }
    }
    attachments: {
      attachmentId: string
      hash: { type: 'sha512'; content: string }
      purpose: 'form' | 'attachment' | 'report'
      mimeType: string
      filename?: string
      description?: string
    }[]
  }
  publicServiceType?: { identifier: string; name?: string }
  replyChannel?: Record<string, unknown>
  additionalReferenceInfo?: { senderReference?: string; applicationDate?: string }
  [k: string]: unknown
}
