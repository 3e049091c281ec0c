// The sender side of the intake API, as a portal (e.g. Amt24) would use it. Also lets tests
// craft broken submissions (tampered attachment, wrong key, invalid data/metadata ...).
import { createHash } from 'node:crypto'
import { CompactEncrypt, importJWK } from 'jose'
import type { CryptoKey, JWK, KeyObject } from 'jose'

export interface ProcedureRef {
  id: string
  name: string
  leika: string
  schemaUri: string
}

export interface ApplicationAttachment {
  attachmentId: string
  bytes: Uint8Array
  mimeType: string
  filename?: string
  purpose: 'form' | 'attachment' | 'report'
  description?: string
}

export interface Application {
  procedure: ProcedureRef
  data: unknown
  attachments: ApplicationAttachment[]
  senderReference: string
  /** YYYY-MM-DD */
  applicationDate: string
  replyEmail?: string
  /** extra top-level metadata members (e.g. paymentInformation) */
  extraMetadata?: Record<string, unknown>
}

export type EncryptionKey = CryptoKey | KeyObject | Uint8Array
export type Part = 'metadata' | 'data' | 'attachments'

/** Ways to break a submission on purpose (tests). */
export interface Tamper {
  /** rewrite the metadata object before it is encrypted (return anything) */
  metadata?: (metadata: Metadata) => unknown
  /** plaintext bytes for the metadata instead of JSON */
  rawMetadata?: Uint8Array
  /** plaintext bytes for the data instead of JSON.stringify(data); the hash is computed over them */
  rawData?: Uint8Array
  /** upload these plaintexts instead of the hashed ones (by attachment id) */
  replaceAttachment?: Record<string, Uint8Array>
  /** encrypt these parts with another public key (still labelled with the destination's kid) */
  wrongKey?: { key: EncryptionKey; parts: Part[] }
  /** flip a character in the ciphertext of these parts ('metadata', 'data' or an attachment id) */
  corrupt?: string[]
  /** attachment ids to announce in addition (e.g. to leave them out of the metadata) */
  announceOnly?: ApplicationAttachment[]
}

export interface Metadata {
  contentStructure: {
    data: {
      hash: { type: 'sha512'; content: string }
      submissionSchema: { schemaUri: string; mimeType: string }
    }
    attachments: {
      attachmentId: string
      hash: { type: 'sha512'; content: string }
      purpose: string
      mimeType: string
      filename?: string
      description?: string
    }[]
  }
  publicServiceType: { identifier: string; name: string }
  replyChannel?: { eMail: { address: string } }
  additionalReferenceInfo: { senderReference: string; applicationDate: string }
  [extra: string]: unknown
}

export interface Sender {
  hubUrl: string
  destinationId: string
  encryptionKid: string
  encryptionKey: EncryptionKey
  /** authorised fetch against the hub (refreshes the token on 401) */
  request(
    path: string,
    init: { method: string; body?: string; contentType?: string },
  ): Promise<Response>
}

export const sha512hex = (b: Uint8Array) => createHash('sha512').update(b).digest('hex')
const utf8 = (s: string) => new TextEncoder().encode(s)

export async function createSender(opts: {
  hubUrl: string
  clientId: string
  clientSecret: string
  destinationId: string
  fetch?: typeof fetch
}): Promise<Sender> {
  const f = opts.fetch ?? fetch
  const base = opts.hubUrl.replace(/\/+$/, '')
  let token: string | undefined
  const getToken = async () => {
    const r = await f(`${base}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: opts.clientId,
        client_secret: opts.clientSecret,
      }).toString(),
    })
    if (!r.ok) throw new Error(`token request failed: ${r.status} ${await r.text()}`)
    token = ((await r.json()) as { access_token: string }).access_token
    return token
  }
  const request: Sender['request'] = async (path, init) => {
    const go = async (t: string) =>
      f(`${base}${path}`, {
        method: init.method,
        headers: {
          authorization: `Bearer ${t}`,
          ...(init.contentType ? { 'content-type': init.contentType } : {}),
        },
        ...(init.body !== undefined ? { body: init.body } : {}),
      })
    let r = await go(token ?? (await getToken()))
    if (r.status === 401) r = await go(await getToken())
    return r
  }
  const dr = await request(`/v1/destinations/${opts.destinationId}`, { method: 'GET' })
  if (!dr.ok) throw new Error(`destination lookup failed: ${dr.status} ${await dr.text()}`)
  const dest = (await dr.json()) as { encryptionKid: string }
  const kr = await request(`/v1/destinations/${opts.destinationId}/keys/${dest.encryptionKid}`, {
    method: 'GET',
  })
  if (!kr.ok) throw new Error(`key lookup failed: ${kr.status}`)
  // FIT-Connect keys say key_ops ["wrapKey"]; WebCrypto wants "encrypt" for RSA-OAEP, so drop key_ops.
  const { key_ops: _ops, ...jwk } = (await kr.json()) as JWK
  const encryptionKey = await importJWK(jwk, 'RSA-OAEP-256')
  return {
    hubUrl: base,
    destinationId: opts.destinationId,
    encryptionKid: dest.encryptionKid,
    encryptionKey,
    request,
  }
}

export async function encryptJwe(
  plaintext: Uint8Array,
  key: EncryptionKey,
  kid: string,
  cty: string,
): Promise<string> {
  return new CompactEncrypt(plaintext)
    .setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A256GCM', kid, cty })
    .encrypt(key)
}

function corruptJwe(jwe: string): string {
  const parts = jwe.split('.')
  const ct = parts[3]!
  const i = Math.floor(ct.length / 2)
  parts[3] = ct.slice(0, i) + (ct[i] === 'A' ? 'B' : 'A') + ct.slice(i + 1)
  return parts.join('.')
}

export function buildMetadata(app: Application, dataBytes: Uint8Array): Metadata {
  return {
    contentStructure: {
      data: {
        hash: { type: 'sha512', content: sha512hex(dataBytes) },
        submissionSchema: { schemaUri: app.procedure.schemaUri, mimeType: 'application/json' },
      },
      attachments: app.attachments.map((a) => ({
        attachmentId: a.attachmentId,
        hash: { type: 'sha512' as const, content: sha512hex(a.bytes) },
        purpose: a.purpose,
        mimeType: a.mimeType,
        ...(a.filename !== undefined ? { filename: a.filename } : {}),
        ...(a.description !== undefined ? { description: a.description } : {}),
      })),
    },
    publicServiceType: {
      identifier: `urn:de:fim:leika:leistung:${app.procedure.leika}`,
      name: app.procedure.name,
    },
    ...(app.replyEmail ? { replyChannel: { eMail: { address: app.replyEmail } } } : {}),
    additionalReferenceInfo: {
      senderReference: app.senderReference,
      applicationDate: app.applicationDate,
    },
    ...(app.extraMetadata ?? {}),
  }
}

export class SenderError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(message)
  }
}

async function expectOk(r: Response, what: string): Promise<Response> {
  if (!r.ok) {
    const body = await r.text()
    throw new SenderError(`${what} failed: ${r.status} ${body}`, r.status, body)
  }
  return r
}

export interface SubmitResult {
  submissionId: string
  caseId: string
  destinationId: string
}

export interface EncryptedSubmission {
  encryptedMetadata: string
  encryptedData: string
  /** in announce order */
  attachments: { attachmentId: string; jwe: string }[]
}

/** Builds metadata and encrypts metadata, data and attachments (applying `tamper`), without any HTTP. */
export async function encryptApplication(
  key: { kid: string; key: EncryptionKey },
  app: Application,
  tamper: Tamper = {},
): Promise<EncryptedSubmission> {
  const keyFor = (part: Part) =>
    tamper.wrongKey?.parts.includes(part) ? tamper.wrongKey.key : key.key
  const maybeCorrupt = (name: string, jwe: string) =>
    tamper.corrupt?.includes(name) ? corruptJwe(jwe) : jwe

  const dataBytes = tamper.rawData ?? utf8(JSON.stringify(app.data))
  const metadataObj = buildMetadata(app, dataBytes)
  const metadata = tamper.metadata ? tamper.metadata(metadataObj) : metadataObj
  const metadataBytes = tamper.rawMetadata ?? utf8(JSON.stringify(metadata))

  const all = [...app.attachments, ...(tamper.announceOnly ?? [])]
  const [encryptedMetadata, encryptedData, ...encAttachments] = await Promise.all([
    encryptJwe(metadataBytes, keyFor('metadata'), key.kid, 'application/json'),
    encryptJwe(dataBytes, keyFor('data'), key.kid, 'application/json'),
    ...all.map((a) =>
      encryptJwe(
        tamper.replaceAttachment?.[a.attachmentId] ?? a.bytes,
        keyFor('attachments'),
        key.kid,
        a.mimeType,
      ),
    ),
  ])
  return {
    encryptedMetadata: maybeCorrupt('metadata', encryptedMetadata),
    encryptedData: maybeCorrupt('data', encryptedData),
    attachments: all.map((a, i) => ({
      attachmentId: a.attachmentId,
      jwe: maybeCorrupt(a.attachmentId, encAttachments[i]!),
    })),
  }
}

/** Announce, upload every attachment, submit. Encrypts for real (JWE RSA-OAEP-256 / A256GCM). */
export async function submitApplication(
  sender: Sender,
  app: Application,
  tamper: Tamper = {},
  /** `caseId`: submit into this existing FIT-Connect case (an answer to a Nachforderung) */
  opts: { caseId?: string } = {},
): Promise<SubmitResult> {
  const enc = await encryptApplication(
    { kid: sender.encryptionKid, key: sender.encryptionKey },
    app,
    tamper,
  )
  const announced = (await (
    await expectOk(
      await sender.request('/v1/submissions', {
        method: 'POST',
        contentType: 'application/json',
        body: JSON.stringify({
          destinationId: sender.destinationId,
          ...(opts.caseId ? { caseId: opts.caseId } : {}),
          announcedAttachments: enc.attachments.map((a) => a.attachmentId),
          serviceType: {
            name: app.procedure.name,
            identifier: `urn:de:fim:leika:leistung:${app.procedure.leika}`,
          },
        }),
      }),
      'announce',
    )
  ).json()) as SubmitResult

  await Promise.all(
    enc.attachments.map(async (a) =>
      expectOk(
        await sender.request(
          `/v1/submissions/${announced.submissionId}/attachments/${a.attachmentId}`,
          {
            method: 'PUT',
            contentType: 'application/jose',
            body: a.jwe,
          },
        ),
        `upload attachment ${a.attachmentId}`,
      ),
    ),
  )
  await expectOk(
    await sender.request(`/v1/submissions/${announced.submissionId}`, {
      method: 'PUT',
      contentType: 'application/json',
      body: JSON.stringify({
        encryptedMetadata: enc.encryptedMetadata,
        encryptedData: enc.encryptedData,
      }),
    }),
    'submit',
  )
  return announced
}
