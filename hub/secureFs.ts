import {
  chmodSync,
  closeSync,
  existsSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
} from 'node:fs'
import { join } from 'node:path'

/**
 * Least privilege for the hub's data folder (issue #17): folders 0700, files 0600 — hub.sqlite
 * with its -wal/-shm, hub.json, the destination keys, the identity provider's key files — set
 * explicitly, whatever the umask. (The hub shares no code with the desk, hence its own copy.)
 */
export function secureHubDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  chmodSync(dir, 0o700)
}

/** Creates the file empty with 0600 when missing (SQLite gives -wal and -shm the same mode). */
export function ensureSecureHubFile(file: string): void {
  closeSync(openSync(file, 'a', 0o600))
  chmodSync(file, 0o600)
}

/** Folders 0700, files 0600 below `dir` (symbolic links are left alone). */
export function secureHubTree(dir: string): void {
  if (!existsSync(dir)) return
  chmodSync(dir, 0o700)
  for (const name of readdirSync(dir)) {
    const p = join(dir, name)
    const st = lstatSync(p)
    if (st.isDirectory()) secureHubTree(p)
    else if (st.isFile()) chmodSync(p, 0o600)
  }
}
