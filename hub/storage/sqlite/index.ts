// The embedded backend: better-sqlite3 (WAL) behind the async storage interface. One connection;
// a transaction holds it until it settles, statements from other async contexts wait for it.
import { AsyncLocalStorage } from 'node:async_hooks'
import Database from 'better-sqlite3'
import type { Statement } from 'better-sqlite3'
import type { Compiled, Stmt, StmtDefs } from '../stmt'
import type { StatementGroups, Storage } from '../types'

export interface SqliteOptions {
  /** schema migrations, applied in order and counted in PRAGMA user_version */
  migrations: readonly string[]
  /**
   * foreign keys off while migrating (a migration may rebuild a referenced table, SQLite's
   * 12-step ALTER); checked with foreign_key_check before each migration commits
   */
  foreignKeysOffWhileMigrating?: boolean
  /** further schema steps after the numbered migrations (synchronous, on the connection) */
  afterMigrations?: (db: Database.Database) => void
}

export interface SqliteStorage<G extends Record<string, StmtDefs>> extends Storage<G> {
  /** the connection, for tools that need it synchronously (desk registration without a server) */
  readonly db: Database.Database
}

export function openSqliteStorage<G extends Record<string, StmtDefs>>(
  file: string,
  groups: G,
  opts: SqliteOptions,
): SqliteStorage<G> {
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  db.pragma(`foreign_keys = ${opts.foreignKeysOffWhileMigrating ? 'OFF' : 'ON'}`)
  const version = db.pragma('user_version', { simple: true }) as number
  for (let v = version; v < opts.migrations.length; v++) {
    db.transaction(() => {
      db.exec(opts.migrations[v]!)
      if ((db.pragma('foreign_key_check') as unknown[]).length > 0)
        throw new Error(`migration ${v + 1} broke a foreign key`)
      db.pragma(`user_version = ${v + 1}`)
    })()
  }
  db.pragma('foreign_keys = ON')
  opts.afterMigrations?.(db)

  /** the transaction the current async context runs in (its savepoint depth) */
  const context = new AsyncLocalStorage<{ depth: number }>()
  /** settles when the transaction holding the connection has finished */
  let held: Promise<void> = Promise.resolve()
  let holders = 0

  const withConnection = <T>(work: () => T): Promise<T> => {
    if (context.getStore() || holders === 0) {
      try {
        return Promise.resolve(work())
      } catch (e) {
        return Promise.reject(e instanceof Error ? e : new Error(String(e)))
      }
    }
    return held.then(() => withConnection(work))
  }

  const compile = (s: Statement): Stmt<unknown[], unknown> => ({
    get: (...p) => withConnection(() => s.get(...p)),
    all: (...p) => withConnection(() => s.all(...p)),
    run: (...p) => withConnection(() => ({ changes: s.run(...p).changes })),
  })
  const q = Object.fromEntries(
    Object.entries(groups).map(([name, defs]) => [
      name,
      Object.fromEntries(Object.entries(defs).map(([k, d]) => [k, compile(db.prepare(d.sql))])),
    ]),
  ) as StatementGroups<G>

  let savepoints = 0
  async function transaction<T>(fn: (tx: StatementGroups<G>) => Promise<T>): Promise<T> {
    const outer = context.getStore()
    if (outer) {
      const name = `sp${++savepoints}`
      db.exec(`SAVEPOINT ${name}`)
      try {
        const result = await context.run({ depth: outer.depth + 1 }, () => fn(q))
        db.exec(`RELEASE ${name}`)
        return result
      } catch (e) {
        db.exec(`ROLLBACK TO ${name}`)
        db.exec(`RELEASE ${name}`)
        throw e
      }
    }
    while (holders > 0) await held
    holders++
    let release!: () => void
    held = new Promise<void>((r) => (release = r))
    try {
      db.exec('BEGIN IMMEDIATE')
      try {
        const result = await context.run({ depth: 0 }, () => fn(q))
        db.exec('COMMIT')
        return result
      } catch (e) {
        if (db.inTransaction) db.exec('ROLLBACK')
        throw e
      }
    } finally {
      holders--
      release()
    }
  }

  /** named in-process locks (one process owns a SQLite file) */
  const locks = new Map<string, Promise<void>>()
  async function lock<T>(
    name: string,
    fn: () => Promise<T>,
    lockOpts: { wait?: boolean } = {},
  ): Promise<{ ran: true; value: T } | { ran: false }> {
    for (;;) {
      const held = locks.get(name)
      if (!held) break
      if (lockOpts.wait === false) return { ran: false }
      await held
    }
    let free!: () => void
    locks.set(name, new Promise<void>((r) => (free = r)))
    try {
      return { ran: true, value: await fn() }
    } finally {
      locks.delete(name)
      free()
    }
  }

  return {
    backend: 'sqlite',
    db,
    q,
    transaction,
    lock,
    close: () => {
      db.close()
      return Promise.resolve()
    },
  }
}

export type { Compiled }
