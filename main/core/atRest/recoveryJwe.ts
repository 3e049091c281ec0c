import {
  constants,
  createCipheriv,
  createHash,
  createPublicKey,
  publicEncrypt,
  randomBytes,
} from 'node:crypto'
import { readFileSync } from 'node:fs'
import { z } from 'zod'
import { join } from 'node:path'
import { assetsDir } from '../../../db/locate'

/** The office recovery key's public half (RSA JWK); only municipal IT holds the private half. */
export const recoveryPublicJwkSchema = z.object({
  kty: z.literal('RSA'),
  n: z.string().min(300),
  e: z.string().min(1),
  kid: z.string().min(1).optional(),
  alg: z.string().optional(),
  use: z.string().optional(),
})
export type RecoveryPublicJwk = z.infer<typeof recoveryPublicJwkSchema>

/**
 * The public key the desk wraps its data key with: `AKTENFLUSS_RECOVERY_PUBLIC_KEY` (path to a
 * JWK file the office's IT hands out), otherwise the demo key shipped in assets/recovery/.
 */
export function loadRecoveryPublicKey(path = process.env.AKTENFLUSS_RECOVERY_PUBLIC_KEY): {
  jwk: RecoveryPublicJwk
  kid: string
} {
  const file = path || join(assetsDir(), 'recovery', 'office-recovery.public.jwk')
  let jwk: RecoveryPublicJwk
  try {
    jwk = recoveryPublicJwkSchema.parse(JSON.parse(readFileSync(file, 'utf8')))
  } catch (err) {
    throw new Error(
      `Der öffentliche Wiederherstellungsschlüssel des Amts („${file}“) fehlt oder ist ungültig (${err instanceof Error ? err.message.slice(0, 120) : String(err)}). Bitte die IT um die richtige Datei bitten.`,
    )
  }
  const kid =
    jwk.kid ?? createHash('sha256').update(`${jwk.e}.${jwk.n}`).digest('base64url').slice(0, 16)
  return { jwk, kid }
}

const b64u = (b: Buffer | string) => Buffer.from(b).toString('base64url')

/**
 * Compact JWE (RFC 7516) with RSA-OAEP-256 and A256GCM, built synchronously with node:crypto so
 * the desk can wrap its key while it starts; IT opens it with `jose` (`npm run recover`).
 */
export function wrapForRecovery(
  plaintext: Buffer,
  pub: { jwk: RecoveryPublicJwk; kid: string },
): string {
  const header = b64u(JSON.stringify({ alg: 'RSA-OAEP-256', enc: 'A256GCM', kid: pub.kid }))
  const cek = randomBytes(32)
  const key = createPublicKey({ key: { kty: 'RSA', n: pub.jwk.n, e: pub.jwk.e }, format: 'jwk' })
  const encryptedKey = publicEncrypt(
    { key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
    cek,
  )
  const iv = randomBytes(12)
  const c = createCipheriv('aes-256-gcm', cek, iv)
  c.setAAD(Buffer.from(header, 'ascii'))
  const ct = Buffer.concat([c.update(plaintext), c.final()])
  return [header, b64u(encryptedKey), b64u(iv), b64u(ct), b64u(c.getAuthTag())].join('.')
}
