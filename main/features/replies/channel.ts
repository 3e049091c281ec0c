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

/** Where replies of this case go digitally, or undefined (no usable FIT-Connect reply channel). */
export function replyTargetOf(
  ctx: AppContext,
  caseId: string,
): { hubCaseId: string; key: ReplyKey; eMail: string | null } | undefined {
  const row = replyChannelOfCase(ctx.db, caseId)
  if (!row) return undefined
  const parsed = channelSchema.safeParse(row.channel)
  if (!parsed.success || !parsed.data.fitConnect) return undefined
  return {
    hubCaseId: row.hubCaseId,
    key: parsed.data.fitConnect.encryptionPublicKey,
    eMail: parsed.data.eMail?.address ?? null,
  }
}

export interface ReplyContent {
  kind: 'bescheid' | 'nachforderung' | 'anhoerung'
  title: string
  filename: string
  mimeType: string
  bytes: Uint8Array
  createdAt: string
}

/** The reply's payload encrypted to the applicant (JWE compact, RSA-OAEP-256 + A256GCM). */
export async function encryptReply(key: ReplyKey, content: ReplyContent): Promise<string> {
  const { key_ops: _ops, alg: _alg, use: _use, ...jwk } = key
  const publicKey = await importJWK({ ...jwk, alg: 'RSA-OAEP-256' }, 'RSA-OAEP-256')
  const plaintext = new TextEncoder().encode(
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
  return new CompactEncrypt(plaintext)
    .setProtectedHeader({
      alg: 'RSA-OAEP-256',
      enc: 'A256GCM',
      kid: key.kid,
      cty: 'application/json',
    })
    .encrypt(publicKey)
}
