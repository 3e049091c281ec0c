// What crosses the thread boundary of the intake worker pool: the task, its answer and the
// errors (structured clone keeps no error classes, so they travel as plain data and are rebuilt).
import type { MessagePort } from 'node:worker_threads'
import type { CryptoKey } from 'jose'
import { HubResponseTooLargeError } from '../../hub-client/body'
import { HubProblemError, HubProtocolError, HubUnreachableError } from '../../hub-client/errors'
import { BlobIntegrityError } from '../../core/blobs'
import type { FetchedAndOpened } from './fetchOpen'
import type { OpenLimits } from './openConfig'

/** The hub connection of a worker's own client: plain data (no fetch function, no clock). */
export interface WireConnection {
  baseUrl: string
  clientId: string
  clientSecret: string
  tokenUrl?: string
  tokenScope?: string
  timeoutMs?: number
}

/** How a worker builds the opener configuration: the shipped assets folder, or the schemas inline. */
export type WireOpenerSpec =
  | { assetsDir: string; limits?: Partial<OpenLimits> }
  | {
      inline: {
        procedures: { id: string; name: string; leika: string; schemaUri: string }[]
        schemas: unknown[]
        metadataSchema: unknown
        limits?: Partial<OpenLimits>
      }
    }

export type WireKey = { kid: string; key: CryptoKey }

export interface OpenTask {
  submissionId: string
  connection: WireConnection
  opener: WireOpenerSpec
  /** the private decryption keys, cloned in memory (never written anywhere) */
  keys: { encryption: WireKey; decryption?: WireKey[] }
  /** the blob folder; keys for new contents come from the main thread over `port` */
  blobRoot: string
  /** MessagePort to the main thread: `{ id, sha }` → `{ id, stored, key? }` or `{ id, error }` */
  port: MessagePort
  /** tests only: make the worker fail in the named way (proves isolation) */
  fault?: 'throw' | 'crash'
}

export interface WireError {
  name: string
  message: string
  kind: 'unreachable' | 'problem' | 'protocol' | 'too-large' | 'dom' | 'integrity' | 'other'
  url?: string
  status?: number
  type?: string
  title?: string
  detail?: string
  timedOut?: boolean
  tooLarge?: boolean
  maxBytes?: number
  /** a file system or SQLite code (ENOSPC, EROFS …): the storage checks look at it */
  code?: string
  sha256?: string
}

export type OpenAnswer =
  | { ok: true; opened: FetchedAndOpened; threadId: number }
  | { ok: false; error: WireError; threadId: number }

export function toWireError(err: unknown): WireError {
  const e = err instanceof Error ? err : new Error(String(err))
  const code: unknown = (e as Error & { code?: unknown }).code
  const base = { name: e.name, message: e.message, ...(typeof code === 'string' ? { code } : {}) }
  if (e instanceof HubUnreachableError)
    return { ...base, kind: 'unreachable', url: e.url, timedOut: e.timedOut }
  if (e instanceof HubProblemError)
    return {
      ...base,
      kind: 'problem',
      status: e.status,
      type: e.type,
      title: e.title,
      ...(e.detail !== undefined ? { detail: e.detail } : {}),
      url: e.url,
    }
  if (e instanceof HubResponseTooLargeError)
    return { ...base, kind: 'too-large', url: e.url, maxBytes: e.maxBytes }
  if (e instanceof HubProtocolError)
    return { ...base, kind: 'protocol', url: e.url, tooLarge: e.tooLarge }
  if (e instanceof BlobIntegrityError) return { ...base, kind: 'integrity', sha256: e.sha256 }
  if (typeof DOMException !== 'undefined' && e instanceof DOMException)
    return { ...base, kind: 'dom' }
  return { ...base, kind: 'other' }
}

/** The error as the intake's checks know it (transient, storage, quarantine reason). */
export function fromWireError(w: WireError): Error {
  let e: Error
  switch (w.kind) {
    case 'unreachable':
      e = new HubUnreachableError(w.message, w.url ?? '', w.timedOut ?? false)
      break
    case 'problem':
      e = new HubProblemError(
        w.status ?? 0,
        w.type ?? 'about:blank',
        w.title ?? '',
        w.detail,
        w.url ?? '',
      )
      break
    case 'too-large':
      e = new HubResponseTooLargeError(w.maxBytes ?? 0, w.url ?? '')
      break
    case 'protocol':
      e = new HubProtocolError(w.message, w.url ?? '', w.tooLarge ?? false)
      break
    case 'integrity':
      e = new BlobIntegrityError(w.sha256 ?? '')
      break
    case 'dom':
      e = new DOMException(w.message, w.name)
      break
    default:
      e = new Error(w.message)
      e.name = w.name
  }
  if (w.code !== undefined) Object.assign(e, { code: w.code })
  return e
}
