// Opens one fetched submission: decrypts metadata, data and attachments, verifies hashes,
// schemas, MIME types and limits. Pure apart from the (async) crypto: no I/O, no clock.
import { createHash } from 'node:crypto'
import { decodeProtectedHeader } from 'jose'
import { decryptCompactSync } from './jweDecrypt'
import { MIME_EXTENSIONS, normalizeMimeType, sanitizeFilename, sniffMimeType } from './openFiles'
import { checkMetadataVersion } from './metadataVersion'
import { ajvErrors, ajvErrorsDe, parseJsonLimited, sizeDe } from './openJson'
import {
  AttachmentTooLarge,
  PROBLEM_BASE,
  type FitConnectMetadata,
  type OpenedAttachment,
  type OpenInput,
  type OpenResult,
  type ProblemKind,
} from './openTypes'

export { PROBLEM_BASE } from './openTypes'
export { AttachmentTooLarge } from './openTypes'
export type {
  AttachmentSink,
  AttachmentSource,
  AuthenticationTags,
  FitConnectMetadata,
  OpenedAttachment,
  OpenFailure,
  OpenInput,
  OpenProblem,
  OpenResult,
  OpenSuccess,
  ProblemKind,
  SubmissionInput,
} from './openTypes'

const TITLES: Record<ProblemKind, string> = {
  'encryption-issue': 'Entschlüsselungsfehler',
  'invalid-metadata': 'Ungültige Metadaten',
  'hash-mismatch': 'Prüfsumme stimmt nicht',
  'missing-attachment': 'Anlage fehlt',
  'invalid-data': 'Ungültige Fachdaten',
  'unsupported-schema': 'Schema nicht unterstützt',
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
/**
 * The JWE's authentication tag, as a fresh flat string: a plain `slice` would be a V8 sliced
 * string that keeps the whole (26 MB) JWE alive for as long as the tag is kept.
 */
const authTag = (jwe: string) =>
  Buffer.from(jwe.slice(jwe.lastIndexOf('.') + 1), 'latin1').toString('latin1')
const jweMaxChars = (plainBytes: number) => Math.ceil((plainBytes * 4) / 3) + 16_384

function decrypt(
  jwe: string,
  what: string,
  input: OpenInput,
  maxBytes: number,
  tooLarge: () => never,
): Uint8Array {
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
    // on this thread (node:crypto), not libuv's shared pool as jose's WebCrypto would: jweDecrypt.ts
    const plaintext = decryptCompactSync(jwe, input.decryptionKey.key)
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

export async function openSubmission(input: OpenInput): Promise<OpenResult> {
  const { submission: sub, config } = input
  const { limits } = config
  try {
    // 1. metadata
    const metadataBytes = decrypt(
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
    const version = checkMetadataVersion(metadataValue)
    if (!version.ok) refuse('unsupported-schema', version.detail, version.reasonDe)
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
    const dataBytes = decrypt(sub.encryptedData!, 'Fachdaten', input, limits.maxDataBytes, () =>
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
    const source = input.attachments
    let total = dataBytes.byteLength
    for (const [index, a] of listed.entries()) {
      const label = `Anlage ${index + 1}`
      const tooLarge = () =>
        refuse(
          'invalid-attachment',
          `Attachment ${a.attachmentId} exceeds ${limits.maxAttachmentBytes} bytes.`,
          `${label} ist größer als ${sizeDe(limits.maxAttachmentBytes)}.`,
        )
      let jwe: string | undefined
      if (!announced.has(a.attachmentId.toLowerCase())) jwe = undefined
      else if (typeof source === 'function') {
        try {
          jwe = await source(a.attachmentId)
        } catch (e) {
          if (e instanceof AttachmentTooLarge) tooLarge()
          throw e
        }
      } else jwe = source[a.attachmentId]
      if (jwe === undefined) {
        refuse(
          'missing-attachment',
          `Attachment ${a.attachmentId} is described in the metadata but missing.`,
          `Die Anlage ${a.filename ? `„${sanitizeFilename(a.filename, a.attachmentId)}“ ` : ''}fehlt in der Einreichung.`,
        )
      }
      const bytes = decrypt(jwe!, label, input, limits.maxAttachmentBytes, tooLarge)
      total += bytes.byteLength
      if (total > limits.maxSubmissionBytes)
        refuse(
          'invalid-attachment',
          `The submission exceeds ${limits.maxSubmissionBytes} bytes in total.`,
          `Die Einreichung ist insgesamt größer als ${sizeDe(limits.maxSubmissionBytes)}; bitte die Unterlagen auf mehrere Einreichungen verteilen.`,
        )
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
      const sha256 = sha256hex(bytes)
      await input.sink?.({ attachmentId: a.attachmentId, bytes, sha256, jwe: jwe! })
      attachments.push({
        attachmentId: a.attachmentId,
        ...(input.sink ? {} : { bytes }),
        mimeType: declared,
        filename: sanitizeFilename(a.filename, fallback),
        purpose: a.purpose,
        ...(a.description !== undefined ? { description: a.description.slice(0, 1000) } : {}),
        sha256,
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
