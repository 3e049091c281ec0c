import {
  CASE_STATUSES,
  CASE_VIEWS,
  type CaseSort,
  type CaseStatus,
  type CaseSummary,
  type CaseView,
} from '../domain'
import {
  all,
  get,
  oneOf,
  run,
  shape,
  sql,
  type ReadDb,
  type Row,
  type Sql,
  type WriteDb,
} from '../sql'

export {
  CASE_SORTS,
  CASE_STATUSES,
  CASE_VIEWS,
  type CaseSort,
  type CaseStatus,
  type CaseSummary,
  type CaseView,
} from '../domain'

export const CASE_CHANNELS = ['online', 'paper', 'phone'] as const
export type CaseChannel = (typeof CASE_CHANNELS)[number]

export interface CaseRecord extends CaseSummary {
  applicantAddress: string
  channel: CaseChannel
  submissionId: string | null
  formData: unknown
  version: number
  updatedAt: string
}

export interface NewCase {
  id: string
  aktenzeichen: string
  procedureId: string
  subject: string
  applicantName: string
  applicantAddress: string
  status?: CaseStatus
  assignee?: string | null
  receivedAt: string
  deadline: string | null
  channel: CaseChannel
  submissionId?: string | null
  formData: unknown
  updatedAt: string
}

export const SUMMARY_COLUMNS = sql`id, aktenzeichen, procedure_id, subject, applicant_name, status, assignee, received_at, deadline, follow_up, sync_state, channel`

const summaryShape = shape({
  id: 'text',
  aktenzeichen: 'text',
  procedure_id: 'text',
  subject: 'text',
  applicant_name: 'text',
  status: 'text',
  assignee: 'text?',
  received_at: 'text',
  deadline: 'text?',
  follow_up: 'text?',
  sync_state: 'text',
  channel: 'text',
})

/** A case row as the lists show it (also used by the search). */
export function toSummary(row: Row): CaseSummary {
  const r = summaryShape(row)
  return {
    id: r.id,
    aktenzeichen: r.aktenzeichen,
    procedureId: r.procedure_id,
    subject: r.subject,
    applicantName: r.applicant_name,
    status: oneOf(CASE_STATUSES, r.status, 'status'),
    assignee: r.assignee,
    receivedAt: r.received_at,
    deadline: r.deadline,
    followUp: r.follow_up,
    syncState: r.sync_state,
    channel: oneOf(['online', 'paper', 'phone'] as const, r.channel, 'channel'),
  }
}

const recordShape = shape({
  applicant_address: 'text',
  channel: 'text',
  submission_id: 'text?',
  form_data: 'json',
  version: 'int',
  updated_at: 'text',
})

const toRecord = (row: Row): CaseRecord => {
  const r = recordShape(row)
  return {
    ...toSummary(row),
    applicantAddress: r.applicant_address,
    channel: oneOf(CASE_CHANNELS, r.channel, 'channel'),
    submissionId: r.submission_id,
    formData: r.form_data,
    version: r.version,
    updatedAt: r.updated_at,
  }
}

const countShape = shape({ n: 'int' })
/** `SELECT count(*) AS n …` as a number. */
export const countOf = (db: ReadDb, q: Sql): number => get(db, q, countShape)?.n ?? 0

export function insertCase(db: WriteDb, c: NewCase): void {
  run(
    db,
    sql`INSERT INTO cases (id, aktenzeichen, procedure_id, subject, applicant_name, applicant_address,
       status, assignee, received_at, deadline, channel, submission_id, form_data, updated_at)
     VALUES (${c.id}, ${c.aktenzeichen}, ${c.procedureId}, ${c.subject}, ${c.applicantName}, ${c.applicantAddress},
       ${c.status ?? 'eingegangen'}, ${c.assignee ?? null}, ${c.receivedAt}, ${c.deadline}, ${c.channel}, ${c.submissionId ?? null}, ${JSON.stringify(c.formData)}, ${c.updatedAt})`,
  )
}

export function getCase(db: ReadDb, id: string): CaseRecord | undefined {
  return get(db, sql`SELECT * FROM cases WHERE id = ${id}`, toRecord)
}

// ---------------------------------------------------------------------------------------------
// Local changes of one case (each inside the action's transaction, casework/actions.ts)

/** Marks the case as changed locally, waiting for office sync. */
export function touchCase(db: WriteDb, id: string, at: string): void {
  run(db, sql`UPDATE cases SET updated_at = ${at}, sync_state = 'pending' WHERE id = ${id}`)
}

export function setCaseAssignee(db: WriteDb, id: string, assignee: string | null): void {
  run(db, sql`UPDATE cases SET assignee = ${assignee} WHERE id = ${id}`)
}

export function setCaseStatus(db: WriteDb, id: string, status: CaseStatus): void {
  run(db, sql`UPDATE cases SET status = ${status} WHERE id = ${id}`)
}

export function setCaseFollowUp(db: WriteDb, id: string, date: string | null): void {
  run(db, sql`UPDATE cases SET follow_up = ${date} WHERE id = ${id}`)
}

/** Nachforderung: the case waits for documents until `deadline`. */
export function markDocumentsRequested(db: WriteDb, id: string, deadline: string): void {
  run(db, sql`UPDATE cases SET status = 'nachforderung', follow_up = ${deadline} WHERE id = ${id}`)
}

// ---------------------------------------------------------------------------------------------
// Lists and counts (benchmarked: keep the SQL text, and so the query plans, as it is)

export interface ListQuery {
  view: CaseView
  user: string
  today: string
  sort: CaseSort
  direction: 'asc' | 'desc'
  procedureId?: string | undefined
  status?: CaseStatus | undefined
  assignee?: string | undefined
  deadlineFrom?: string | undefined
  deadlineTo?: string | undefined
  openOnly?: boolean | undefined
  offset: number
  limit: number
}

/** ORDER BY of each sort; the tie-breaker follows the direction, so a descending page walks its index backwards. */
const ORDER: Record<CaseSort, Record<'asc' | 'desc', Sql>> = {
  deadline: {
    asc: sql.keyword('deadline IS NULL, deadline ASC, id ASC'),
    desc: sql.keyword('deadline IS NULL, deadline DESC, id DESC'),
  },
  received: {
    asc: sql.keyword('received_at ASC, id ASC'),
    desc: sql.keyword('received_at DESC, id DESC'),
  },
  aktenzeichen: {
    asc: sql.keyword('aktenzeichen ASC, id ASC'),
    desc: sql.keyword('aktenzeichen DESC, id DESC'),
  },
  applicant: {
    asc: sql.keyword('applicant_name COLLATE NOCASE ASC, id ASC'),
    desc: sql.keyword('applicant_name COLLATE NOCASE DESC, id DESC'),
  },
}

/** The WHERE clause of each list; values stay bound parameters. */
function viewWhere(view: CaseView, user: string, today: string): Sql {
  // a retired copy (merged into the office's case of the same submission) is never listed
  return sql`retired_into IS NULL AND ${viewCondition(view, user, today)}`
}

function viewCondition(view: CaseView, user: string, today: string): Sql {
  switch (view) {
    case 'posteingang':
      return sql`assignee IS NULL AND status <> 'abgeschlossen'`
    case 'meine':
      return sql`assignee = ${user} AND status <> 'abgeschlossen'`
    case 'wiedervorlage':
      return sql`assignee = ${user} AND follow_up IS NOT NULL AND follow_up <= ${today} AND status <> 'abgeschlossen'`
    case 'ueberfaellig':
      return sql`deadline < ${today} AND status NOT IN ('entschieden','versandt','abgeschlossen')`
    case 'vertretung':
      return sql`status <> 'abgeschlossen' AND assignee IN (SELECT user_id FROM absences
        WHERE substitute_id = ${user} AND from_date <= ${today} AND until_date >= ${today})`
    case 'alle':
      return sql`1 = 1`
  }
}

export type ListFilter = Pick<
  ListQuery,
  | 'view'
  | 'user'
  | 'today'
  | 'sort'
  | 'direction'
  | 'procedureId'
  | 'status'
  | 'assignee'
  | 'deadlineFrom'
  | 'deadlineTo'
  | 'openOnly'
>

/** The WHERE and ORDER BY fragments of a list (also used by the query-plan tests and bench/). */
export function buildListSql(q: ListFilter): { where: Sql; order: Sql } {
  const parts = [viewWhere(q.view, q.user, q.today)]
  if (q.procedureId) parts.push(sql`procedure_id = ${q.procedureId}`)
  if (q.status) parts.push(sql`status = ${q.status}`)
  if (q.assignee) parts.push(sql`assignee = ${q.assignee}`)
  if (q.deadlineFrom) parts.push(sql`deadline >= ${q.deadlineFrom}`)
  if (q.deadlineTo) parts.push(sql`deadline <= ${q.deadlineTo}`)
  if (q.openOnly) parts.push(sql`status NOT IN ('entschieden','versandt','abgeschlossen')`)
  return {
    where: sql.join(parts, ' AND '),
    order: ORDER[q.sort][q.direction === 'desc' ? 'desc' : 'asc'],
  }
}

/**
 * Counting the whole office's cases: SQLite's planner would scan the wide table rows; the
 * partial (deadline, status, procedure) index holds every column these filters use and is a
 * quarter of the I/O (bench: 26 → 8 ms at 100,000 cases). Lists by assignee use their own index.
 */
function countSource(q: Pick<ListQuery, 'view' | 'assignee' | 'procedureId' | 'status'>): Sql {
  const narrowed = q.assignee || (q.view === 'alle' && (q.procedureId || q.status))
  return (q.view === 'alle' || q.view === 'ueberfaellig') && !narrowed
    ? sql.keyword('cases INDEXED BY cases_count_deadline_status')
    : sql.keyword('cases')
}

/**
 * The count and page statements of a list by OFFSET (listCases runs them; query-plan tests read
 * them). The desk lists through caseRank.ts, which falls back to these for the lists its helper
 * table cannot place (one person's lists, date filters on another sort).
 */
export function listStatements(q: ListQuery): { count: Sql; page: Sql } {
  const { where, order } = buildListSql(q)
  return {
    count: sql`SELECT count(*) AS n FROM ${countSource(q)} WHERE ${where}`,
    page: sql`SELECT ${SUMMARY_COLUMNS} FROM cases WHERE ${where} ORDER BY ${order} LIMIT ${q.limit} OFFSET ${q.offset}`,
  }
}

export function listCases(db: ReadDb, q: ListQuery): { total: number; rows: CaseSummary[] } {
  const { count, page } = listStatements(q)
  return { total: countOf(db, count), rows: all(db, page, toSummary) }
}

/** The count statement of one view (countViews runs it; query-plan tests read it). */
export function viewCountSql(view: CaseView, user: string, today: string): Sql {
  return sql`SELECT count(*) AS n FROM ${countSource({ view })} WHERE ${viewWhere(view, user, today)}`
}

export function countViews(db: ReadDb, user: string, today: string): Record<CaseView, number> {
  const out = {} as Record<CaseView, number>
  for (const view of CASE_VIEWS) out[view] = countOf(db, viewCountSql(view, user, today))
  return out
}

// ---------------------------------------------------------------------------------------------
// Case detail

export interface ArchiveState {
  closedAt: string | null
  retentionEnd: string | null
  archivedAt: string | null
}

const archiveStateShape = shape({
  closed_at: 'text?',
  retention_end: 'text?',
  archived_at: 'text?',
})

/** zdA and archive dates of a case (case detail, reopening). */
export function archiveStateOf(db: ReadDb, id: string): ArchiveState | undefined {
  return get(
    db,
    sql`SELECT closed_at, retention_end, archived_at FROM cases WHERE id = ${id}`,
    (row) => {
      const r = archiveStateShape(row)
      return { closedAt: r.closed_at, retentionEnd: r.retention_end, archivedAt: r.archived_at }
    },
  )
}

export const ARCHIVAL_VALUES = ['archivwürdig', 'prüfen', 'vernichten'] as const
export type ArchivalValue = (typeof ARCHIVAL_VALUES)[number]
export interface RecordsDisposal {
  retentionYears: number | null
  archivalValue: ArchivalValue | null
  recordsNote: string | null
}
const disposalRow = shape({
  retention_years: 'int?',
  archival_value: 'text?',
  records_note: 'text?',
})

/** What the Registratur decided at zdA (0014-records-disposal); nulls for cases closed before. */
export function recordsDisposalOf(db: ReadDb, caseId: string): RecordsDisposal | undefined {
  return get(
    db,
    sql`SELECT retention_years, archival_value, records_note FROM cases WHERE id = ${caseId}`,
    (r) => {
      const row = disposalRow(r)
      return {
        retentionYears: row.retention_years,
        archivalValue:
          row.archival_value === null
            ? null
            : oneOf(ARCHIVAL_VALUES, row.archival_value, 'archival_value'),
        recordsNote: row.records_note,
      }
    },
  )
}

/** zdA: the case is closed with its retention, archival value and Registraturvermerk. */
export function closeCaseRecord(
  db: WriteDb,
  caseId: string,
  c: {
    closedAt: string
    retentionEnd: string
    retentionYears: number
    archivalValue: ArchivalValue
    recordsNote: string | null
  },
): void {
  run(
    db,
    sql`UPDATE cases SET status = 'abgeschlossen', closed_at = ${c.closedAt}, retention_end = ${c.retentionEnd}, retention_years = ${c.retentionYears},
          archival_value = ${c.archivalValue}, records_note = ${c.recordsNote} WHERE id = ${caseId}`,
  )
}
