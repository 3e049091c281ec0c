import {
  chmodSync,
  closeSync,
  copyFileSync,
  existsSync,
  fsyncSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
} from 'node:fs'
import { join } from 'node:path'
import { encryptDatabaseFile } from '../../../db/open'
import { sha256Hex, type BlobStore } from '../blobs'
import type { EncryptedFileSecretStore } from '../secrets'
import { migratePlainSecrets } from '../secrets'
import { FILE_MODE, fsyncDir, secureTree, writeFileAtomic } from '../secureFs'
import { isPlainSqlite, type DeskKeys } from './keys'
import { seal } from './seal'

/**
 * The first start of the encrypting version on an older, plaintext data folder (issue #17).
 * Every step is idempotent and leaves the folder consistent when the process dies at any
 * moment (kill -9, power loss); the next start runs the remaining steps. The keys file records
 * 'pending' until the last step is done.
 */
export function encryptDatabaseInPlace(dataDir: string, keys: DeskKeys): void {
  const file = join(dataDir, 'aktenfluss.db')
  if (!isPlainSqlite(file)) return
  encryptDatabaseFile(file, keys.dbKeyHex, {
    copy: (from, to) => {
      copyFileSync(from, to)
      chmodSync(to, FILE_MODE)
    },
    remove: (p) => rmSync(p, { force: true }),
    commit: (from, to) => {
      const fd = openSync(from, 'r+')
      try {
        fsyncSync(fd)
      } finally {
        closeSync(fd)
      }
      renameSync(from, to)
      fsyncDir(dataDir)
    },
  })
}

/** Blobs, secrets and exports of the older version: encrypted, the plaintext removed. */
export function encryptFilesInPlace(
  dataDir: string,
  keys: DeskKeys,
  blobs: BlobStore,
  secrets: EncryptedFileSecretStore,
): void {
  const root = join(dataDir, 'blobs')
  if (existsSync(root))
    for (const sub of readdirSync(root)) {
      if (!/^[0-9a-f]{2}$/.test(sub)) continue
      for (const name of readdirSync(join(root, sub))) {
        const p = join(root, sub, name)
        // a temp file of an interrupted write (older versions wrote plaintext ones)
        if (name.endsWith('.tmp')) {
          rmSync(p, { force: true })
          continue
        }
        if (!/^[0-9a-f]{64}$/.test(name)) continue
        const bytes = readFileSync(p)
        // plaintext iff the file's own hash is its name (ciphertext never hashes to it)
        if (sha256Hex(bytes) === name) blobs.encryptExisting(name, bytes)
      }
    }
  migratePlainSecrets(dataDir, secrets)
  const exports = join(dataDir, 'exports')
  if (existsSync(exports))
    for (const name of readdirSync(exports)) {
      if (name.endsWith('.sealed') || name.endsWith('.tmp')) {
        if (name.endsWith('.tmp')) rmSync(join(exports, name), { force: true })
        continue
      }
      const p = join(exports, name)
      writeFileAtomic(`${p}.sealed`, seal(keys.fileKey, readFileSync(p), `export:${name}`))
      rmSync(p, { force: true })
    }
  secureTree(dataDir)
  keys.markMigrated()
}
