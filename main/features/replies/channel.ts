// The reply channel a submission names (FIT-Connect metadata `replyChannel`): a FIT-Connect reply
// with the applicant's public encryption key (metadata 1.x `fitConnect.encryptionPublicKey`) is
// delivered digitally; anything else (e-mail without a key, De-Mail, …) is not, and the notice
// goes the way the clerk chose.
import { z } from 'zod'
import { CompactEncrypt, importJWK } from 'jose'
import { replyChannelOfCase } from '../../../db/repositories/replies'
import type { AppContext } from '../../core/context'

const rsaPublicJwk = z
  .object({
    kty: z.literal('RSA'),
    kid: z.string().min(1).max(200),
    n: z.string().regex(/^[A-Za-z0-9_-]{340,}$/, 'RSA modulus of at least 2048 bits'),
    e: z.string().regex(/^[A-Za-z0-9_-]+$/),
    alg: z.literal('RSA-OAEP-256').optional(),
    use: z.literal('enc').optional(),
    key_ops: z.array(z.string()).optional(),
  })
  .loose()

const channelSchema = z.object({
  fitConnect: z.object({ encryptionPublicKey: rsaPublicJwk }).loose().optional(),
  eMail: z.object({ address: z.string() }).loose().optional(),
})

export type ReplyKey = z.infer<typeof rsaPublicJwk>
export const replyKeySchema = rsaPublicJwk
const EMAIL = z.string().email().max(254)

/**
 * Where replies of this case go digitally, or undefined (no usable reply channel): a FIT-Connect
 * reply key (encrypted to the applicant now), or an e-mail address (encrypted to the portal's
 * reply key at delivery; the hub mails a notification with the retrieval link).
 */
export function replyTargetOf(
  ctx: AppContext,
  caseId: string,
):
  | { hubCaseId: string; key: ReplyKey; eMail: null }
  | { hubCaseId: string; key: null; eMail: string }
  | undefined {
  const row = replyChannelOfCase(ctx.db, caseId)
  if (!row) return undefined
  const parsed = channelSchema.safeParse(row.channel)
  if (!parsed.success) return undefined
  if (parsed.data.fitConnect)
    return {
      hubCaseId: row.hubCaseId,
      key: parsed.data.fitConnect.encryptionPublicKey,
      eMail: null,
    }
  const address = parsed.data.eMail?.address
  if (address && EMAIL.safeParse(address).success)
    return { hubCaseId: row.hubCaseId, key: null, eMail: address }
  return undefined
}

export interface ReplyContent {
  kind: 'bescheid' | 'nachforderung' | 'anhoerung'
  title: string
  filename: string
  mimeType: string
  bytes: Uint8Array
  createdAt: string
}

/** The reply's payload (JSON, `urn:aktenfluss:reply:1.0.0`). */
export function replyPayload(content: ReplyContent): Uint8Array {
  return new TextEncoder().encode(
    JSON.stringify({
      $schema: 'urn:aktenfluss:reply:1.0.0',
      kind: content.kind,
      title: content.title,
      filename: content.filename,
      mimeType: content.mimeType,
      createdAt: content.createdAt,
      content: Buffer.from(content.bytes).toString('base64'),
    }),
  )
}

/** A payload encrypted to a reply key (JWE compact, RSA-OAEP-256 + A256GCM). */
export async function encryptPayload(key: ReplyKey, plaintext: Uint8Array): Promise<string> {
  const { key_ops: _ops, alg: _alg, use: _use, ...jwk } = key
  const publicKey = await importJWK({ ...jwk, alg: 'RSA-OAEP-256' }, 'RSA-OAEP-256')
  return new CompactEncrypt(plaintext)
    .setProtectedHeader({
      alg: 'RSA-OAEP-256',
      enc: 'A256GCM',
      kid: key.kid,
      cty: 'application/json',
    })
    .encrypt(publicKey)
}

/** The reply's payload encrypted to the applicant. */
export function encryptReply(key: ReplyKey, content: ReplyContent): Promise<string> {
  return encryptPayload(key, replyPayload(content))
}
