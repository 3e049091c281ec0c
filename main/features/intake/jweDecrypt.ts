// Synchronous JWE (compact, RSA-OAEP-256 + A256GCM) decryption with node:crypto, for the intake
// worker pool (issue #14.5). jose 6 decrypts through WebCrypto, whose jobs run on libuv's shared
// thread pool (4 threads for the whole process, not the worker's thread): on 2 cores that pool
// took both cores from the main thread. Here the RSA unwrap and AES-GCM run on the calling
// thread, so the pool's size (cores − 1) bounds the CPU the intake takes. It also holds fewer
// copies of a 20 MB attachment than WebCrypto (which copies its input). RFC 7516 §5.2; only the
// one algorithm pair FIT-Connect uses is accepted, everything else is refused.
import { KeyObject, constants, createDecipheriv, privateDecrypt, type webcrypto } from 'node:crypto'
import type { CryptoKey as JoseCryptoKey, KeyObject as JoseKeyObject } from 'jose'

type JoseKey = JoseCryptoKey | JoseKeyObject

/** Why a JWE was refused (the caller turns it into its German finding). */
export class JweError extends Error {
  override readonly name = 'JweError'
}

const B64URL = /^[A-Za-z0-9_-]*$/

function part(s: string, what: string): Buffer {
  // Buffer's base64url decoder skips foreign characters: check first, so one JWE has one reading
  if (!B64URL.test(s) || s.length % 4 === 1) throw new JweError(`${what}: not base64url`)
  return Buffer.from(s, 'base64url')
}

/** The protected header (a JSON object) of a compact JWE. */
export function protectedHeader(jwe: string): Record<string, unknown> {
  const dot = jwe.indexOf('.')
  if (dot < 1) throw new JweError('no protected header')
  let header: unknown
  try {
    header = JSON.parse(part(jwe.slice(0, dot), 'header').toString('utf8'))
  } catch (e) {
    throw e instanceof JweError ? e : new JweError('protected header is not JSON')
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header))
    throw new JweError('protected header is not a JSON object')
  return header as Record<string, unknown>
}

/** jose's key types (its own interfaces) as node:crypto's KeyObject. */
const asKeyObject = (key: JoseKey): KeyObject =>
  key instanceof KeyObject ? key : KeyObject.from(key as webcrypto.CryptoKey)

/** Decrypts a compact JWE (RSA-OAEP-256, A256GCM) on this thread; throws JweError otherwise. */
export function decryptCompactSync(jwe: string, key: JoseKey): Buffer {
  const parts = jwe.split('.')
  if (parts.length !== 5) throw new JweError('not a compact JWE (five parts)')
  const [h, ek, iv, ct, tag] = parts as [string, string, string, string, string]
  const header = protectedHeader(jwe)
  if (header.alg !== 'RSA-OAEP-256') throw new JweError('key management algorithm not allowed')
  if (header.enc !== 'A256GCM') throw new JweError('content encryption algorithm not allowed')
  if ('zip' in header) throw new JweError('compressed JWE not supported')
  if ('crit' in header) throw new JweError('critical header parameters not supported')
  const ivBytes = part(iv, 'iv')
  const tagBytes = part(tag, 'tag')
  if (ivBytes.length !== 12) throw new JweError('iv must be 96 bits')
  if (tagBytes.length !== 16) throw new JweError('tag must be 128 bits')
  let cek: Buffer
  try {
    cek = privateDecrypt(
      { key: asKeyObject(key), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
      part(ek, 'encrypted key'),
    )
  } catch (e) {
    throw e instanceof JweError ? e : new JweError('decryption operation failed')
  }
  if (cek.length !== 32) throw new JweError('content encryption key has the wrong length')
  try {
    const d = createDecipheriv('aes-256-gcm', cek, ivBytes, { authTagLength: 16 })
    d.setAAD(Buffer.from(h, 'ascii'))
    d.setAuthTag(tagBytes)
    const plain = d.update(part(ct, 'ciphertext'))
    d.final() // GCM gives no more bytes here; it throws when the tag does not match
    return plain
  } catch (e) {
    throw e instanceof JweError ? e : new JweError('decryption operation failed')
  } finally {
    cek.fill(0)
  }
}
