/**
 * The one way to talk SQL (docs/architecture.md, "SQL in repositories"): a tagged template that
 * keeps every value bound, composes fragments safely, caches prepared statements, and maps rows
 * to typed objects without casts. Only modules under db/ (and the hub's store modules) use it.
 *
 *   const q = sql`SELECT id, status FROM cases WHERE id IN ${sql.list(ids)} AND ${filter}`
 *   all(db, q, caseRow)
 *
 * Read and write access are separate types (the pattern of Signal Desktop's ReadableDB /
 * WritableDB): code that holds only a `ReadDb` cannot run a statement that writes.
 */
import type { Database, RunResult, Statement } from 'better-sqlite3'

export type SqlValue = string | number | bigint | Buffer | Uint8Array | null

declare const readBrand: unique symbol
declare const writeBrand: unique symbol
/** A database handle that can only be read through the functions below. */
export interface ReadDb {
  readonly [readBrand]: true
  close(): void
}
/** The same connection with write access (transactions, `run`). */
export type WriteDb = Database & ReadDb & { readonly [writeBrand]: true }

const FRAGMENT = Symbol('sql')
export interface Sql {
  readonly [FRAGMENT]: true
  readonly text: string
  readonly values: readonly SqlValue[]
}

const isSql = (v: unknown): v is Sql => typeof v === 'object' && v !== null && FRAGMENT in v

function fragment(text: string, values: readonly SqlValue[]): Sql {
  return { [FRAGMENT]: true, text, values }
}

/** Tagged template: interpolated values become `?` parameters, interpolated fragments are inlined. */
export function sql(strings: TemplateStringsArray, ...parts: (SqlValue | Sql)[]): Sql {
  let text = strings[0] ?? ''
  const values: SqlValue[] = []
  parts.forEach((p, i) => {
    if (isSql(p)) {
      text += p.text
      values.push(...p.values)
    } else {
      text += '?'
      values.push(p)
    }
    text += strings[i + 1] ?? ''
  })
  return fragment(text, values)
}

/** `(?, ?, ?)` for an IN list; an empty list becomes `(NULL)`, which matches nothing. */
sql.list = (values: readonly SqlValue[]): Sql =>
  values.length === 0
    ? fragment('(NULL)', [])
    : fragment(`(${values.map(() => '?').join(', ')})`, values)

/** Fragments joined by a separator (`AND`, `, ` …); an empty input gives the fallback. */
sql.join = (
  parts: readonly Sql[],
  separator: ' AND ' | ' OR ' | ', ',
  fallback: Sql = sql.empty,
): Sql =>
  parts.length === 0
    ? fallback
    : fragment(
        parts.map((p) => p.text).join(separator),
        parts.flatMap((p) => p.values),
      )

/**
 * A piece of SQL written in the source (a column name or a sort direction picked from a fixed
 * map). Only string *literal* types compile, so text that came in from outside cannot get here.
 */
sql.keyword = <T extends string>(text: string extends T ? never : T): Sql => fragment(text, [])

sql.empty = fragment('', [])
sql.true = fragment('1', [])

// ---------------------------------------------------------------------------------------------
// Statement cache and execution

const cache = new WeakMap<object, Map<string, Statement>>()
const CACHE_LIMIT = 1000

function statement(db: ReadDb, q: Sql): Statement {
  const conn = db as unknown as Database
  let m = cache.get(conn)
  if (!m) cache.set(conn, (m = new Map<string, Statement>()))
  let s = m.get(q.text)
  if (!s) {
    if (m.size >= CACHE_LIMIT) m.clear()
    s = conn.prepare(q.text)
    m.set(q.text, s)
  }
  return s
}

/** A row as better-sqlite3 returns it, before mapping. */
export type Row = Readonly<Record<string, unknown>>
export type RowMapper<T> = (row: Row) => T

export function all<T>(db: ReadDb, q: Sql, map: RowMapper<T>): T[] {
  return (statement(db, q).all(...q.values) as Row[]).map(map)
}

export function get<T>(db: ReadDb, q: Sql, map: RowMapper<T>): T | undefined {
  const r = statement(db, q).get(...q.values) as Row | undefined
  return r === undefined ? undefined : map(r)
}

export function* iterate<T>(db: ReadDb, q: Sql, map: RowMapper<T>): Generator<T> {
  for (const r of statement(db, q).iterate(...q.values) as IterableIterator<Row>) yield map(r)
}

/** The first column of the first row (COUNT(*), MAX(seq) …), or undefined. */
export function scalar(db: ReadDb, q: Sql): SqlValue | undefined {
  const s = statement(db, q)
  s.pluck(true)
  try {
    return s.get(...q.values) as SqlValue | undefined
  } finally {
    // the statement is cached: a throwing call must not leave it plucking for the next get/all
    s.pluck(false)
  }
}

export function run(db: WriteDb, q: Sql): RunResult {
  return statement(db, q).run(...q.values)
}

/**
 * A transaction that is on disk when it returns (`synchronous = FULL` for this commit only): for
 * the commit that precedes telling the hub (the accept SET of a submission). Other commits use
 * the connection's `NORMAL`, which in WAL mode may lose the last commits on power loss but never
 * corrupts the file (docs/operations-desk.md, "Durability").
 */
export function durableTransaction<T>(db: WriteDb, fn: () => T): T {
  db.pragma('synchronous = FULL')
  try {
    return db.transaction(fn)()
  } finally {
    db.pragma('synchronous = NORMAL')
  }
}

/** Runs `fn` in one transaction (IMMEDIATE when nested calls are not already in one). */
export function transaction<T>(db: WriteDb, fn: () => T): T {
  return db.transaction(fn)()
}

// ---------------------------------------------------------------------------------------------
// Typed row mapping

type ColType = 'text' | 'int' | 'real' | 'blob' | 'json'
type Col = ColType | `${ColType}?`
type Base<C extends Col> = C extends `${infer B}?` ? B : C
type TypeOf<B> = B extends 'text'
  ? string
  : B extends 'int' | 'real'
    ? number
    : B extends 'blob'
      ? Buffer
      : B extends 'json'
        ? unknown
        : never
type ValueOf<C extends Col> = C extends `${string}?` ? TypeOf<Base<C>> | null : TypeOf<Base<C>>
export type RowOf<S extends Record<string, Col>> = { -readonly [K in keyof S]: ValueOf<S[K]> }

export class RowShapeError extends Error {
  constructor(column: string, expected: string, got: unknown) {
    super(
      `Unerwarteter Datenbankwert in Spalte „${column}“: ${expected} erwartet, ${got === null ? 'NULL' : typeof got} erhalten.`,
    )
    this.name = 'RowShapeError'
  }
}

/**
 * A row mapper from a column shape: `shape({ id: 'text', closed_at: 'text?', version: 'int' })`.
 * Checks each column's storage type (cheap `typeof` tests), parses `json` columns, and gives
 * the row its TypeScript type, so repositories never cast rows.
 */
export function shape<S extends Record<string, Col>>(columns: S): RowMapper<RowOf<S>> {
  const entries = Object.entries(columns).map(([name, c]) => {
    const optional = c.endsWith('?')
    return { name, base: (optional ? c.slice(0, -1) : c) as ColType, optional }
  })
  return (row) => {
    const out: Record<string, unknown> = {}
    for (const { name, base, optional } of entries) {
      const v = row[name]
      if (v === null || v === undefined) {
        if (!optional) throw new RowShapeError(name, 'ein Wert', v)
        out[name] = null
        continue
      }
      switch (base) {
        case 'text':
          if (typeof v !== 'string') throw new RowShapeError(name, 'Text', v)
          out[name] = v
          break
        case 'int':
        case 'real':
          if (typeof v === 'bigint') out[name] = Number(v)
          else if (typeof v !== 'number') throw new RowShapeError(name, 'Zahl', v)
          else out[name] = v
          break
        case 'blob':
          if (!Buffer.isBuffer(v)) throw new RowShapeError(name, 'Binärdaten', v)
          out[name] = v
          break
        case 'json':
          if (typeof v !== 'string') throw new RowShapeError(name, 'JSON-Text', v)
          out[name] = JSON.parse(v) as unknown
          break
      }
    }
    return out as RowOf<S>
  }
}

/** Narrows a text column to one of a fixed set of values (status, channel …). */
export function oneOf<const T extends readonly string[]>(
  allowed: T,
  value: string,
  column: string,
): T[number] {
  if (!(allowed as readonly string[]).includes(value))
    throw new RowShapeError(column, allowed.join('|'), value)
  return value
}
