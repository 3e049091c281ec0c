import { get, run, shape, sql, type ReadDb, type WriteDb } from '../sql'

const keyShape = shape({ wrapped: 'blob' })

/** The wrapped key of a content, if the desk holds it (db/migrations/0015-blob-keys.sql). */
export function blobKeyOf(db: ReadDb, sha256: string): Buffer | undefined {
  const r = get(db, sql`SELECT wrapped FROM blob_keys WHERE sha256 = ${sha256}`, keyShape)
  return r ? Buffer.from(r.wrapped) : undefined
}

export function insertBlobKey(db: WriteDb, sha256: string, wrapped: Buffer): void {
  run(db, sql`INSERT OR REPLACE INTO blob_keys (sha256, wrapped) VALUES (${sha256}, ${wrapped})`)
}

/** Crypto-shredding: without its key the content file is noise. */
export function deleteBlobKey(db: WriteDb, sha256: string): void {
  run(db, sql`DELETE FROM blob_keys WHERE sha256 = ${sha256}`)
}
