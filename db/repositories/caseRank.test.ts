import Database from 'better-sqlite3'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { loadMigrations, migrate } from '../migrate'
import { all, run, shape, sql, type Sql, type WriteDb } from '../sql'
import { CASE_SORTS, CASE_STATUSES, type CaseStatus, type CaseView } from '../domain'
import { countViews, listCases, type ListQuery } from './cases'
import {
  bucketSql,
  countViewsRanked,
  workloadConditions,
  listCasePage,
  rankConditions,
  seekStatements,
} from './caseRank'

const fresh = () => {
  const db = new Database(':memory:') as WriteDb
  migrate(db)
  return db
}

const PROCS = ['wohngeld', 'kfz', 'gewerbe']
const USERS = ['u-a', 'u-b', 'u-c']
const NAMES = ['anna Müller', 'Anna Meier', 'ÖZIL Ahmet', 'Björn Schulz', 'Zoë Weiß', 'b', '']
const DAYS = ['2026-10-01', '2026-10-02', '2026-11-15', '2026-11-30', '2026-12-01', '2026-12-24']
const TODAY = '2026-12-01'

type Rnd = () => number
const pick = <T>(r: Rnd, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T

function insert(db: WriteDb, r: Rnd, i: number): void {
  const received = `${pick(r, DAYS)}T${String(Math.floor(r() * 24)).padStart(2, '0')}:00:00.000Z`
  run(
    db,
    sql`INSERT INTO cases (id, aktenzeichen, procedure_id, subject, applicant_name, applicant_address,
          status, assignee, received_at, deadline, follow_up, updated_at)
        VALUES (${`c${String(i).padStart(5, '0')}`}, ${`632.1-2026-${String(Math.floor(r() * 5000)).padStart(6, '0')}-${i}`},
          ${pick(r, PROCS)}, 'S', ${pick(r, NAMES)}, 'A', ${pick(r, CASE_STATUSES)}, ${r() < 0.3 ? null : pick(r, USERS)},
          ${received}, ${r() < 0.15 ? null : pick(r, DAYS)}, ${r() < 0.3 ? pick(r, DAYS) : null}, 'x')`,
  )
}

const idRow = shape({ id: 'text' })
/** One random change through any column the aggregates count (or one they do not). */
function mutate(db: WriteDb, r: Rnd): void {
  const ids = all(db, sql`SELECT id FROM cases ORDER BY id`, idRow).map((x) => x.id)
  if (ids.length === 0) return
  const id = pick(r, ids)
  const op = Math.floor(r() * 9)
  const set = (s: Sql) => run(db, sql`UPDATE cases SET ${s} WHERE id = ${id}`)
  if (op === 0) set(sql`status = ${pick(r, CASE_STATUSES)}`)
  else if (op === 1) set(sql`assignee = ${r() < 0.4 ? null : pick(r, USERS)}`)
  else if (op === 2) set(sql`deadline = ${r() < 0.3 ? null : pick(r, DAYS)}`)
  else if (op === 3) set(sql`procedure_id = ${pick(r, PROCS)}`)
  else if (op === 4) set(sql`applicant_name = ${pick(r, NAMES)}`)
  else if (op === 5) set(sql`retired_into = ${r() < 0.5 ? 'other' : null}`)
  else if (op === 6) run(db, sql`DELETE FROM cases WHERE id = ${id}`)
  else if (op === 7) set(sql`updated_at = 'y', sync_state = 'pending'`)
  else
    set(
      sql`status = ${pick(r, CASE_STATUSES)}, assignee = ${pick(r, USERS)}, received_at = ${`${pick(r, DAYS)}T08:00:00Z`}`,
    )
}

const aggRow = shape({ k: 'text', n: 'int' })
const rankNow = (db: WriteDb) =>
  all(
    db,
    sql`SELECT sort || '|' || bucket || '|' || procedure_id || '|' || status || '|' || unassigned AS k, n FROM case_rank ORDER BY k`,
    aggRow,
  )
const rankRecount = (db: WriteDb) =>
  all(
    db,
    sql`SELECT k, count(*) AS n FROM (
      SELECT 'deadline|' || coalesce(deadline, '') || '|' || procedure_id || '|' || status || '|' || (assignee IS NULL) AS k FROM cases WHERE retired_into IS NULL
      UNION ALL SELECT 'received|' || substr(received_at, 1, 10) || '|' || procedure_id || '|' || status || '|' || (assignee IS NULL) FROM cases WHERE retired_into IS NULL
      UNION ALL SELECT 'aktenzeichen|' || substr(aktenzeichen, 1, 14) || '|' || procedure_id || '|' || status || '|' || (assignee IS NULL) FROM cases WHERE retired_into IS NULL
      UNION ALL SELECT 'applicant|' || lower(substr(applicant_name, 1, 12)) || '|' || procedure_id || '|' || status || '|' || (assignee IS NULL) FROM cases WHERE retired_into IS NULL
    ) GROUP BY k ORDER BY k`,
    aggRow,
  )
const workloadNow = (db: WriteDb) =>
  all(
    db,
    sql`SELECT kind || '|' || day || '|' || assignee || '|' || procedure_id || '|' || status AS k, n FROM case_workload ORDER BY k`,
    aggRow,
  )
const workloadRecount = (db: WriteDb) =>
  all(
    db,
    sql`SELECT k, count(*) AS n FROM (
      SELECT 'deadline|' || coalesce(deadline, '') || '|' || coalesce(assignee, '') || '|' || procedure_id || '|' || status AS k FROM cases WHERE retired_into IS NULL
      UNION ALL SELECT 'received|' || substr(received_at, 1, 10) || '|' || coalesce(assignee, '') || '|' || procedure_id || '|' || status FROM cases WHERE retired_into IS NULL
    ) GROUP BY k ORDER BY k`,
    aggRow,
  )

describe('list-aggregates: the maintained counts', () => {
  it('equal a recount after any sequence of inserts, updates, retirements and deletes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 30 }),
        fc.integer({ min: 0, max: 80 }),
        (seed, ops) => {
          const r = mulberry(seed)
          const db = fresh()
          for (let i = 0; i < 40; i++) insert(db, r, i)
          for (let i = 0; i < ops; i++) {
            if (r() < 0.15) insert(db, r, 100 + i)
            else mutate(db, r)
          }
          expect(rankNow(db)).toEqual(rankRecount(db))
          expect(workloadNow(db)).toEqual(workloadRecount(db))
          // no group is kept at zero (the helper stays as small as the data)
          expect(rankNow(db).every((x) => x.n > 0)).toBe(true)
          db.close()
        },
      ),
      { numRuns: 60 },
    )
  })

  it('counts the cases a desk already had when it upgrades', () => {
    const db = new Database(':memory:') as WriteDb
    const ms = loadMigrations()
    const at = ms.findIndex((m) => m.name.includes('list-aggregates'))
    migrate(db, ms.slice(0, at))
    const r = mulberry(7)
    for (let i = 0; i < 60; i++) insert(db, r, i)
    run(db, sql`UPDATE cases SET retired_into = 'x' WHERE id IN ('c00001', 'c00002')`)
    migrate(db, ms)
    expect(rankNow(db)).toEqual(rankRecount(db))
    expect(workloadNow(db)).toEqual(workloadRecount(db))
    expect(rankNow(db).length).toBeGreaterThan(0)
  })
})

function mulberry(seed: number): Rnd {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

describe('seek by rank: the same pages as OFFSET', () => {
  const db = fresh()
  const r = mulberry(42)
  for (let i = 0; i < 700; i++) insert(db, r, i)
  for (let i = 0; i < 200; i++) mutate(db, r)
  const views: CaseView[] = ['alle', 'posteingang', 'ueberfaellig', 'meine']

  it('returns every page of every list exactly as the OFFSET query does', () => {
    fc.assert(
      fc.property(
        fc.record({
          view: fc.constantFrom(...views),
          sort: fc.constantFrom(...CASE_SORTS),
          direction: fc.constantFrom('asc' as const, 'desc' as const),
          procedureId: fc.option(fc.constantFrom(...PROCS), { nil: undefined }),
          status: fc.option(fc.constantFrom<CaseStatus>(...CASE_STATUSES), { nil: undefined }),
          openOnly: fc.option(fc.constant(true), { nil: undefined }),
          deadlineTo: fc.option(fc.constantFrom(...DAYS), { nil: undefined }),
          deadlineFrom: fc.option(fc.constantFrom(...DAYS), { nil: undefined }),
          assignee: fc.option(fc.constantFrom(...USERS), { nil: undefined }),
          offset: fc.integer({ min: 0, max: 720 }),
          limit: fc.integer({ min: 1, max: 120 }),
        }),
        (f) => {
          const q: ListQuery = { ...f, user: 'u-a', today: TODAY }
          expect(listCasePage(db, q)).toEqual(listCases(db, q))
        },
      ),
      { numRuns: 400 },
    )
  })

  it('crosses from the last deadline into the cases without one inside a page', () => {
    const q: ListQuery = {
      view: 'alle',
      sort: 'deadline',
      direction: 'desc',
      user: 'u-a',
      today: TODAY,
      offset: 0,
      limit: 50,
    }
    const total = listCases(db, q).total
    const nulls = listCases(db, { ...q, offset: 0, limit: 1000 }).rows.filter((x) => !x.deadline)
    expect(nulls.length).toBeGreaterThan(10)
    const at = total - nulls.length - 20
    const page = listCasePage(db, { ...q, offset: at })
    expect(page.rows.filter((x) => !x.deadline)).toHaveLength(30)
    expect(page).toEqual(listCases(db, { ...q, offset: at }))
  })

  it('gives the office-wide view counts from the helper, the same as counting', () => {
    expect(countViewsRanked(db, 'u-a', TODAY)).toEqual(countViews(db, 'u-a', TODAY))
  })
})

describe('seek by rank: query plans', () => {
  const db = fresh()
  const planRow = shape({ detail: 'text' })
  const plan = (q: Sql) =>
    all(db, sql`EXPLAIN QUERY PLAN ${q}`, planRow)
      .map((x) => x.detail)
      .join(' | ')
  const query = (p: Partial<ListQuery>): ListQuery => ({
    view: 'alle',
    sort: 'deadline',
    direction: 'asc',
    user: 'u',
    today: TODAY,
    offset: 500,
    limit: 50,
    ...p,
  })
  const seekPlan = (q: ListQuery, bucket: string) => {
    const { pages } = seekStatements(q, [{ bucket, n: 1000 }])
    expect(pages.length).toBeGreaterThan(0)
    return plan(pages[0] as Sql)
  }

  it.each(CASE_SORTS.flatMap((s) => (['asc', 'desc'] as const).map((d) => [s, d] as const)))(
    'the whole office sorted by %s %s starts at its bucket in the list index (a range, no sort step)',
    (sort, direction) => {
      const bucket = sort === 'deadline' || sort === 'received' ? '2026-11-30' : 'anna m'
      const p = seekPlan(query({ sort, direction }), bucket)
      expect(p).toMatch(/SEARCH cases USING (COVERING )?INDEX cases_list_\w+ \(.*[<>]/)
      expect(p).not.toMatch(/TEMP B-TREE FOR ORDER BY/)
    },
  )

  it.each<[Partial<ListQuery>, string]>([
    [
      { procedureId: 'kfz', sort: 'applicant', direction: 'desc' },
      'cases_list_procedure_applicant',
    ],
    [{ status: 'in_bearbeitung', sort: 'received' }, 'cases_list_status_received'],
    [{ view: 'posteingang' }, 'cases_list_assignee_deadline'],
    // the planner may take either deadline index here: both are a range from the bucket to today
    [{ procedureId: 'wohngeld', view: 'ueberfaellig' }, 'cases_list_(procedure_)?deadline'],
  ])('a filtered list %o seeks in %s', (p, index) => {
    const plan = seekPlan(query(p), p.sort === 'applicant' ? 'ö' : '2026-11-30')
    expect(plan).toMatch(new RegExp(`SEARCH cases USING (COVERING )?INDEX ${index} \\(.*[<>]`))
    expect(plan).not.toMatch(/TEMP B-TREE FOR ORDER BY/)
  })

  it("counts one person's list from case_workload, never from the cases", () => {
    for (const q of [
      query({ view: 'meine', procedureId: 'kfz' }),
      query({ view: 'alle', assignee: 'u-b', status: 'in_bearbeitung' }),
    ]) {
      const w = workloadConditions(q)
      if (!w) throw new Error(`no workload conditions for ${q.view}`)
      const p = plan(sql`SELECT sum(n) AS n FROM case_workload WHERE ${w}`)
      expect(p).toMatch(/SEARCH case_workload USING PRIMARY KEY \(kind=/)
      expect(p).not.toMatch(/\bcases\b/)
    }
    expect(workloadConditions(query({ view: 'wiedervorlage' }))).toBeNull()
  })

  it('sums the buckets from the helper table by its key, never from the cases', () => {
    for (const sort of CASE_SORTS) {
      const c = rankConditions(
        { view: 'alle', user: 'u', today: TODAY, sort, direction: 'asc', procedureId: 'kfz' },
        sort,
      )
      const p = plan(bucketSql(c as Sql))
      expect(p).toMatch(/SEARCH case_rank USING PRIMARY KEY \(sort=/)
      expect(p).not.toMatch(/cases\b/)
      expect(p).not.toMatch(/TEMP B-TREE/)
    }
  })
})
