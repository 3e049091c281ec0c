import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { loadMigrations, migrate, NewerDatabaseError } from './migrate'
import { buildListSql } from './repositories/cases'

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

describe('query plans of the hot list queries (all migrations)', () => {
  const db = fresh()
  migrate(db)
  it.each(['posteingang', 'meine', 'ueberfaellig', 'vertretung'] as const)('%s uses an index', (view) => {
    const { where, order } = buildListSql({ view, sort: 'deadline', direction: 'asc' })
    const plan = (
      db.prepare(`EXPLAIN QUERY PLAN SELECT id FROM cases WHERE ${where} ORDER BY ${order} LIMIT 50`).all({ user: 'u', today: '2026-01-01' }) as { detail: string }[]
    )
      .map((r) => r.detail)
      .join(' | ')
    expect(plan, view).toMatch(/USING (COVERING )?INDEX cases_(by|list|count)_/)
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

describe('0012-decision-review', () => {
  const db = upTo(12)
  const insert = (id: string, extra = '') => {
    db.prepare(
      `INSERT INTO cases (id, aktenzeichen, procedure_id, subject, applicant_name, applicant_address, received_at, updated_at, status)
       VALUES (?, ?, 'wohngeld', 'Wohngeld', 'Käthe Müller', 'Weg 1', '2026-01-01', '2026-01-01', 'versandt')`,
    ).run(id, `632.1-2026-${id}`)
    db.prepare(
      `INSERT INTO documents (id, case_id, kind, title, filename, mime_type, size, sha256, created_at) VALUES (?, ?, 'bescheid', 'B', 'b.pdf', 'application/pdf', 1, ?, 'now')`,
    ).run(`doc-${id}`, id, 'a'.repeat(64))
    db.prepare(
      `INSERT INTO decisions (case_id, outcome, decided_by, decided_at, notice_document, channel, dispatch_date${extra ? ', posted_at' : ''})
       VALUES (?, 'stattgegeben', 'u-a', 'now', ?, 'post', '2026-11-26'${extra ? ', ?' : ''})`,
    ).run(id, `doc-${id}`, ...(extra ? [extra] : []))
  }
  it('keeps the co-sign comment, the returned note and when a posted notice went out', () => {
    insert('000001')
    db.prepare("UPDATE decisions SET cosign_comment = 'ok', returned_by = 'u-lead', returned_at = 'now', return_note = 'Zeitraum prüfen', posted_by = 'u-a', posted_at = 'now' WHERE case_id = '000001'").run()
    expect(db.prepare("SELECT cosign_comment, return_note, posted_at FROM decisions WHERE case_id = '000001'").get()).toEqual({ cosign_comment: 'ok', return_note: 'Zeitraum prüfen', posted_at: 'now' })
  })
  it('lists the Postausgang (post, not yet handed over) from its partial index', () => {
    insert('000002')
    insert('000003', 'now')
    const sql = "SELECT case_id FROM decisions WHERE channel = 'post' AND notice_document IS NOT NULL AND posted_at IS NULL ORDER BY dispatch_date, case_id"
    expect(db.prepare(sql).all()).toEqual([{ case_id: '000002' }])
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join(' | ')
    expect(plan).toContain('decisions_postausgang')
  })
})
