import Database from 'better-sqlite3-multiple-ciphers'
import { migrate } from './migrate'
import type { ReadDb, WriteDb } from './sql'

/** The desk's connection with write access; read-only code takes a `ReadDb` (db/sql.ts). */
export type Db = WriteDb
export type { ReadDb, WriteDb }

/** The database file is damaged (a bad page, a torn write): never work on it. */
export class DatabaseCorruptError extends Error {
  constructor(
    readonly file: string,
    readonly detail: string,
  ) {
    super(
      `Die Datenbank „${file}“ ist beschädigt (${detail.slice(0, 200)}). Aktenfluss arbeitet nicht mit beschädigten Daten weiter. ` +
        'Bitte den Datenordner umbenennen (nicht löschen) und Aktenfluss neu starten: die Vorgänge kommen vom Büro neu; die IT kann aus dem umbenannten Ordner noch nicht übertragene Änderungen retten (docs/operations-desk.md).',
    )
    this.name = 'DatabaseCorruptError'
  }
}

export function checkIntegrity(db: { pragma: Database.Database['pragma'] }, file: string): void {
  let result: unknown
  try {
    result = db.pragma('quick_check', { simple: true })
  } catch (err) {
    if (
      (err as { code?: string }).code === 'SQLITE_CORRUPT' ||
      (err as { code?: string }).code === 'SQLITE_NOTADB'
    )
      throw new DatabaseCorruptError(file, (err as Error).message)
    throw err
  }
  if (result !== 'ok') throw new DatabaseCorruptError(file, String(result))
}

/** The database is not readable with this key (or not a database at all). */
export class DatabaseKeyError extends Error {
  constructor(readonly file: string) {
    super(
      `Die Datenbank „${file}“ lässt sich mit dem Schlüssel dieses Arbeitsplatzes nicht öffnen. Aktenfluss legt keine neue, leere Datenbank an; bitte die IT verständigen (Wiederherstellung mit dem Schlüssel des Amts, docs/operations-desk.md).`,
    )
    this.name = 'DatabaseKeyError'
  }
}

/**
 * Encryption at rest (issue #17): SQLCipher 4 format through SQLite3 Multiple Ciphers
 * (AES-256-CBC per page with an HMAC-SHA512 per page, WAL included), with a raw 256-bit key —
 * random, so no passphrase KDF is needed. The SQLCipher scheme (not the library's default
 * ChaCha20) because standard SQLCipher tools can open the file for IT recovery and forensics,
 * and because its pages are authenticated. `key` undefined = plaintext (bench, migration).
 */
export function applyKey(db: Database.Database, file: string, keyHex: string | undefined): void {
  if (keyHex === undefined) return
  if (!/^[0-9a-f]{64}$/.test(keyHex)) throw new Error('Ungültiger Datenbankschlüssel')
  db.pragma(`cipher = 'sqlcipher'`)
  db.pragma(`legacy = 4`)
  db.pragma(`key = "x'${keyHex}'"`)
  try {
    db.pragma('schema_version', { simple: true })
  } catch (err) {
    if ((err as { code?: string }).code === 'SQLITE_NOTADB') throw new DatabaseKeyError(file)
    throw err
  }
}

export interface OpenOptions {
  integrity?: 'now' | 'later'
  /** hex of the 256-bit database key (main/core/atRest/keys.ts); absent = plaintext */
  key?: string
}

/** Opens (and migrates) the desk's database: WAL, foreign keys on, busy timeout, integrity check. */
export function openDatabase(file: string, opts: OpenOptions = {}): Db {
  const raw = new Database(file)
  const db = raw as unknown as Db
  try {
    applyKey(raw, file, opts.key)
    // temporary tables and sort spills stay in memory: no plaintext temp file on disk;
    // deleted rows are overwritten (Aussonderung); 64 MB page cache: decrypted pages are reused
    db.pragma('temp_store = MEMORY')
    db.pragma('secure_delete = ON')
    db.pragma('cache_size = -65536')
    db.pragma('journal_mode = WAL')
    db.pragma('foreign_keys = ON')
    db.pragma('busy_timeout = 5000')
    // NORMAL (WAL): fast commits that never corrupt the file; the commit that precedes an accept
    // SET is made durable on its own (durableTransaction in db/sql.ts)
    db.pragma('synchronous = NORMAL')
    if (opts.integrity !== 'later') checkIntegrity(db, file)
    migrate(db)
    return db
  } catch (err) {
    db.close()
    throw err
  }
}

/** Opens an existing database for reading only (no migration; audit:verify). */
export function openDatabaseReadOnly(file: string, key?: string): ReadDb {
  const db = new Database(file, { readonly: true, fileMustExist: true })
  try {
    applyKey(db, file, key)
  } catch (err) {
    db.close()
    throw err
  }
  return db as unknown as ReadDb
}

/**
 * Encrypts a plaintext database file in place, crash-safe (the migration of issue #17): the WAL
 * is folded in, a copy `<file>.encrypting` is re-keyed page by page, made durable and renamed
 * over the original. A crash at any point leaves either the untouched plaintext file (the copy
 * is discarded on the next try) or the finished encrypted one.
 */
export function encryptDatabaseFile(
  file: string,
  keyHex: string,
  io: {
    copy(from: string, to: string): void
    remove(path: string): void
    commit(from: string, to: string): void
  },
): void {
  const work = `${file}.encrypting`
  for (const f of [work, `${work}-journal`, `${work}-wal`, `${work}-shm`]) io.remove(f)
  const plain = new Database(file)
  try {
    plain.pragma('wal_checkpoint(TRUNCATE)')
    plain.pragma('journal_mode = DELETE')
  } finally {
    plain.close()
  }
  io.copy(file, work)
  const db = new Database(work)
  try {
    db.pragma('journal_mode = DELETE')
    db.pragma(`cipher = 'sqlcipher'`)
    db.pragma(`legacy = 4`)
    db.pragma(`rekey = "x'${keyHex}'"`)
  } finally {
    db.close()
  }
  io.remove(`${work}-journal`)
  for (const f of [`${file}-wal`, `${file}-shm`]) io.remove(f)
  io.commit(work, file)
}
