// SQLite-dialect statement text → PostgreSQL: `?` and `@name` become `$n`, INSERT OR IGNORE
// becomes ON CONFLICT DO NOTHING. Statements that need more than that are written per backend.

export interface PgStatement {
  text: string
  /** how to build the value list from the call's arguments */
  values: (args: unknown[]) => unknown[]
}

export function toPostgres(sql: string): PgStatement {
  let text = sql
  let ignore = false
  if (/^\s*INSERT\s+OR\s+IGNORE\s+INTO/i.test(text)) {
    text = text.replace(/INSERT\s+OR\s+IGNORE\s+INTO/i, 'INSERT INTO')
    ignore = true
  }
  const names: string[] = []
  let positional = 0
  text = text.replace(/'(?:[^']|'')*'|\?|@([A-Za-z_][A-Za-z0-9_]*)/g, (m, name: string) => {
    if (m.startsWith("'")) return m // a string literal stays as it is
    if (m === '?') return `$${++positional}`
    let i = names.indexOf(name)
    if (i < 0) i = names.push(name) - 1
    return `$${i + 1}`
  })
  if (positional > 0 && names.length > 0) throw new Error(`mixed ? and @name parameters: ${sql}`)
  if (ignore) text = `${text.trimEnd()} ON CONFLICT DO NOTHING`
  const values =
    names.length > 0
      ? (args: unknown[]) => {
          const o = (args[0] ?? {}) as Record<string, unknown>
          return names.map((n) => {
            if (!(n in o)) throw new Error(`missing parameter @${n}`)
            return o[n]
          })
        }
      : (args: unknown[]) => args
  return { text, values }
}
