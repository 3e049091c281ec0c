// Typed statement definitions shared by both storage backends: the SQL is written once (SQLite
// dialect, `?` and `@name` parameters) and each backend compiles it into async statements.

/** One stored statement, async on every backend. */
export interface Stmt<P extends unknown[], R> {
  get(...params: P): Promise<R | undefined>
  all(...params: P): Promise<R[]>
  run(...params: P): Promise<{ changes: number }>
}

/** A statement's SQL with its parameter and row types (phantom). */
export interface StmtDef<P extends unknown[], R> {
  readonly sql: string
  /** never set: carries the types */
  readonly __types?: (p: P) => R
}

export function def<P extends unknown[] = unknown[], R = unknown>(sql: string): StmtDef<P, R> {
  return { sql }
}

export type StmtDefs = Record<string, StmtDef<never, unknown>>

/** The compiled, async form of a set of definitions. */
export type Compiled<D> = {
  [K in keyof D]: D[K] extends StmtDef<infer P, infer R> ? Stmt<P, R> : never
}
