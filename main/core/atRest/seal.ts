import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'

/**
 * AES-256-GCM sealing for everything the desk keeps on disk outside SQLite (blobs, the secrets
 * file, exports, wrapped keys). Layout: 4-byte magic, 12-byte IV, ciphertext, 16-byte tag. The
 * `aad` binds a sealed value to its place (a blob's hash, a key's purpose): moving it elsewhere
 * fails authentication.
 */
const IV = 12
const TAG = 16

export class SealError extends Error {
  constructor(what: string) {
    super(`${what} lässt sich nicht entschlüsseln (falscher Schlüssel oder verändert).`)
    this.name = 'SealError'
  }
}

export function seal(key: Buffer, plain: Uint8Array, aad: string, magic = 'AFS1'): Buffer {
  const iv = randomBytes(IV)
  const c = createCipheriv('aes-256-gcm', key, iv)
  c.setAAD(Buffer.from(aad, 'utf8'))
  const body = Buffer.concat([c.update(plain), c.final()])
  return Buffer.concat([Buffer.from(magic, 'latin1'), iv, body, c.getAuthTag()])
}

export function isSealed(bytes: Uint8Array, magic = 'AFS1'): boolean {
  return (
    bytes.length >= 4 + IV + TAG &&
    Buffer.from(bytes.buffer, bytes.byteOffset, 4).toString('latin1') === magic
  )
}

export function unseal(
  key: Buffer,
  sealed: Uint8Array,
  aad: string,
  what = 'Der Inhalt',
  magic = 'AFS1',
): Buffer {
  const b = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength)
  if (!isSealed(b, magic)) throw new SealError(what)
  const iv = b.subarray(4, 4 + IV)
  const tag = b.subarray(b.length - TAG)
  const d = createDecipheriv('aes-256-gcm', key, iv)
  d.setAAD(Buffer.from(aad, 'utf8'))
  d.setAuthTag(tag)
  try {
    return Buffer.concat([d.update(b.subarray(4 + IV, b.length - TAG)), d.final()])
  } catch {
    throw new SealError(what)
  }
}

/** One key per purpose from the data key (HKDF-SHA256), so no key does two jobs. */
export function subkey(dataKey: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), `aktenfluss/${purpose}`, 32))
}
