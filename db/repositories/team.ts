import { all, get, shape, sql, type ReadDb, type Sql } from '../sql'

/** One group of the dashboard's scan: cases of one assignee, procedure and status. */
export interface WorkloadCell {
  assignee: string | null
  procedure: string
  status: string
  n: number
  overdue: number
  dueSoon: number
  r7: number
  r30: number
  r90: number
}

const cellShape = shape({
  assignee: 'text?',
  procedure: 'text',
  status: 'text',
  n: 'int',
  overdue: 'int?',
  dueSoon: 'int?',
  r7: 'int?',
  r30: 'int?',
  r90: 'int?',
})

/**
 * The dashboard's groups from the maintained aggregate `case_workload` (0016-list-aggregates,
 * kept by triggers): per assignee, procedure and status, the cases by deadline day and by
 * received day. A few ten thousand rows at a million cases instead of every case (bench: 791 ms
 * → see README), read in group order from the covering index case_workload_by_group (0020), so
 * the GROUP BY streams instead of sorting 58,800 rows (144–190 → 40–60 ms). Read by the
 * query-plan tests.
 */
export function workloadCellsSql(p: {
  today: string
  soon: string
  d7: string
  d30: string
  d90: string
}): Sql {
  return sql`SELECT nullif(assignee, '') AS assignee, procedure_id AS procedure, status,
         sum(CASE WHEN kind = 'received' THEN n END) AS n,
         sum(CASE WHEN kind = 'deadline' AND day <> '' AND day < ${p.today} THEN n END) AS overdue,
         sum(CASE WHEN kind = 'deadline' AND day >= ${p.today} AND day <= ${p.soon} THEN n END) AS dueSoon,
         sum(CASE WHEN kind = 'received' AND day >= ${p.d7} THEN n END) AS r7,
         sum(CASE WHEN kind = 'received' AND day >= ${p.d30} THEN n END) AS r30,
         sum(CASE WHEN kind = 'received' AND day >= ${p.d90} THEN n END) AS r90
       FROM case_workload GROUP BY assignee, procedure_id, status`
}

/**
 * Every group of the dashboard with cheap sums; the service adds the rest from these few rows.
 * A sum over no matching row is 0.
 */
export function workloadCells(
  db: ReadDb,
  p: { today: string; soon: string; d7: string; d30: string; d90: string },
): WorkloadCell[] {
  return all(db, workloadCellsSql(p), (row) => {
    const r = cellShape(row)
    return {
      ...r,
      overdue: r.overdue ?? 0,
      dueSoon: r.dueSoon ?? 0,
      r7: r.r7 ?? 0,
      r30: r.r30 ?? 0,
      r90: r.r90 ?? 0,
    }
  })
}

const GROUP_COLUMN = {
  assignee: sql.keyword('c.assignee'),
  procedure_id: sql.keyword('c.procedure_id'),
} as const
const keyCountShape = shape({ key: 'text?', n: 'int' })

/** Decisions since `from` (ISO date), counted per assignee or procedure of their case. */
export function decidedSinceSql(column: keyof typeof GROUP_COLUMN, from: string): Sql {
  const c = GROUP_COLUMN[column]
  return sql`SELECT ${c} AS key, count(*) AS n FROM decisions d JOIN cases c ON c.id = d.case_id
             WHERE d.decided_at >= ${from} GROUP BY ${c}`
}

export function decidedSince(
  db: ReadDb,
  column: keyof typeof GROUP_COLUMN,
  from: string,
): Map<string | null, number> {
  return new Map(all(db, decidedSinceSql(column, from), keyCountShape).map((r) => [r.key, r.n]))
}

const oldestShape = shape({ id: 'text', aktenzeichen: 'text', receivedAt: 'text' })

/** The oldest open unassigned case (its partial index, cases_unassigned_received). */
export const oldestUnassignedSql = sql`SELECT id, aktenzeichen, received_at AS receivedAt FROM cases INDEXED BY cases_unassigned_received
  WHERE assignee IS NULL AND retired_into IS NULL AND status <> 'abgeschlossen' ORDER BY received_at, id LIMIT 1`

export function oldestUnassigned(
  db: ReadDb,
): { id: string; aktenzeichen: string; receivedAt: string } | undefined {
  return get(db, oldestUnassignedSql, oldestShape)
}

const dayCountShape = shape({ d: 'text', n: 'int' })
const perDay = (db: ReadDb, q: Sql) => new Map(all(db, q, dayCountShape).map((r) => [r.d, r.n]))

/** Decisions per day since `from` (YYYY-MM-DD → count). */
export function decidedPerDay(db: ReadDb, from: string): Map<string, number> {
  return perDay(
    db,
    sql`SELECT substr(decided_at, 1, 10) AS d, count(*) AS n FROM decisions WHERE decided_at >= ${from} GROUP BY d`,
  )
}

/** Received cases per day since `from` (from the maintained aggregate). */
export function receivedPerDay(db: ReadDb, from: string): Map<string, number> {
  return perDay(
    db,
    sql`SELECT day AS d, sum(n) AS n FROM case_workload WHERE kind = 'received' AND day >= ${from} GROUP BY day`,
  )
}

const queueShape = shape({ id: 'text', aktenzeichen: 'text', deadline: 'text?' })

/** The unassigned queue, most urgent first (optionally only the given cases). */
export function unassignedQueue(
  db: ReadDb,
  limit: number,
  ids?: readonly string[],
  /** only cases of these procedures (the lead's team) */
  procedures?: readonly string[],
): { id: string; aktenzeichen: string; deadline: string | null }[] {
  const selection = ids?.length ? sql`AND id IN ${sql.list(ids)}` : sql.empty
  const ofTeam = procedures
    ? procedures.length
      ? sql`AND procedure_id IN ${sql.list(procedures)}`
      : sql`AND 0`
    : sql.empty
  return all(
    db,
    sql`SELECT id, aktenzeichen, deadline FROM cases WHERE assignee IS NULL AND status <> 'abgeschlossen' AND retired_into IS NULL ${selection} ${ofTeam}
       ORDER BY deadline IS NULL, deadline, received_at LIMIT ${limit}`,
    queueShape,
  )
}
