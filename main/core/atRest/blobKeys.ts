import { randomBytes } from 'node:crypto'
import type { Db } from '../../../db/open'
import { blobKeyOf, deleteBlobKey, insertBlobKey } from '../../../db/repositories/blobKeys'
import type { BlobKeys } from '../blobs'
import { seal, unseal } from './seal'

/** Per-content keys kept in the (encrypted) database, each wrapped by the blob-key wrapping key. */
export function databaseBlobKeys(db: Db, wrapKey: Buffer): BlobKeys {
  const aad = (sha: string) => `blob-key:${sha}`
  const keyOf = (sha: string) => {
    const wrapped = blobKeyOf(db, sha)
    return wrapped ? unseal(wrapKey, wrapped, aad(sha), 'Ein Dokumentschlüssel') : undefined
  }
  return {
    keyOf,
    create: (sha) => {
      const existing = keyOf(sha)
      if (existing) return existing
      const key = randomBytes(32)
      insertBlobKey(db, sha, seal(wrapKey, key, aad(sha)))
      return key
    },
    forget: (sha) => deleteBlobKey(db, sha),
  }
}
