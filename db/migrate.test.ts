import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { loadMigrations, migrate, NewerDatabaseError } from './migrate'
import { disposalCandidatesSql } from './repositories/archive'
import {
  CASE_SORTS,
  CASE_VIEWS,
  listStatements,
  viewCountSql,
  type CaseView,
} from './repositories/cases'
import { searchStatement } from './repositories/search'
import { decidedSinceSql, oldestUnassignedSql, workloadCellsSql } from './repositories/team'
import { all, run, shape, sql, type Sql, type WriteDb } from './sql'

const fresh = () => {
  const db = new Database(':memory:') as WriteDb
  db.pragma('foreign_keys = ON')
  return db
}
const upTo = (n: number) => {
  const db = fresh()
  migrate(db, loadMigrations().slice(0, n))
  return db
}
const tables = (db: Database.Database) =>
  (
    db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table') ORDER BY name").all() as {
      name: string
    }[]
  ).map((r) => r.name)

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
    const broken = [
      ...loadMigrations().slice(0, 1),
      { version: 2, name: 'broken', sql: 'CREATE TABLE x (a INT); SELECT * FROM nope;' },
    ]
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
    expect(tables(db)).toEqual(
      expect.arrayContaining(['cases', 'documents', 'notes', 'case_history', 'settings']),
    )
    expect(() =>
      db.prepare("INSERT INTO settings (key, value) VALUES ('a', ?)").run(Buffer.from('x')),
    ).toThrow(/cannot store BLOB/)
  })

  it('rejects unknown statuses and keeps Aktenzeichen unique', () => {
    insertCase('000001')
    expect(() => insertCase('000002', { status: 'erfunden' })).toThrow(/CHECK/)
    expect(() =>
      db.prepare("UPDATE cases SET aktenzeichen = '632.1-2026-000001' WHERE id = '000001'").run(),
    ).not.toThrow()
    insertCase('000003')
    expect(() =>
      db.prepare("UPDATE cases SET aktenzeichen = '632.1-2026-000001' WHERE id = '000003'").run(),
    ).toThrow(/UNIQUE/)
  })

  it('keeps the history append-only and documents tied to existing cases', () => {
    insertCase('000009')
    db.prepare(
      "INSERT INTO case_history (case_id, at, actor, action, prev_hash, hash) VALUES ('000009', 'now', 'a', 'b', 'p', 'h')",
    ).run()
    expect(() => db.prepare("UPDATE case_history SET actor = 'x'").run()).toThrow(/append-only/)
    expect(() => db.prepare('DELETE FROM case_history').run()).toThrow(/append-only/)
    expect(() =>
      db
        .prepare(
          `INSERT INTO documents (id, case_id, kind, title, filename, mime_type, size, sha256, created_at)
                  VALUES ('d', 'fehlt', 'anlage', 't', 'f', 'application/pdf', 1, ?, 'now')`,
        )
        .run('a'.repeat(64)),
    ).toThrow(/FOREIGN KEY/)
  })
})

describe('query plans (all migrations)', () => {
  const db = fresh()
  migrate(db)
  const planRow = shape({ detail: 'text' })
  const plan = (q: Sql) =>
    all(db, sql`EXPLAIN QUERY PLAN ${q}`, planRow)
      .map((r) => r.detail)
      .join(' | ')
  /** A full scan of the table itself (not of one of its indexes). */
  const tableScan = (table: string) => new RegExp(`SCAN ${table}( |$)(?!USING)`)
  const list = (view: CaseView, sort: (typeof CASE_SORTS)[number], direction: 'asc' | 'desc') =>
    listStatements({ view, user: 'u', today: '2026-01-01', sort, direction, offset: 0, limit: 50 })

  it.each(['posteingang', 'meine', 'ueberfaellig', 'vertretung'] as const)(
    'the %s list uses an index',
    (view) => {
      expect(plan(list(view, 'deadline', 'asc').page), view).toMatch(
        /USING (COVERING )?INDEX cases_(by|list|count)_/,
      )
    },
  )

  it.each(CASE_SORTS.flatMap((sort) => (['asc', 'desc'] as const).map((d) => [sort, d] as const)))(
    'the whole office sorted by %s %s walks a list index, no sort step',
    (sort, direction) => {
      const p = plan(list('alle', sort, direction).page)
      expect(p).toMatch(/USING (COVERING )?INDEX cases_list_/)
      // deadline descending keeps cases without a deadline last: the index gives the NULL split,
      // the last two ORDER BY terms are sorted within it (LAST 2 TERMS), not the whole result
      expect(p).not.toMatch(/TEMP B-TREE FOR ORDER BY/)
      if (!(sort === 'deadline' && direction === 'desc')) expect(p).not.toMatch(/TEMP B-TREE/)
      expect(p).not.toMatch(tableScan('cases'))
    },
  )

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
    if (view === 'vertretung')
      expect(p).toMatch(/SEARCH absences USING INDEX absences_by_substitute/)
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

  it('the team dashboard sums the maintained aggregate, never the cases', () => {
    const p = plan(
      workloadCellsSql({
        today: '2026-01-01',
        soon: '2026-01-08',
        d7: '2025-12-25',
        d30: '2025-12-02',
        d90: '2025-10-03',
      }),
    )
    expect(p).toMatch(/SCAN case_workload/)
    expect(p).not.toMatch(/\bcases\b/)
    // the oldest open unassigned case: the first entry of its partial index
    expect(plan(oldestUnassignedSql)).toMatch(/SCAN cases USING INDEX cases_unassigned_received/)
    expect(plan(oldestUnassignedSql)).not.toMatch(/TEMP B-TREE/)
    for (const column of ['assignee', 'procedure_id'] as const) {
      const d = plan(decidedSinceSql(column, '2026-01-01'))
      // decisions are few (no index on decided_at); each one's case is found by its primary key
      expect(d, column).toMatch(
        /SEARCH c USING (COVERING )?INDEX sqlite_autoindex_cases_1 \(id=\?\)/,
      )
      expect(d, column).not.toMatch(tableScan('c'))
    }
  })

  it('the disposal list searches the retention index of closed cases', () => {
    const p = plan(disposalCandidatesSql('2026-01-01'))
    expect(p).toMatch(
      /SEARCH cases USING INDEX cases_retention \(retention_end>\? AND retention_end<\?\)/,
    )
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
    db.prepare(
      "INSERT INTO case_fts (rowid, text) VALUES (1, 'kathe muller jagerhof 60 goerlitz')",
    ).run()
    const hit = db.prepare('SELECT rowid FROM case_fts WHERE case_fts MATCH \'"ulle"\'').all()
    expect(hit).toHaveLength(1)
  })
})

// ---------------------------------------------------------------------------------------------
// One test per later migration: what it creates or changes, checked against the schema before it

const nameRow = shape({ name: 'text' })
const columns = (db: WriteDb, table: string) =>
  all(db, sql`SELECT name FROM pragma_table_info(${table})`, nameRow).map((r) => r.name)
const indexRow = shape({ name: 'text', unique: 'int', partial: 'int' })
const indexes = (db: WriteDb, table: string) =>
  new Map(
    all(db, sql`SELECT name, "unique", partial FROM pragma_index_list(${table})`, indexRow).map(
      (r) => [r.name, r],
    ),
  )
/** The key columns of an index in order; an expression column shows as `<expr>`. */
const indexColumns = (db: WriteDb, index: string) =>
  all(
    db,
    sql`SELECT name FROM pragma_index_xinfo(${index}) WHERE key = 1 ORDER BY seqno`,
    shape({ name: 'text?' }),
  ).map((r) => r.name ?? '<expr>')
const indexSql = (db: WriteDb, index: string) =>
  all(
    db,
    sql`SELECT sql AS name FROM sqlite_master WHERE type = 'index' AND name = ${index}`,
    nameRow,
  )[0]?.name ?? ''
const triggerNames = (db: WriteDb) =>
  all(db, sql`SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name`, nameRow).map(
    (r) => r.name,
  )

const seedCase = (db: WriteDb, id: string) =>
  run(
    db,
    sql`INSERT INTO cases (id, aktenzeichen, procedure_id, subject, applicant_name, applicant_address, received_at, updated_at)
        VALUES (${id}, ${`632.1-2026-${id}`}, 'wohngeld', 'Wohngeld', 'Käthe Müller', 'Weg 1', '2026-01-01', '2026-01-01')`,
  )

describe('0001-initial (triggers and indexes)', () => {
  it('creates the append-only triggers and the case indexes', () => {
    const db = upTo(1)
    expect(triggerNames(db)).toEqual(['case_history_no_delete', 'case_history_no_update'])
    expect([...indexes(db, 'cases').keys()]).toEqual(
      expect.arrayContaining([
        'cases_by_assignee_deadline',
        'cases_by_deadline',
        'cases_by_received',
        'cases_by_follow_up',
      ]),
    )
    expect(indexes(db, 'cases').get('cases_by_follow_up')?.partial).toBe(1)
    expect(indexColumns(db, 'documents_by_case')).toEqual(['case_id', 'created_at'])
    expect(indexColumns(db, 'notes_by_case')).toEqual(['case_id', 'created_at'])
  })
})

describe('0004-outbox', () => {
  const before = upTo(3)
  const db = upTo(4)
  it('creates the outbox, sync cursors, conflicts and number leases', () => {
    for (const t of ['outbox', 'sync_cursors', 'case_conflicts', 'number_leases']) {
      expect(tables(before), t).not.toContain(t)
      expect(tables(db), t).toContain(t)
    }
    expect(indexColumns(db, 'outbox_by_state')).toEqual(['state', 'seq'])
    expect(indexColumns(db, 'outbox_by_case')).toEqual(['case_id', 'seq'])
    expect(indexes(db, 'case_conflicts').get('case_conflicts_open')?.partial).toBe(1)
    expect(indexes(db, 'number_leases').get('number_leases_free')?.partial).toBe(1)
  })

  it('keeps mutation ids unique, states known, and conflicts tied to an outbox entry', () => {
    const add = (id: string, state = 'pending') =>
      run(
        db,
        sql`INSERT INTO outbox (mutation_id, type, case_id, base_version, at, actor, payload, state) VALUES (${id}, 'case.note', 'c', 0, 'now', 'u', '{}', ${state})`,
      )
    add('m1')
    expect(() => add('m1')).toThrow(/UNIQUE/)
    expect(() => add('m2', 'verloren')).toThrow(/CHECK/)
    expect(() =>
      run(
        db,
        sql`INSERT INTO case_conflicts (mutation_id, case_id, local, remote, at) VALUES ('fehlt', 'c', '{}', '{}', 'now')`,
      ),
    ).toThrow(/FOREIGN KEY/)
    run(
      db,
      sql`INSERT INTO case_conflicts (mutation_id, case_id, local, remote, at) VALUES ('m1', 'c', '{}', '{}', 'now')`,
    )
    expect(() =>
      run(db, sql`UPDATE case_conflicts SET resolution = 'beide' WHERE mutation_id = 'm1'`),
    ).toThrow(/CHECK/)
    run(db, sql`INSERT INTO number_leases (file_code, year, number) VALUES ('632.1', 2026, 7)`)
    expect(() =>
      run(db, sql`INSERT INTO number_leases (file_code, year, number) VALUES ('632.1', 2026, 7)`),
    ).toThrow(/UNIQUE|PRIMARY KEY/)
  })
})

describe('0005-office-sync', () => {
  const before = upTo(4)
  const db = upTo(5)
  it('adds retired_into to cases and hub_version to the outbox', () => {
    expect(columns(before, 'cases')).not.toContain('retired_into')
    expect(columns(db, 'cases')).toContain('retired_into')
    expect(columns(before, 'outbox')).not.toContain('hub_version')
    expect(columns(db, 'outbox')).toContain('hub_version')
  })

  it('creates the office values per case field and the blob transfer lists', () => {
    for (const t of ['case_office', 'blob_fetches', 'blob_uploads'])
      expect(tables(db), t).toContain(t)
    run(
      db,
      sql`INSERT INTO case_office (case_id, field, value, version) VALUES ('c', 'status', '"eingegangen"', 1)`,
    )
    expect(() =>
      run(
        db,
        sql`INSERT INTO case_office (case_id, field, value, version) VALUES ('c', 'status', '"versandt"', 2)`,
      ),
    ).toThrow(/UNIQUE|PRIMARY KEY/)
    run(db, sql`INSERT INTO blob_fetches (sha256) VALUES ('a')`)
    expect(() => run(db, sql`INSERT INTO blob_fetches (sha256) VALUES ('a')`)).toThrow(
      /UNIQUE|PRIMARY KEY/,
    )
  })
})

describe('0006-decisions', () => {
  const db = upTo(6)
  seedCase(db, '000001')
  const decide = (caseId: string, extra: Sql = sql.empty) =>
    run(
      db,
      sql`INSERT INTO decisions (case_id, outcome, decided_by, decided_at) VALUES (${caseId}, 'abgelehnt', 'u', 'now')${extra}`,
    )
  it('creates decisions tied to a case, one per case, with known outcomes and channels', () => {
    expect(tables(upTo(5))).not.toContain('decisions')
    expect(columns(db, 'decisions')).toEqual(
      expect.arrayContaining([
        'outcome',
        'fields',
        'hearing',
        'cosign_required',
        'cosigned_by',
        'notice_document',
        'dispatch_date',
        'channel',
        'delivered_on',
        'objection_end',
        'late_confirmed',
      ]),
    )
    expect(() => decide('fehlt')).toThrow(/FOREIGN KEY/)
    decide('000001')
    expect(() => decide('000001')).toThrow(/UNIQUE|PRIMARY KEY/)
    expect(() => run(db, sql`UPDATE decisions SET outcome = 'vielleicht'`)).toThrow(/CHECK/)
    expect(() => run(db, sql`UPDATE decisions SET cosign_required = 2`)).toThrow(/CHECK/)
    expect(() => run(db, sql`UPDATE decisions SET channel = 'fax'`)).toThrow(/CHECK/)
    expect(() => run(db, sql`UPDATE decisions SET notice_document = 'kein-dokument'`)).toThrow(
      /FOREIGN KEY/,
    )
    expect(
      all(
        db,
        sql`SELECT fields, reasons, cosign_required, late_confirmed FROM decisions`,
        shape({ fields: 'json', reasons: 'text', cosign_required: 'int', late_confirmed: 'int' }),
      ),
    ).toEqual([{ fields: {}, reasons: '', cosign_required: 0, late_confirmed: 0 }])
  })
})

describe('0007-team', () => {
  const db = upTo(7)
  it('creates absences that cannot end before they begin, indexed by substitute', () => {
    expect(tables(upTo(6))).not.toContain('absences')
    const add = (id: string, from: string, until: string) =>
      run(
        db,
        sql`INSERT INTO absences (id, user_id, substitute_id, from_date, until_date, created_by, created_at) VALUES (${id}, 'u1', 'u2', ${from}, ${until}, 'lead', 'now')`,
      )
    add('a1', '2026-01-05', '2026-01-09')
    expect(() => add('a2', '2026-01-09', '2026-01-05')).toThrow(/CHECK/)
    expect(indexColumns(db, 'absences_by_substitute')).toEqual([
      'substitute_id',
      'from_date',
      'until_date',
    ])
  })

  it('adds the workload index by status and assignee (replaced in 0009)', () => {
    expect(indexColumns(db, 'cases_by_status_assignee')).toEqual(['status', 'assignee'])
  })
})

describe('0008-archive', () => {
  const before = upTo(7)
  const db = upTo(8)
  it('adds the zdA and archive dates to cases and a partial retention index of closed cases', () => {
    for (const c of ['closed_at', 'retention_end', 'archived_at']) {
      expect(columns(before, 'cases'), c).not.toContain(c)
      expect(columns(db, 'cases'), c).toContain(c)
    }
    expect(indexColumns(db, 'cases_retention')).toEqual(['retention_end'])
    expect(indexes(db, 'cases').get('cases_retention')?.partial).toBe(1)
    expect(indexSql(db, 'cases_retention')).toMatch(/WHERE status = 'abgeschlossen'/)
  })

  it('creates archive transfers, one per process id', () => {
    const add = () =>
      run(
        db,
        sql`INSERT INTO archive_transfers (prozess_id, created_at, created_by, case_ids, file_0501, file_0503) VALUES ('p1', 'now', 'r', '[]', 'a.zip', 'b.zip')`,
      )
    add()
    expect(() => add()).toThrow(/UNIQUE|PRIMARY KEY/)
    expect(columns(db, 'archive_transfers')).toContain('confirmed_at')
  })
})

describe('0009-list-indexes', () => {
  const before = upTo(8)
  const db = upTo(9)
  it('replaces the plain case indexes by partial ones on retired_into IS NULL', () => {
    const dropped = [
      'cases_by_assignee_deadline',
      'cases_by_deadline',
      'cases_by_received',
      'cases_by_status_assignee',
    ]
    for (const i of dropped) {
      expect(indexes(before, 'cases').has(i), i).toBe(true)
      expect(indexes(db, 'cases').has(i), i).toBe(false)
    }
    const created: Record<string, string[]> = {
      cases_list_deadline: ['<expr>', 'deadline', 'id'],
      cases_list_assignee_deadline: ['assignee', '<expr>', 'deadline', 'id'],
      cases_list_received: ['received_at', 'id'],
      cases_list_applicant: ['applicant_name', 'id'],
      cases_list_aktenzeichen: ['aktenzeichen', 'id'],
      cases_list_procedure_deadline: ['procedure_id', '<expr>', 'deadline', 'id'],
      cases_count_assignee_status: ['assignee', 'status', 'follow_up'],
      cases_count_deadline_status: ['deadline', 'status', 'procedure_id'],
    }
    for (const [name, cols] of Object.entries(created)) {
      expect(indexes(before, 'cases').has(name), name).toBe(false)
      expect(indexes(db, 'cases').get(name)?.partial, name).toBe(1)
      expect(indexSql(db, name), name).toMatch(/WHERE retired_into IS NULL$/)
      expect(indexColumns(db, name), name).toEqual(cols)
    }
    expect(indexSql(db, 'cases_list_applicant')).toMatch(/applicant_name COLLATE NOCASE/)
    // the follow-up index of 0001 stays
    expect(indexes(db, 'cases').has('cases_by_follow_up')).toBe(true)
  })
})

describe('0010-follow-up', () => {
  const before = upTo(9)
  const db = upTo(10)
  it('adds the sender reference to submissions with a partial index', () => {
    expect(columns(before, 'submissions')).not.toContain('sender_reference')
    expect(columns(db, 'submissions')).toContain('sender_reference')
    expect(indexColumns(db, 'submissions_by_sender_reference')).toEqual(['sender_reference'])
    expect(indexes(db, 'submissions').get('submissions_by_sender_reference')?.partial).toBe(1)
  })
})

describe('0011-dashboard', () => {
  const before = upTo(10)
  const db = upTo(11)
  it('adds the dashboard covering index and two filtered list indexes, all partial', () => {
    const created: Record<string, string[]> = {
      cases_dashboard: ['assignee', 'procedure_id', 'status', 'deadline', 'received_at'],
      cases_list_procedure_applicant: ['procedure_id', 'applicant_name', 'id'],
      cases_list_status_received: ['status', 'received_at', 'id'],
    }
    for (const [name, cols] of Object.entries(created)) {
      expect(indexes(before, 'cases').has(name), name).toBe(false)
      expect(indexes(db, 'cases').get(name)?.partial, name).toBe(1)
      expect(indexColumns(db, name), name).toEqual(cols)
    }
  })

  it('is the last migration: every file in db/migrations has a test here', () => {
    expect(
      loadMigrations()
        .map((m) => `${String(m.version).padStart(4, '0')}-${m.name}`)
        .at(-1),
    ).toMatch(/^\d{4}-reply-email$/)
  })
})

describe('reply-email (Rückkanal by e-mail)', () => {
  const n = loadMigrations().findIndex((m) => m.name === 'reply-email') + 1
  const before = upTo(n - 1)
  const db = upTo(n)
  const columns = (d: typeof db) =>
    (d.prepare('PRAGMA table_info(reply_deliveries)').all() as { name: string }[]).map(
      (c) => c.name,
    )
  it('adds the nullable notify_email to the reply outbox', () => {
    expect(columns(before)).not.toContain('notify_email')
    expect(columns(db)).toContain('notify_email')
    db.prepare(
      "INSERT INTO cases (id, aktenzeichen, procedure_id, subject, applicant_name, applicant_address, status, received_at, deadline, channel, form_data, updated_at) VALUES ('c1','A-1','wohngeld','s','n','a','eingegangen','2026-01-01','2026-02-01','online','{}','2026-01-01')",
    ).run()
    db.prepare(
      "INSERT INTO reply_deliveries (delivery_id, case_id, kind, hub_case_id, jwe_sha256, state, created_at) VALUES ('d1', 'c1', 'bescheid', 'h', 's', 'pending', 't')",
    ).run()
    expect(
      db.prepare("SELECT notify_email FROM reply_deliveries WHERE delivery_id = 'd1'").get(),
    ).toEqual({ notify_email: null })
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
    db.prepare(
      "UPDATE decisions SET cosign_comment = 'ok', returned_by = 'u-lead', returned_at = 'now', return_note = 'Zeitraum prüfen', posted_by = 'u-a', posted_at = 'now' WHERE case_id = '000001'",
    ).run()
    expect(
      db
        .prepare(
          "SELECT cosign_comment, return_note, posted_at FROM decisions WHERE case_id = '000001'",
        )
        .get(),
    ).toEqual({ cosign_comment: 'ok', return_note: 'Zeitraum prüfen', posted_at: 'now' })
  })
  it('lists the Postausgang (post, not yet handed over) from its partial index', () => {
    insert('000002')
    insert('000003', 'now')
    const sql =
      "SELECT case_id FROM decisions WHERE channel = 'post' AND notice_document IS NOT NULL AND posted_at IS NULL ORDER BY dispatch_date, case_id"
    expect(db.prepare(sql).all()).toEqual([{ case_id: '000002' }])
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[])
      .map((r) => r.detail)
      .join(' | ')
    expect(plan).toContain('decisions_postausgang')
  })
})

describe('0013-outbox-discarded', () => {
  const db = upTo(13)
  it('keeps a discarded outbox entry apart from the outbox', () => {
    expect(tables(db)).toContain('outbox_discarded')
    db.prepare(
      `INSERT INTO outbox_discarded (mutation_id, type, case_id, at, actor, payload, result, discarded_by, discarded_at)
       VALUES ('m1', 'case.note', 'c1', 'now', 'u-a', '{}', '{"status":"rejected"}', 'u-a', 'now')`,
    ).run()
    expect(
      db.prepare("SELECT type, discarded_by FROM outbox_discarded WHERE mutation_id = 'm1'").get(),
    ).toEqual({ type: 'case.note', discarded_by: 'u-a' })
    // who discarded it is required
    expect(() =>
      db
        .prepare(
          "INSERT INTO outbox_discarded (mutation_id, type, case_id, at, actor, payload, discarded_at) VALUES ('m2', 't', 'c', 'now', 'u', '{}', 'now')",
        )
        .run(),
    ).toThrow()
  })
})

describe('0014-records-disposal', () => {
  const db = upTo(14)
  const insert = (id: string) =>
    db
      .prepare(
        `INSERT INTO cases (id, aktenzeichen, procedure_id, subject, applicant_name, applicant_address, received_at, updated_at, status)
       VALUES (?, ?, 'wohngeld', 'Wohngeld', 'Käthe Müller', 'Weg 1', '2026-01-01', '2026-01-01', 'versandt')`,
      )
      .run(id, `632.1-2026-${id}`)
  it('keeps retention years, archival value and the Registraturvermerk of a zdA', () => {
    insert('000001')
    db.prepare(
      "UPDATE cases SET retention_years = 6, archival_value = 'archivwürdig', records_note = 'Musterfall' WHERE id = '000001'",
    ).run()
    expect(
      db
        .prepare(
          "SELECT retention_years, archival_value, records_note FROM cases WHERE id = '000001'",
        )
        .get(),
    ).toEqual({ retention_years: 6, archival_value: 'archivwürdig', records_note: 'Musterfall' })
  })
  it('refuses an archival value outside the file plan and a retention of zero years', () => {
    insert('000002')
    expect(() =>
      db.prepare("UPDATE cases SET archival_value = 'behalten' WHERE id = '000002'").run(),
    ).toThrow(/CHECK/)
    expect(() =>
      db.prepare("UPDATE cases SET retention_years = 0 WHERE id = '000002'").run(),
    ).toThrow(/CHECK/)
  })
})

describe('0015-blob-keys', () => {
  const db = upTo(15)
  it('holds one wrapped key per content hash and refuses a malformed hash', () => {
    const sha = 'a'.repeat(64)
    db.prepare('INSERT INTO blob_keys (sha256, wrapped) VALUES (?, ?)').run(sha, Buffer.alloc(48))
    expect(() =>
      db
        .prepare('INSERT INTO blob_keys (sha256, wrapped) VALUES (?, ?)')
        .run(sha, Buffer.alloc(48)),
    ).toThrow(/UNIQUE|PRIMARY/)
    expect(() =>
      db
        .prepare('INSERT INTO blob_keys (sha256, wrapped) VALUES (?, ?)')
        .run('abc', Buffer.alloc(1)),
    ).toThrow(/CHECK/)
  })
})

describe('replies (Rückkanal)', () => {
  const n = loadMigrations().findIndex((m) => m.name === 'replies') + 1
  const db = upTo(n)
  it('keeps one row per delivery id and refuses an unknown kind or state', () => {
    db.prepare(
      "INSERT INTO cases (id, aktenzeichen, procedure_id, subject, applicant_name, applicant_address, status, received_at, deadline, channel, form_data, updated_at) VALUES ('c1','A-1','wohngeld','s','n','a','eingegangen','2026-01-01','2026-02-01','online','{}','2026-01-01')",
    ).run()
    const ins = db.prepare(
      "INSERT INTO reply_deliveries (delivery_id, case_id, kind, hub_case_id, jwe_sha256, state, created_at) VALUES (?, 'c1', ?, 'h', 's', ?, 't')",
    )
    ins.run('d1', 'bescheid', 'pending')
    expect(() => ins.run('d1', 'bescheid', 'pending')).toThrow(/UNIQUE|PRIMARY/)
    expect(() => ins.run('d2', 'brief', 'pending')).toThrow(/CHECK/)
    expect(() => ins.run('d3', 'bescheid', 'lost')).toThrow(/CHECK/)
  })
})

describe('list-aggregates', () => {
  const n = loadMigrations().findIndex((m) => m.name === 'list-aggregates') + 1
  const before = upTo(n - 1)
  const db = upTo(n)
  it('adds the helper tables, their delta views and the triggers on cases', () => {
    expect(tables(before)).not.toContain('case_rank')
    expect(tables(db)).toEqual(expect.arrayContaining(['case_rank', 'case_workload']))
    const triggers = (
      db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'cases'")
        .all() as {
        name: string
      }[]
    ).map((r) => r.name)
    expect(triggers).toEqual(
      expect.arrayContaining([
        'cases_aggregates_insert',
        'cases_aggregates_delete',
        'cases_aggregates_update_old',
        'cases_aggregates_update_new',
      ]),
    )
    // kept exact under every mutation: db/repositories/caseRank.test.ts compares with a recount
  })
})
