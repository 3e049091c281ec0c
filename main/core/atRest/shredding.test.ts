// Deletion that deletes (issue #17): removing a content destroys its key, so the file and any
// copy of it (a backup, a freed disk block) can never be decrypted again.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, it } from 'vitest'
import { blobKeyOf } from '../../../db/repositories/blobKeys'
import { createDesk } from '../../desk'
import { BLOB_MAGIC, BlobIntegrityError } from '../blobs'
import { unseal } from './seal'
import { databaseBlobKeys } from './blobKeys'
import { openDeskKeys } from './keys'

const dirs: string[] = []
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))

it('removing a content destroys its key: a backup copy of the file stays unreadable', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shred-'))
  dirs.push(dir)
  const desk = createDesk({ dataDir: dir, mode: 'browser' })
  try {
    const bytes = Buffer.from('%PDF-1.4\nEinkommensnachweis Familie Quellenberg\n%%EOF\n')
    const sha = desk.ctx.blobs.put(bytes)
    const file = desk.ctx.blobs.pathOf(sha)
    // on disk: ciphertext only, bound to its hash
    const onDisk = readFileSync(file)
    expect(onDisk.subarray(0, 4).toString('latin1')).toBe(BLOB_MAGIC)
    expect(onDisk.includes(Buffer.from('Quellenberg'))).toBe(false)
    expect(desk.ctx.blobs.get(sha)).toEqual(bytes)
    const backup = join(dir, '..', `${sha}.backup-${process.pid}`)
    copyFileSync(file, backup)
    dirs.push(backup)
    const wrapKey = openDeskKeys(dir, { mustExist: true }).blobWrapKey
    const keyBefore = databaseBlobKeys(desk.ctx.db, wrapKey).keyOf(sha)!
    expect(unseal(keyBefore, readFileSync(backup), sha, 'x', BLOB_MAGIC)).toEqual(bytes)

    desk.ctx.blobs.remove(sha)
    expect(blobKeyOf(desk.ctx.db, sha)).toBeUndefined()
    expect(desk.ctx.blobs.has(sha)).toBe(false)
    expect(() => desk.ctx.blobs.get(sha)).toThrow(BlobIntegrityError)
    // the same content stored again gets a fresh key: the old copy does not open with it
    desk.ctx.blobs.put(bytes)
    const keyAfter = databaseBlobKeys(desk.ctx.db, wrapKey).keyOf(sha)!
    expect(keyAfter.equals(keyBefore)).toBe(false)
    expect(() => unseal(keyAfter, readFileSync(backup), sha, 'x', BLOB_MAGIC)).toThrow()
  } finally {
    await desk.close()
  }
})

it('a blob file moved to another hash or altered is refused (authenticated, hash verified)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shred-move-'))
  dirs.push(dir)
  const desk = createDesk({ dataDir: dir, mode: 'browser' })
  try {
    const a = desk.ctx.blobs.put(Buffer.from('Inhalt A'))
    const b = desk.ctx.blobs.put(Buffer.from('Inhalt B'))
    copyFileSync(desk.ctx.blobs.pathOf(a), desk.ctx.blobs.pathOf(b))
    expect(() => desk.ctx.blobs.get(b)).toThrow(BlobIntegrityError)
    const f = desk.ctx.blobs.pathOf(a)
    const bytes = readFileSync(f)
    bytes[bytes.length - 20]! ^= 1
    writeFileSync(f, bytes)
    expect(() => desk.ctx.blobs.get(a)).toThrow(BlobIntegrityError)
  } finally {
    await desk.close()
  }
})
