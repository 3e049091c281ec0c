import { createHash, randomBytes } from 'node:crypto'
import {
  chmodSync,
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import { seal, unseal } from './atRest/seal'
import { FILE_MODE, secureDir } from './secureFs'

export const sha256Hex = (bytes: Uint8Array): string =>
  createHash('sha256').update(bytes).digest('hex')

export class BlobIntegrityError extends Error {
  constructor(readonly sha256: string) {
    super(`Dokumentinhalt beschädigt oder fehlend (SHA-256 ${sha256.slice(0, 12)}…)`)
    this.name = 'BlobIntegrityError'
  }
}

/**
 * Per-content keys (main/core/atRest/blobKeys.ts): each content has its own random AES-256 key,
 * kept wrapped in the encrypted database; forgetting it is crypto-shredding.
 */
export interface BlobKeys {
  keyOf(sha: string): Buffer | undefined
  create(sha: string): Buffer
  forget(sha: string): void
}

export const BLOB_MAGIC = 'AFB1'

/**
 * Content-addressed document store under the data folder. Names are hashes of the plaintext
 * only: a file name from a submission never becomes a path. With `keys` (the desk's default)
 * every file is AES-256-GCM ciphertext bound to its hash; the hash is verified after decryption.
 * Writes are atomic (temp file of ciphertext + fsync + rename); files 0600, folders 0700.
 */
export class BlobStore {
  constructor(
    /** the folder; a writer in another thread (the intake pool) writes into it after `reserve()` */
    readonly root: string,
    private readonly keys?: BlobKeys,
  ) {
    secureDir(root)
  }

  get encrypted(): boolean {
    return this.keys !== undefined
  }

  pathOf(sha: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha)) throw new Error('Ungültiger Hash')
    return join(this.root, sha.slice(0, 2), sha)
  }

  put(bytes: Uint8Array): string {
    const sha = sha256Hex(bytes)
    const target = this.pathOf(sha)
    // a key rolled back with its transaction leaves a file nobody can read: write it again
    if (existsSync(target) && (!this.keys || this.keys.keyOf(sha))) return sha
    const content = this.keys ? seal(this.keys.create(sha), bytes, sha, BLOB_MAGIC) : bytes
    this.writeFile(target, content)
    return sha
  }

  /**
   * For a writer in another thread (the intake worker pool): whether the content is already
   * stored and readable, and — when it is not — the key to seal it with (created now, kept in the
   * database like `put` does). The writer then calls `writeReserved()` with exactly that key.
   */
  reserve(sha: string): { stored: boolean; key?: Buffer } {
    if (this.has(sha)) return { stored: true }
    return this.keys ? { stored: false, key: this.keys.create(sha) } : { stored: false }
  }

  /**
   * Replaces a plaintext file of an older version by its ciphertext (atomic rename over it);
   * a key a crash left behind for this content is reused.
   */
  encryptExisting(sha: string, plain: Uint8Array): void {
    if (!this.keys) return
    if (sha256Hex(plain) !== sha) throw new BlobIntegrityError(sha)
    this.writeFile(this.pathOf(sha), seal(this.keys.create(sha), plain, sha, BLOB_MAGIC))
  }

  private writeFile(target: string, content: Uint8Array): void {
    secureDir(join(target, '..'))
    const tmp = `${target}.${randomBytes(6).toString('hex')}.tmp`
    try {
      writeFileSync(tmp, content, { mode: FILE_MODE })
      chmodSync(tmp, FILE_MODE)
      const fd = openSync(tmp, 'r')
      fsyncSync(fd)
      closeSync(fd)
      renameSync(tmp, target)
    } catch (err) {
      rmSync(tmp, { force: true }) // a disk-full write leaves no half file behind
      throw err
    }
  }

  /**
   * The other half of `reserve()`, for a thread that has no database: writes `bytes` under their
   * hash, sealed with the reserved key (none: a store without keys), atomically as `put` does.
   */
  static writeReserved(root: string, bytes: Uint8Array, key: Buffer | undefined): string {
    const fixed: BlobKeys | undefined = key
      ? { keyOf: () => undefined, create: () => key, forget: () => undefined }
      : undefined
    return new BlobStore(root, fixed).put(bytes)
  }

  /**
   * Removes a content (after the archive confirmed the transfer): its key first — from then on
   * the file and every backup copy of it are unreadable — then the file. Missing is fine.
   */
  remove(sha: string): void {
    this.keys?.forget(sha)
    rmSync(this.pathOf(sha), { force: true })
  }

  has(sha: string): boolean {
    return existsSync(this.pathOf(sha)) && (!this.keys || this.keys.keyOf(sha) !== undefined)
  }

  /** Every read decrypts (authenticated) and verifies the hash. */
  get(sha: string): Buffer {
    let bytes: Buffer
    try {
      bytes = readFileSync(this.pathOf(sha))
      if (this.keys) {
        const key = this.keys.keyOf(sha)
        if (!key) throw new BlobIntegrityError(sha)
        bytes = unseal(key, bytes, sha, 'Der Dokumentinhalt', BLOB_MAGIC)
      }
    } catch {
      throw new BlobIntegrityError(sha)
    }
    if (sha256Hex(bytes) !== sha) throw new BlobIntegrityError(sha)
    return bytes
  }
}
