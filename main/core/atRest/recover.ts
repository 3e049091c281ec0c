import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { compactDecrypt, importJWK } from 'jose'
import { z } from 'zod'
import {
  fileWrap,
  keyIdOf,
  KEYS_FILE,
  keysFileSchema,
  RECOVERY_FILE,
  writeKeysFile,
  type KeysFile,
} from './keys'

const privateJwkSchema = z.object({
  kty: z.literal('RSA'),
  n: z.string(),
  e: z.string(),
  d: z.string(),
  p: z.string(),
  q: z.string(),
  dp: z.string(),
  dq: z.string(),
  qi: z.string(),
  kid: z.string().optional(),
})

/**
 * `npm run recover`: unwraps the data key with the office's private recovery key (JWE,
 * RSA-OAEP-256) and writes a key-file wrap, keeping the recovery wrap. Reads the keys file, or the
 * separate recovery JWE when the keys file is missing or damaged.
 */
export async function recoverDataKey(
  dir: string,
  privateJwk: unknown,
  opts: { passphrase?: string } = {},
): Promise<{ keyId: string; source: 'keys' | 'recovery-file' }> {
  const jwk = privateJwkSchema.safeParse(privateJwk)
  if (!jwk.success)
    throw new Error('Die Datei ist kein privater RSA-Schlüssel im JWK-Format (kty RSA, d, p, q …).')
  let keys: KeysFile | undefined
  try {
    const f = join(dir, KEYS_FILE)
    keys = existsSync(f) ? keysFileSchema.parse(JSON.parse(readFileSync(f, 'utf8'))) : undefined
  } catch {
    keys = undefined
  }
  const source = keys ? 'keys' : 'recovery-file'
  const jwe = keys?.recovery.jwe ?? readRecoveryFile(dir)
  const key = await importJWK(jwk.data, 'RSA-OAEP-256')
  let dataKey: Buffer
  try {
    const { plaintext } = await compactDecrypt(jwe, key, {
      keyManagementAlgorithms: ['RSA-OAEP-256'],
      contentEncryptionAlgorithms: ['A256GCM'],
    })
    dataKey = Buffer.from(plaintext)
  } catch {
    throw new Error(
      'Der Wiederherstellungsschlüssel passt nicht zu diesem Arbeitsplatz (der Schlüssel wurde mit einem anderen öffentlichen Schlüssel des Amts geschützt).',
    )
  }
  const keyId = keyIdOf(dataKey)
  if (dataKey.length !== 32 || (keys && keys.keyId !== keyId))
    throw new Error('Der entschlüsselte Schlüssel passt nicht zur Schlüsseldatei dieses Ordners.')
  const { os: _os, ...rest } = keys ?? {
    format: 'aktenfluss-desk-keys/1' as const,
    keyId,
    createdAt: new Date().toISOString(),
    recovery: { kid: jwk.data.kid ?? 'unbekannt', jwe },
    // a folder whose keys file was lost may still hold plaintext of an interrupted migration
    plaintextMigration: 'pending' as const,
  }
  writeKeysFile(dir, { ...rest, file: fileWrap(dataKey, opts.passphrase) })
  return { keyId, source }
}

function readRecoveryFile(dir: string): string {
  const f = join(dir, RECOVERY_FILE)
  if (!existsSync(f))
    throw new Error(
      `Weder die Schlüsseldatei noch „${f}“ ist vorhanden: ohne sie lässt sich der Schlüssel nicht wiederherstellen.`,
    )
  return readFileSync(f, 'utf8').trim()
}
