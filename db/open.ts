import Database from 'better-sqlite3'
import { migrate } from './migrate'
import type { ReadDb, WriteDb } from './sql'

/** The desk's connection with write access; read-only code takes a `ReadDb` (db/sql.ts). */
export type Db = WriteDb
export type { ReadDb, WriteDb }

/** Opens (and migrates) the desk's database: WAL, foreign keys on, busy timeout. */
export function openDatabase(file: string): Db {
  const db = new Database(file) as Db
  try {
    db.pragma('journal_mode = WAL')
    db.pragma('foreign_keys = ON')
    db.pragma('busy_timeout = 5000')
    db.pragma('synchronous = NORMAL')
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
