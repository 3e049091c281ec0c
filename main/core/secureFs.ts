import {
  chmodSync,
  closeSync,
  existsSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs'
import { dirname, join } from 'node:path'

/**
 * Least privilege on disk (issue #17): the desk's folders are 0700 and its files 0600, set
 * explicitly so the result does not depend on the process's umask.
 */
export const DIR_MODE = 0o700
export const FILE_MODE = 0o600

/** Creates the folder (and its parents) when missing and makes it 0700. */
export function secureDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: DIR_MODE })
  chmodSync(dir, DIR_MODE)
}

/** Makes an existing file 0600 (missing is fine). */
export function secureFile(file: string): void {
  if (existsSync(file)) chmodSync(file, FILE_MODE)
}

/** Creates an empty file with 0600 when it does not exist yet (SQLite then gives -wal/-shm the same mode). */
export function ensureSecureFile(file: string): void {
  closeSync(openSync(file, 'a', FILE_MODE))
  chmodSync(file, FILE_MODE)
}

/** Walks a folder: folders 0700, files 0600 (symbolic links are left alone). */
export function secureTree(dir: string): void {
  if (!existsSync(dir)) return
  chmodSync(dir, DIR_MODE)
  for (const name of readdirSync(dir)) {
    const p = join(dir, name)
    const st = lstatSync(p)
    if (st.isDirectory()) secureTree(p)
    else if (st.isFile()) chmodSync(p, FILE_MODE)
  }
}

/** fsyncs a folder so a rename inside it survives a power loss (not supported everywhere). */
export function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r')
    try {
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
  } catch {
    // Windows cannot open a folder; its renames are durable once the call returns
  }
}

/** Atomic, durable write with mode 0600: temp file beside the target, fsync, rename, fsync folder. */
export function writeFileAtomic(
  file: string,
  bytes: Uint8Array | string,
  tmpSuffix = '.tmp',
): void {
  const tmp = `${file}${tmpSuffix}`
  try {
    const fd = openSync(tmp, 'w', FILE_MODE)
    try {
      const buf = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes
      let off = 0
      while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off)
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    chmodSync(tmp, FILE_MODE)
    renameSync(tmp, file)
  } catch (err) {
    rmSync(tmp, { force: true }) // a disk-full write leaves no half file behind
    throw err
  }
  fsyncDir(dirname(file))
}
