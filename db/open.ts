import Database from 'better-sqlite3'
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

export function checkIntegrity(db: Database.Database, file: string): void {
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

/** Opens (and migrates) the desk's database: WAL, foreign keys on, busy timeout, integrity check. */
export function openDatabase(file: string, opts: { integrity?: 'now' | 'later' } = {}): Db {
  const db = new Database(file) as Db
  try {
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
export function openDatabaseReadOnly(file: string): ReadDb {
  return new Database(file, { readonly: true, fileMustExist: true }) as unknown as ReadDb
}
