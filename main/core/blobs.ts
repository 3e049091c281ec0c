import { createHash, randomBytes } from 'node:crypto'
import {
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  existsSync,
  openSync,
  fsyncSync,
  closeSync,
} from 'node:fs'
import { join } from 'node:path'

export const sha256Hex = (bytes: Uint8Array): string =>
  createHash('sha256').update(bytes).digest('hex')

export class BlobIntegrityError extends Error {
  constructor(readonly sha256: string) {
    super(`Dokumentinhalt beschädigt oder fehlend (SHA-256 ${sha256.slice(0, 12)}…)`)
    this.name = 'BlobIntegrityError'
  }
}

/**
 * Content-addressed document store under the data folder. Names are hashes only: a file name
 * from a submission never becomes a path. Writes are atomic (temp file + fsync + rename).
 */
export class BlobStore {
  constructor(private readonly root: string) {
    mkdirSync(root, { recursive: true })
  }

  private pathOf(sha: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha)) throw new Error('Ungültiger Hash')
    return join(this.root, sha.slice(0, 2), sha)
  }

  put(bytes: Uint8Array): string {
    const sha = sha256Hex(bytes)
    const target = this.pathOf(sha)
    if (existsSync(target)) return sha
    mkdirSync(join(this.root, sha.slice(0, 2)), { recursive: true })
    const tmp = `${target}.${randomBytes(6).toString('hex')}.tmp`
    try {
      writeFileSync(tmp, bytes)
      const fd = openSync(tmp, 'r')
      fsyncSync(fd)
      closeSync(fd)
      renameSync(tmp, target)
    } catch (err) {
      rmSync(tmp, { force: true }) // a disk-full write leaves no half file behind
      throw err
    }
    return sha
  }

  /** Removes a content file (after the archive confirmed the transfer); missing is fine. */
  remove(sha: string): void {
    rmSync(this.pathOf(sha), { force: true })
  }

  has(sha: string): boolean {
    return existsSync(this.pathOf(sha))
  }

  /** Every read verifies the hash. */
  get(sha: string): Buffer {
    let bytes: Buffer
    try {
      bytes = readFileSync(this.pathOf(sha))
    } catch {
      throw new BlobIntegrityError(sha)
    }
    if (sha256Hex(bytes) !== sha) throw new BlobIntegrityError(sha)
    return bytes
  }
}
