/**
 * Lists at a million cases: "seek by rank" with the order-statistics helper table `case_rank`
 * (migration 0016-list-aggregates, kept exact by triggers). A list's buckets (per sort key
 * bucket, summed over its filter groups) give its total and, by their running sum, the bucket
 * that holds any offset; the page then starts at that bucket's first key in the list index and
 * skips only the rest of one bucket — instead of an OFFSET walk over every row before it.
 * Lists the table cannot place (one person's lists, date filters on another sort) use the
 * OFFSET statements of cases.ts; both give the same rows (db/repositories/caseRank.test.ts).
 */
import { CASE_VIEWS, type CaseSort, type CaseSummary, type CaseView } from '../domain'
import { all, get, shape, sql, type ReadDb, type Sql } from '../sql'
import {
  buildListSql,
  countOf,
  listStatements,
  SUMMARY_COLUMNS,
  toSummary,
  viewCountSql,
  type ListFilter,
  type ListQuery,
} from './cases'

/** Above every character a key holds: `b + TOP` bounds the keys of prefix bucket b. */
const TOP = '\u{10FFFF}'
const OPEN = sql.keyword("status NOT IN ('entschieden','versandt','abgeschlossen')")

/** The list's conditions on case_rank rows of one sort, or null when it has one they cannot express. */
export function rankConditions(q: ListFilter, kind: CaseSort): Sql | null {
  if (q.assignee) return null
  const c: Sql[] = [sql`sort = ${kind}`]
  switch (q.view) {
    case 'alle':
      break
    case 'posteingang':
      c.push(sql`unassigned = 1 AND status <> 'abgeschlossen'`)
      break
    case 'ueberfaellig':
      if (kind !== 'deadline') return null
      c.push(sql`bucket <> '' AND bucket < ${q.today} AND ${OPEN}`)
      break
    default:
      return null // meine, wiedervorlage, vertretung: one person's cases, counted by their index
  }
  if (q.procedureId) c.push(sql`procedure_id = ${q.procedureId}`)
  if (q.status) c.push(sql`status = ${q.status}`)
  if (q.openOnly) c.push(OPEN)
  if (q.deadlineFrom || q.deadlineTo) {
    if (kind !== 'deadline') return null
    if (q.deadlineFrom) c.push(sql`bucket <> '' AND bucket >= ${q.deadlineFrom}`)
    if (q.deadlineTo) c.push(sql`bucket <> '' AND bucket <= ${q.deadlineTo}`)
  }
  return sql.join(c, ' AND ')
}

/** The bucket sums of a list for one sort, in key order (query-plan tests and bench/ read it). */
export function bucketSql(conditions: Sql): Sql {
  return sql`SELECT bucket, sum(n) AS n FROM case_rank WHERE ${conditions} GROUP BY bucket ORDER BY bucket`
}

const bucketShape = shape({ bucket: 'text', n: 'int' })
const totalShape = shape({ n: 'int?' })

export interface Bucket {
  bucket: string
  n: number
}

/** Buckets in the order the list shows them (a deadline sort shows cases without one last). */
function inListOrder(buckets: Bucket[], kind: CaseSort, direction: 'asc' | 'desc'): Bucket[] {
  const dated = kind === 'deadline' ? buckets.filter((b) => b.bucket !== '') : [...buckets]
  if (direction === 'desc') dated.reverse()
  return kind === 'deadline' ? [...dated, ...buckets.filter((b) => b.bucket === '')] : dated
}

/** Where the rows of bucket b begin in the list's order, as a condition on the sort column. */
function fromBucket(kind: CaseSort, direction: 'asc' | 'desc', b: string): Sql {
  const asc = direction === 'asc'
  switch (kind) {
    case 'deadline':
      if (b === '') return sql`(deadline IS NULL) = 1`
      return asc
        ? sql`(deadline IS NULL) = 0 AND deadline >= ${b}`
        : sql`(deadline IS NULL) = 0 AND deadline <= ${b}`
    case 'received':
      return asc ? sql`received_at >= ${b}` : sql`received_at < ${b + TOP}`
    case 'aktenzeichen':
      return asc ? sql`aktenzeichen >= ${b}` : sql`aktenzeichen < ${b + TOP}`
    case 'applicant':
      return asc
        ? sql`applicant_name COLLATE NOCASE >= ${b}`
        : sql`applicant_name COLLATE NOCASE < ${b + TOP}`
  }
}

/**
 * The page statements of a list positioned by its buckets: one, or two when a deadline page
 * runs from the last dated bucket into the cases without a deadline. Empty past the end.
 */
export function seekStatements(q: ListQuery, buckets: Bucket[]): { total: number; pages: Sql[] } {
  const ordered = inListOrder(buckets, q.sort, q.direction)
  const total = ordered.reduce((s, b) => s + b.n, 0)
  const { where, order } = buildListSql(q)
  // within one side of the NULL split a deadline page orders by (deadline, id) or id alone,
  // which the index walks once the split is fixed by equality (the full ORDER BY would sort)
  const desc = q.direction === 'desc'
  const segmentOrder = (b: string): Sql =>
    q.sort !== 'deadline'
      ? order
      : b === ''
        ? desc
          ? sql.keyword('id DESC')
          : sql.keyword('id ASC')
        : desc
          ? sql.keyword('deadline DESC, id DESC')
          : sql.keyword('deadline ASC, id ASC')
  const page = (b: string, limit: number, offset: number) =>
    sql`SELECT ${SUMMARY_COLUMNS} FROM cases WHERE ${where} AND ${fromBucket(q.sort, q.direction, b)} ORDER BY ${segmentOrder(b)} LIMIT ${limit} OFFSET ${offset}`
  let before = 0
  for (const b of ordered) {
    if (q.offset < before + b.n) {
      const within = q.offset - before
      const pages = [page(b.bucket, q.limit, within)]
      // a dated range stops before the NULL split: the rest of the page comes from there
      const datedLeft = ordered
        .filter((x) => x.bucket !== '')
        .slice(ordered.indexOf(b))
        .reduce((s, x) => s + x.n, 0)
      const nulls = ordered.find((x) => x.bucket === '')
      if (q.sort === 'deadline' && b.bucket !== '' && nulls && datedLeft - within < q.limit)
        pages.push(page('', q.limit - (datedLeft - within), 0))
      return { total, pages }
    }
    before += b.n
  }
  return { total, pages: [] }
}

const listBuckets = (db: ReadDb, conditions: Sql): Bucket[] =>
  all(db, bucketSql(conditions), bucketShape)

/**
 * One person's lists on the dashboard's aggregate case_workload (kind 'deadline' holds every
 * listed case once, by assignee): 'meine' and the office filtered by an assignee. Null for the
 * lists it cannot express (follow-up dates, Vertretung).
 */
export function workloadConditions(q: ListFilter): Sql | null {
  const c: Sql[] = [sql`kind = 'deadline'`]
  if (q.view === 'meine') c.push(sql`assignee = ${q.user} AND status <> 'abgeschlossen'`)
  else if (q.view !== 'alle' || !q.assignee) return null
  if (q.assignee) c.push(sql`assignee = ${q.assignee}`)
  if (q.procedureId) c.push(sql`procedure_id = ${q.procedureId}`)
  if (q.status) c.push(sql`status = ${q.status}`)
  if (q.openOnly) c.push(OPEN)
  if (q.deadlineFrom) c.push(sql`day <> '' AND day >= ${q.deadlineFrom}`)
  if (q.deadlineTo) c.push(sql`day <> '' AND day <= ${q.deadlineTo}`)
  return sql.join(c, ' AND ')
}

/**
 * The total of a list from a helper table, or undefined when neither can express the list. At
 * 1,000,000 cases one clerk holds ~90,000: counting them in their index cost ~5 ms (and grew
 * with the office), summing their case_workload rows ~1.5 ms.
 */
export function rankedTotal(db: ReadDb, q: ListFilter): number | undefined {
  const c = rankConditions(q, 'deadline')
  if (c) return get(db, sql`SELECT sum(n) AS n FROM case_rank WHERE ${c}`, totalShape)?.n ?? 0
  const w = workloadConditions(q)
  if (!w) return undefined
  return get(db, sql`SELECT sum(n) AS n FROM case_workload WHERE ${w}`, totalShape)?.n ?? 0
}

/** One page of a list and its total (cases.list). */
export function listCasePage(db: ReadDb, q: ListQuery): { total: number; rows: CaseSummary[] } {
  const c = rankConditions(q, q.sort)
  if (c) {
    const { total, pages } = seekStatements(q, listBuckets(db, c))
    return { total, rows: pages.flatMap((p) => all(db, p, toSummary)) }
  }
  const { count, page } = listStatements(q)
  return { total: rankedTotal(db, q) ?? countOf(db, count), rows: all(db, page, toSummary) }
}

/** The counts of every view (cases.counts): the office-wide ones from the helper table. */
export function countViewsRanked(
  db: ReadDb,
  user: string,
  today: string,
): Record<CaseView, number> {
  const out = {} as Record<CaseView, number>
  for (const view of CASE_VIEWS) {
    const q: ListFilter = { view, user, today, sort: 'deadline', direction: 'asc' }
    out[view] = rankedTotal(db, q) ?? countOf(db, viewCountSql(view, user, today))
  }
  return out
}
