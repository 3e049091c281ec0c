import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { loadMigrations, migrate, NewerDatabaseError } from './migrate'
import { disposalCandidatesSql } from './repositories/archive'
import { CASE_SORTS, CASE_VIEWS, listStatements, viewCountSql, type CaseView } from './repositories/cases'
import { searchStatement } from './repositories/search'
import { decidedSinceSql, workloadCellsSql } from './repositories/team'
import { all, shape, sql, type Sql, type WriteDb } from './sql'

const fresh = () => {
  const db = new Database(':memory:')
  db.pragma('foreign_keys = ON')
  return db
}
const upTo = (n: number) => {
  const db = fresh()
  migrate(db, loadMigrations().slice(0, n))
  return db
}
const tables = (db: Database.Database) =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table') ORDER BY name").all() as { name: string }[]).map((r) => r.name)

describe('migration runner', () => {
  it('applies all migrations and records user_version', () => {
    const db = fresh()
    const version = migrate(db)
    expect(version).toBe(loadMigrations().length)
    expect(db.pragma('user_version', { simple: true })).toBe(version)
    expect(migrate(db)).toBe(version) // idempotent
  })

  it('refuses a database from a newer version with a clear German message', () => {
    const db = fresh()
    db.pragma('user_version = 999')
    expect(() => migrate(db)).toThrow(NewerDatabaseError)
    expect(() => migrate(db)).toThrow(/neueren Aktenfluss-Version/)
  })

  it('rolls back every pending migration when one fails', () => {
    const db = fresh()
    const broken = [...loadMigrations().slice(0, 1), { version: 2, name: 'broken', sql: 'CREATE TABLE x (a INT); SELECT * FROM nope;' }]
    expect(() => migrate(db, broken)).toThrow()
    expect(db.pragma('user_version', { simple: true })).toBe(0)
    expect(tables(db)).not.toContain('cases')
  })
})

describe('0001-initial', () => {
  const db = upTo(1)
  const insertCase = (id: string, extra: Record<string, unknown> = {}) =>
    db
      .prepare(
        `INSERT INTO cases (id, aktenzeichen, procedure_id, subject, applicant_name, applicant_address, received_at, updated_at, status)
         VALUES (@id, @az, 'wohngeld', 'Wohngeld', 'Käthe Müller', 'Weg 1', '2026-01-01', '2026-01-01', @status)`,
      )
      .run({ id, az: `632.1-2026-${id}`, status: 'eingegangen', ...extra })

  it('creates cases, documents, notes, history and settings as STRICT tables', () => {
    expect(tables(db)).toEqual(expect.arrayContaining(['cases', 'documents', 'notes', 'case_history', 'settings']))
    expect(() => db.prepare("INSERT INTO settings (key, value) VALUES ('a', ?)").run(Buffer.from('x'))).toThrow(/cannot store BLOB/)
  })

  it('rejects unknown statuses and keeps Aktenzeichen unique', () => {
    insertCase('000001')
    expect(() => insertCase('000002', { status: 'erfunden' })).toThrow(/CHECK/)
    expect(() => db.prepare("UPDATE cases SET aktenzeichen = '632.1-2026-000001' WHERE id = '000001'").run()).not.toThrow()
    insertCase('000003')
    expect(() => db.prepare("UPDATE cases SET aktenzeichen = '632.1-2026-000001' WHERE id = '000003'").run()).toThrow(/UNIQUE/)
  })

  it('keeps the history append-only and documents tied to existing cases', () => {
    db.prepare("INSERT INTO case_history (case_id, at, actor, action, prev_hash, hash) VALUES ('000001', 'now', 'a', 'b', 'p', 'h')").run()
    expect(() => db.prepare("UPDATE case_history SET actor = 'x'").run()).toThrow(/append-only/)
    expect(() => db.prepare('DELETE FROM case_history').run()).toThrow(/append-only/)
    expect(() =>
      db.prepare(`INSERT INTO documents (id, case_id, kind, title, filename, mime_type, size, sha256, created_at)
                  VALUES ('d', 'fehlt', 'anlage', 't', 'f', 'application/pdf', 1, ?, 'now')`).run('a'.repeat(64)),
    ).toThrow(/FOREIGN KEY/)
  })
})

describe('query plans (all migrations)', () => {
  const db = fresh() as WriteDb
  migrate(db)
  const planRow = shape({ detail: 'text' })
  const plan = (q: Sql) => all(db, sql`EXPLAIN QUERY PLAN ${q}`, planRow).map((r) => r.detail).join(' | ')
  /** A full scan of the table itself (not of one of its indexes). */
  const tableScan = (table: string) => new RegExp(`SCAN ${table}( |$)(?!USING)`)
  const list = (view: CaseView, sort: (typeof CASE_SORTS)[number], direction: 'asc' | 'desc') =>
    listStatements({ view, user: 'u', today: '2026-01-01', sort, direction, offset: 0, limit: 50 })

  it.each(['posteingang', 'meine', 'ueberfaellig', 'vertretung'] as const)('the %s list uses an index', (view) => {
    expect(plan(list(view, 'deadline', 'asc').page), view).toMatch(/USING (COVERING )?INDEX cases_(by|list|count)_/)
  })

  it.each(CASE_SORTS.flatMap((sort) => (['asc', 'desc'] as const).map((d) => [sort, d] as const)))('the whole office sorted by %s %s walks a list index, no sort step', (sort, direction) => {
    const p = plan(list('alle', sort, direction).page)
    expect(p).toMatch(/USING (COVERING )?INDEX cases_list_/)
    // deadline descending keeps cases without a deadline last: the index gives the NULL split,
    // the last two ORDER BY terms are sorted within it (LAST 2 TERMS), not the whole result
    expect(p).not.toMatch(/TEMP B-TREE FOR ORDER BY/)
    if (!(sort === 'deadline' && direction === 'desc')) expect(p).not.toMatch(/TEMP B-TREE/)
    expect(p).not.toMatch(tableScan('cases'))
  })

  const countIndex: Record<CaseView, string> = {
    posteingang: 'cases_count_assignee_status',
    meine: 'cases_count_assignee_status',
    wiedervorlage: 'cases_count_assignee_status',
    vertretung: 'cases_count_assignee_status',
    ueberfaellig: 'cases_count_deadline_status',
    alle: 'cases_count_deadline_status',
  }
  it.each(CASE_VIEWS)('the %s count reads its count index only', (view) => {
    const p = plan(viewCountSql(view, 'u', '2026-01-01'))
    expect(p).toMatch(new RegExp(`USING (COVERING )?INDEX ${countIndex[view]}\\b`))
    expect(p).not.toMatch(tableScan('cases'))
    if (view === 'vertretung') expect(p).toMatch(/SEARCH absences USING INDEX absences_by_substitute/)
  })

  it.each([
    ['ranked', searchStatement('"mull"', [], 50, false)!],
    ['broad (newest first)', searchStatement('"mull"', [], 50, true)!],
    ['with a short word', searchStatement('"mull" AND "gorl"', ['%52%'], 50, false)!],
  ])('the %s search runs the FTS index and looks cases up by rowid', (_label, q) => {
    const p = plan(q)
    expect(p).toMatch(/SCAN f VIRTUAL TABLE INDEX \d+:M/)
    expect(p).toMatch(/SEARCH c USING INTEGER PRIMARY KEY \(rowid=\?\)/)
    expect(p).not.toMatch(tableScan('c'))
  })

  it('the team dashboard groups in the order of its covering index (no table scan, no sort)', () => {
    const p = plan(workloadCellsSql({ today: '2026-01-01', soon: '2026-01-08', d7: '2025-12-25', d30: '2025-12-02', d90: '2025-10-03' }))
    expect(p).toMatch(/SCAN cases USING (COVERING )?INDEX cases_dashboard/)
    expect(p).not.toMatch(/TEMP B-TREE/)
    for (const column of ['assignee', 'procedure_id'] as const) {
      const d = plan(decidedSinceSql(column, '2026-01-01'))
      // decisions are few (no index on decided_at); each one's case is found by its primary key
      expect(d, column).toMatch(/SEARCH c USING (COVERING )?INDEX sqlite_autoindex_cases_1 \(id=\?\)/)
      expect(d, column).not.toMatch(tableScan('c'))
    }
  })

  it('the disposal list searches the retention index of closed cases', () => {
    const p = plan(disposalCandidatesSql('2026-01-01'))
    expect(p).toMatch(/SEARCH cases USING INDEX cases_retention \(retention_end>\? AND retention_end<\?\)/)
    expect(p).not.toMatch(tableScan('cases'))
  })
})

describe('0002-intake', () => {
  const db = upTo(2)
  it('stores each submission once and numbers per file code and year', () => {
    const ins = db.prepare(
      `INSERT INTO submissions (submission_id, hub_case_id, destination_id, service_identifier, encrypted_metadata, encrypted_data, stored_at, outcome)
       VALUES ('s1', 'c1', 'd1', 'urn', 'm', 'd', 'now', 'accepted')`,
    )
    ins.run()
    expect(() => ins.run()).toThrow(/UNIQUE|PRIMARY KEY/)
    expect(tables(db)).toEqual(expect.arrayContaining(['intake_log', 'number_sequences']))
  })
})

describe('0003-search', () => {
  const db = upTo(3)
  it('creates a trigram FTS index that matches substrings', () => {
    db.prepare("INSERT INTO case_fts (rowid, text) VALUES (1, 'kathe muller jagerhof 60 goerlitz')").run()
    const hit = db.prepare("SELECT rowid FROM case_fts WHERE case_fts MATCH '\"ulle\"'").all()
    expect(hit).toHaveLength(1)
  })
})
