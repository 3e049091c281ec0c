// Opens one fetched submission: decrypts metadata, data and attachments, verifies hashes,
// schemas, MIME types and limits. Pure apart from the (async) crypto: no I/O, no clock.
import { canonicalValue, InputShapeError } from '../../../common/text'
import { createHash } from 'node:crypto'
import { compactDecrypt, decodeProtectedHeader } from 'jose'
import type { CryptoKey, KeyObject } from 'jose'
import type { OpenerConfig } from './openConfig'
import { MIME_EXTENSIONS, normalizeMimeType, sanitizeFilename, sniffMimeType } from './openFiles'

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

export interface OpenInput {
  submission: SubmissionInput
  /** attachment id → JWE compact string (as fetched); missing ids are reported */
  attachments: Record<string, string | undefined>
  /** the destination's private encryption key */
  decryptionKey: { kid: string; key: CryptoKey | KeyObject }
  config: OpenerConfig
}

export interface OpenedAttachment {
  attachmentId: string
  bytes: Uint8Array
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

const TITLES: Record<ProblemKind, string> = {
  'encryption-issue': 'Entschlüsselungsfehler',
  'invalid-metadata': 'Ungültige Metadaten',
  'hash-mismatch': 'Prüfsumme stimmt nicht',
  'missing-attachment': 'Anlage fehlt',
  'invalid-data': 'Ungültige Fachdaten',
  'unsupported-schema': 'Fachdatenschema nicht unterstützt',
  'invalid-attachment': 'Unzulässige Anlage',
}

class Refusal extends Error {
  constructor(
    readonly kind: ProblemKind,
    readonly detail: string,
    readonly reasonDe: string,
  ) {
    super(detail)
  }
}

const refuse = (kind: ProblemKind, detail: string, reasonDe: string): never => {
  throw new Refusal(kind, detail, reasonDe)
}

const sha512hex = (b: Uint8Array) => createHash('sha512').update(b).digest('hex')
const sha256hex = (b: Uint8Array) => createHash('sha256').update(b).digest('hex')
const authTag = (jwe: string) => jwe.slice(jwe.lastIndexOf('.') + 1)
const jweMaxChars = (plainBytes: number) => Math.ceil((plainBytes * 4) / 3) + 16_384

async function decrypt(
  jwe: string,
  what: string,
  input: OpenInput,
  maxBytes: number,
  tooLarge: () => never,
): Promise<Uint8Array> {
  if (jwe.length > jweMaxChars(maxBytes)) tooLarge()
  let kid: unknown
  try {
    kid = decodeProtectedHeader(jwe).kid
  } catch {
    refuse(
      'encryption-issue',
      `${what}: not a valid JWE.`,
      `${what}: kein gültiges verschlüsseltes Objekt (JWE).`,
    )
  }
  if (kid !== input.decryptionKey.kid) {
    refuse(
      'encryption-issue',
      `${what}: encrypted for key ${String(kid)}, not for this destination's key.`,
      `${what}: für einen fremden Schlüssel verschlüsselt.`,
    )
  }
  try {
    const { plaintext } = await compactDecrypt(jwe, input.decryptionKey.key, {
      keyManagementAlgorithms: ['RSA-OAEP-256'],
      contentEncryptionAlgorithms: ['A256GCM'],
    })
    if (plaintext.byteLength > maxBytes) tooLarge()
    return plaintext
  } catch (e) {
    if (e instanceof Refusal) throw e
    return refuse(
      'encryption-issue',
      `${what}: decryption failed (${(e as Error).message}).`,
      `${what} ließ sich nicht entschlüsseln (falscher Schlüssel oder beschädigte Daten).`,
    )
  }
}

/** Parses JSON and enforces depth and size limits (iteratively: hostile nesting cannot overflow the stack). */
function parseJsonLimited(
  bytes: Uint8Array,
  limits: { maxJsonDepth: number; maxJsonNodes: number },
): { ok: true; value: unknown } | { ok: false; error: string; errorDe: string } {
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return { ok: false, error: 'not valid UTF-8', errorDe: 'kein gültiges UTF-8' }
  }
  // cheap pre-check on the raw text: bracket depth (strings skipped)
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c) i++
      else if (c === 0x22) inString = false
    } else if (c === 0x22) inString = true
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limits.maxJsonDepth)
        return {
          ok: false,
          error: `nested deeper than ${limits.maxJsonDepth} levels`,
          errorDe: `tiefer als ${limits.maxJsonDepth} Ebenen verschachtelt`,
        }
    } else if (c === 0x7d || c === 0x5d) depth--
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (e) {
    return { ok: false, error: `not JSON (${(e as Error).message})`, errorDe: 'kein gültiges JSON' }
  }
  let nodes = 0
  const stack: unknown[] = [value]
  while (stack.length > 0) {
    const v = stack.pop()
    if (++nodes > limits.maxJsonNodes)
      return {
        ok: false,
        error: `more than ${limits.maxJsonNodes} values`,
        errorDe: `mehr als ${limits.maxJsonNodes.toLocaleString('de-DE')} Werte`,
      }
    if (v && typeof v === 'object') for (const child of Object.values(v)) stack.push(child)
  }
  // every string well-formed and NFC before anything is stored or hashed (db/text.ts)
  try {
    return { ok: true, value: canonicalValue(value, limits.maxJsonDepth + 1) }
  } catch (e) {
    if (e instanceof InputShapeError)
      return { ok: false, error: 'reserved key or too deep', errorDe: e.message }
    throw e
  }
}

type AjvError = {
  instancePath: string
  message?: string
  keyword?: string
  params?: Record<string, unknown>
}

function ajvErrors(errors: AjvError[] | null | undefined): string {
  return (errors ?? [])
    .slice(0, 3)
    .map((e) => `${e.instancePath || '/'} ${e.message ?? 'invalid'}`)
    .join('; ')
}

const AJV_DE: Record<string, (p: (k: string) => string) => string> = {
  required: (p) => `Pflichtangabe „${p('missingProperty')}“ fehlt`,
  additionalProperties: (p) => `unbekannte Angabe „${p('additionalProperty')}“`,
  type: (p) => `falscher Typ (erwartet: ${p('type')})`,
  enum: () => 'unzulässiger Wert',
  const: () => 'unzulässiger Wert',
  pattern: () => 'ungültiges Format',
  format: () => 'ungültiges Format',
  maxLength: (p) => `zu lang (höchstens ${p('limit')} Zeichen)`,
  minLength: (p) => `zu kurz (mindestens ${p('limit')} Zeichen)`,
  maxItems: (p) => `zu viele Einträge (höchstens ${p('limit')})`,
  minItems: (p) => `zu wenige Einträge (mindestens ${p('limit')})`,
  maximum: () => 'Wert zu groß',
  exclusiveMaximum: () => 'Wert zu groß',
  minimum: () => 'Wert zu klein',
  exclusiveMinimum: () => 'Wert zu klein',
}

/** The same schema errors for the clerk, in German (the intake log shows them). */
function ajvErrorsDe(errors: AjvError[] | null | undefined): string {
  return (errors ?? [])
    .slice(0, 3)
    .map((e) => {
      const param = (k: string) => {
        const v = e.params?.[k]
        return typeof v === 'string' || typeof v === 'number'
          ? String(v)
          : Array.isArray(v)
            ? v.join('/')
            : ''
      }
      return `${e.instancePath || '/'}: ${AJV_DE[e.keyword ?? '']?.(param) ?? 'ungültig'}`
    })
    .join('; ')
}

/** "20 MB", "256 KB": limits below a megabyte must not read as "0 MB". */
const sizeDe = (bytes: number) =>
  bytes >= 1024 * 1024
    ? `${Math.round(bytes / 1024 / 1024)} MB`
    : `${Math.max(1, Math.round(bytes / 1024))} KB`

export async function openSubmission(input: OpenInput): Promise<OpenResult> {
  const { submission: sub, config } = input
  const { limits } = config
  try {
    // 1. metadata
    const metadataBytes = await decrypt(
      sub.encryptedMetadata,
      'Metadaten',
      input,
      limits.maxMetadataBytes,
      () =>
        refuse(
          'invalid-metadata',
          `Metadata larger than ${limits.maxMetadataBytes} bytes.`,
          'Die Metadaten sind unzulässig groß.',
        ),
    )
    const mParsed = parseJsonLimited(metadataBytes, limits)
    if (!mParsed.ok)
      refuse(
        'invalid-metadata',
        `Metadata: ${mParsed.error}.`,
        `Die Metadaten sind unzulässig (${mParsed.errorDe}).`,
      )
    const metadataValue = (mParsed as { value: unknown }).value
    if (!config.validateMetadata(metadataValue)) {
      const why = ajvErrors(config.validateMetadata.errors)
      refuse(
        'invalid-metadata',
        `Metadata do not match FIT-Connect metadata schema 1.0.0: ${why}.`,
        `Die Metadaten entsprechen nicht dem FIT-Connect-Metadatenschema 1.0.0 (${ajvErrorsDe(config.validateMetadata.errors)}).`,
      )
    }
    const metadata = metadataValue as FitConnectMetadata
    const listed = metadata.contentStructure.attachments
    if (listed.length > limits.maxAttachments) {
      refuse(
        'invalid-metadata',
        `More than ${limits.maxAttachments} attachments.`,
        `Mehr als ${limits.maxAttachments} Anlagen sind nicht zulässig.`,
      )
    }
    const listedIds = new Set(listed.map((a) => a.attachmentId.toLowerCase()))
    if (listedIds.size !== listed.length)
      refuse(
        'invalid-metadata',
        'Attachment ids in the metadata are not unique.',
        'Die Metadaten nennen eine Anlage mehrfach.',
      )
    const unlisted = sub.attachments.filter((id) => !listedIds.has(id.toLowerCase()))
    if (unlisted.length > 0) {
      refuse(
        'invalid-metadata',
        `Attachments not described in the metadata: ${unlisted.join(', ')}.`,
        'Die Einreichung enthält Anlagen, die in den Metadaten nicht beschrieben sind.',
      )
    }
    const dataInfo = metadata.contentStructure.data
    if (!dataInfo)
      refuse(
        'invalid-metadata',
        'The metadata do not describe the data (contentStructure.data).',
        'Die Metadaten beschreiben keine Fachdaten.',
      )
    const { hash: dataHash, submissionSchema } = dataInfo!

    // 2. procedure by schema
    const entry = config.procedures.get(submissionSchema.schemaUri)
    if (!entry) {
      refuse(
        'unsupported-schema',
        `Unknown data schema ${submissionSchema.schemaUri}.`,
        `Das Fachdatenschema „${submissionSchema.schemaUri}“ wird von dieser Behörde nicht unterstützt.`,
      )
    }
    if (submissionSchema.mimeType !== 'application/json') {
      refuse(
        'unsupported-schema',
        `Data of type ${submissionSchema.mimeType} are not supported (application/json only).`,
        'Nur Fachdaten im Format JSON werden unterstützt.',
      )
    }
    const { procedure, validate } = entry!
    const expectedService = `urn:de:fim:leika:leistung:${procedure.leika}`
    for (const given of [sub.serviceType?.identifier, metadata.publicServiceType?.identifier]) {
      if (given !== undefined && given !== expectedService) {
        refuse(
          'invalid-metadata',
          `Service ${given} does not match the schema's procedure (${expectedService}).`,
          `Die angegebene Leistung passt nicht zum Verfahren „${procedure.name}“.`,
        )
      }
    }

    // 3. data
    if (!sub.encryptedData)
      refuse(
        'invalid-data',
        'The submission carries no data.',
        'Die Einreichung enthält keine Fachdaten.',
      )
    const dataBytes = await decrypt(
      sub.encryptedData!,
      'Fachdaten',
      input,
      limits.maxDataBytes,
      () =>
        refuse(
          'invalid-data',
          `Data larger than ${limits.maxDataBytes} bytes.`,
          'Die Fachdaten sind unzulässig groß.',
        ),
    )
    if (sha512hex(dataBytes) !== dataHash.content) {
      refuse(
        'hash-mismatch',
        'The SHA-512 hash of the data does not match the metadata.',
        'Die Prüfsumme der Fachdaten stimmt nicht mit den Metadaten überein – die Daten wurden verändert.',
      )
    }
    const dParsed = parseJsonLimited(dataBytes, limits)
    if (!dParsed.ok)
      refuse(
        'invalid-data',
        `Data: ${dParsed.error}.`,
        `Die Fachdaten sind unzulässig (${dParsed.errorDe}).`,
      )
    const data = (dParsed as { value: unknown }).value
    if (!validate(data)) {
      const why = ajvErrors(validate.errors)
      refuse(
        'invalid-data',
        `Data do not match ${submissionSchema.schemaUri}: ${why}.`,
        `Die Fachdaten entsprechen nicht dem Schema des Verfahrens „${procedure.name}“ (${ajvErrorsDe(validate.errors)}).`,
      )
    }

    // 4. attachments
    const attachments: OpenedAttachment[] = []
    const tags: Record<string, string> = {}
    const announced = new Set(sub.attachments.map((id) => id.toLowerCase()))
    for (const [index, a] of listed.entries()) {
      const jwe = input.attachments[a.attachmentId]
      if (!announced.has(a.attachmentId.toLowerCase()) || jwe === undefined) {
        refuse(
          'missing-attachment',
          `Attachment ${a.attachmentId} is described in the metadata but missing.`,
          `Die Anlage ${a.filename ? `„${sanitizeFilename(a.filename, a.attachmentId)}“ ` : ''}fehlt in der Einreichung.`,
        )
      }
      const label = `Anlage ${index + 1}`
      const tooLarge = () =>
        refuse(
          'invalid-attachment',
          `Attachment ${a.attachmentId} exceeds ${limits.maxAttachmentBytes} bytes.`,
          `${label} ist größer als ${sizeDe(limits.maxAttachmentBytes)}.`,
        )
      const bytes = await decrypt(jwe!, label, input, limits.maxAttachmentBytes, tooLarge)
      if (sha512hex(bytes) !== a.hash.content) {
        refuse(
          'hash-mismatch',
          `The SHA-512 hash of attachment ${a.attachmentId} does not match the metadata.`,
          `Die Prüfsumme von ${label} stimmt nicht mit den Metadaten überein – die Datei wurde verändert.`,
        )
      }
      const declared = normalizeMimeType(a.mimeType)
      if (!limits.allowedMimeTypes.includes(declared)) {
        refuse(
          'invalid-attachment',
          `Attachment ${a.attachmentId}: type ${declared} is not accepted.`,
          `${label}: Dateityp ${declared} ist nicht zugelassen.`,
        )
      }
      const sniffed = sniffMimeType(bytes)
      if (sniffed !== declared) {
        refuse(
          'invalid-attachment',
          `Attachment ${a.attachmentId} is declared as ${declared} but its content is ${sniffed ?? 'unknown'}.`,
          `${label} ist als ${declared} angegeben, der Inhalt ist aber ${sniffed ?? 'unbekannt'}.`,
        )
      }
      const fallback = `anlage-${index + 1}.${MIME_EXTENSIONS[declared] ?? 'bin'}`
      attachments.push({
        attachmentId: a.attachmentId,
        bytes,
        mimeType: declared,
        filename: sanitizeFilename(a.filename, fallback),
        purpose: a.purpose,
        ...(a.description !== undefined ? { description: a.description.slice(0, 1000) } : {}),
        sha256: sha256hex(bytes),
        size: bytes.byteLength,
      })
      tags[a.attachmentId] = authTag(jwe!)
    }

    return {
      ok: true,
      submissionId: sub.submissionId,
      caseId: sub.caseId,
      procedureId: procedure.id,
      metadata,
      data,
      dataBytes,
      attachments,
      authenticationTags: {
        metadata: authTag(sub.encryptedMetadata),
        data: authTag(sub.encryptedData!),
        attachments: tags,
      },
    }
  } catch (e) {
    if (!(e instanceof Refusal)) throw e
    return {
      ok: false,
      submissionId: sub.submissionId,
      caseId: sub.caseId,
      kind: e.kind,
      problem: { type: PROBLEM_BASE + e.kind, title: TITLES[e.kind], detail: e.detail },
      reasonDe: e.reasonDe,
    }
  }
}

/** Opens many submissions with at most `concurrency` in flight (RSA decryption runs on the libuv threadpool). */
export async function openSubmissions(inputs: OpenInput[], concurrency = 4): Promise<OpenResult[]> {
  const results = new Array<OpenResult>(inputs.length)
  let next = 0
  const worker = async () => {
    while (next < inputs.length) {
      const i = next++
      results[i] = await openSubmission(inputs[i]!)
    }
  }
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(concurrency, inputs.length)) }, worker),
  )
  return results
}
