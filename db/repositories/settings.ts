import { get, run, shape, sql, type ReadDb, type WriteDb } from '../sql'

const valueShape = shape({ value: 'json' })

/** A stored setting (JSON); the caller names the type it stored under this key. */
export function getSetting<T>(db: ReadDb, key: string): T | undefined {
  const row = get(db, sql`SELECT value FROM settings WHERE key = ${key}`, valueShape)
  return row ? (row.value as T) : undefined
}

export function setSetting(db: WriteDb, key: string, value: unknown): void {
  run(
    db,
    sql`INSERT INTO settings (key, value) VALUES (${key}, ${JSON.stringify(value)}) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
  )
}
