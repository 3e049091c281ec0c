import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Database } from 'better-sqlite3'
import { locateShipped } from './locate'

export interface Migration {
  version: number
  name: string
  sql: string
}

const FILE = /^(\d{4})-([a-z0-9-]+)\.sql$/

export class NewerDatabaseError extends Error {
  constructor(
    readonly found: number,
    readonly supported: number,
  ) {
    super(
      `Die Datenbank stammt von einer neueren Aktenfluss-Version (Schema ${found}, diese Version kennt bis ${supported}). Bitte Aktenfluss aktualisieren.`,
    )
    this.name = 'NewerDatabaseError'
  }
}

/** Reads `db/migrations/NNNN-name.sql`, checking the numbering is 1, 2, 3 … without gaps. */
export function loadMigrations(dir: string = locateShipped('db/migrations')): Migration[] {
  const migrations = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((file) => {
      const m = FILE.exec(file)
      if (!m?.[1] || !m[2]) throw new Error(`Ungültiger Migrationsname: ${file}`)
      return { version: Number(m[1]), name: m[2], sql: readFileSync(join(dir, file), 'utf8') }
    })
  migrations.forEach((m, i) => {
    if (m.version !== i + 1)
      throw new Error(`Migrationen nicht fortlaufend bei ${m.version}-${m.name}`)
  })
  return migrations
}

/** Applies all pending migrations in one transaction and records PRAGMA user_version. */
export function migrate(db: Database, migrations: Migration[] = loadMigrations()): number {
  const current = db.pragma('user_version', { simple: true }) as number
  const latest = migrations.length
  if (current > latest) throw new NewerDatabaseError(current, latest)
  const pending = migrations.filter((m) => m.version > current)
  if (pending.length === 0) return current
  db.transaction(() => {
    for (const m of pending) db.exec(m.sql)
    db.pragma(`user_version = ${latest}`)
  })()
  return latest
}
