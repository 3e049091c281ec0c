import type { CaseSummary } from '../domain'
import { toSummary, countOf } from './cases'
import { all, get, run, shape, sql, type ReadDb, type Sql, type WriteDb } from '../sql'

const sourceShape = shape({
  rowid: 'int',
  aktenzeichen: 'text',
  subject: 'text',
  applicant_name: 'text',
  applicant_address: 'text',
  form_data: 'json',
})

/** The case's own fields that go into its search text (rowid = the FTS row). */
export function searchSourceOf(db: ReadDb, caseId: string) {
  return get(
    db,
    sql`SELECT rowid, aktenzeichen, subject, applicant_name, applicant_address, form_data FROM cases WHERE id = ${caseId}`,
    (row) => {
      const r = sourceShape(row)
      return {
        rowid: r.rowid,
        aktenzeichen: r.aktenzeichen,
        subject: r.subject,
        applicantName: r.applicant_name,
        applicantAddress: r.applicant_address,
        formData: r.form_data,
      }
    },
  )
}

/** Replaces the case's folded search text. */
export function setSearchText(db: WriteDb, rowid: number, text: string): void {
  run(db, sql`DELETE FROM case_fts WHERE rowid = ${rowid}`)
  run(db, sql`INSERT INTO case_fts (rowid, text) VALUES (${rowid}, ${text})`)
}

const COLS = sql`c.id, c.aktenzeichen, c.procedure_id, c.subject, c.applicant_name, c.applicant_address, c.status, c.assignee, c.received_at, c.deadline, c.follow_up, c.sync_state, c.channel`

/** Above this many matches a search is "broad": newest first instead of ranked (searchIndex). */
export const RANK_LIMIT = 500

/**
 * The search orders are total: equal BM25 ranks are common (a million cases: the top 60 hits of
 * "muller" share 3 ranks), and ties under LIMIT would let a longer result reorder or drop rows of
 * a shorter one. The unique rowid decides a tie, newest case first like the broad order.
 */
const BY_RANK = sql.keyword('f.rank, f.rowid DESC')
const NEWEST_FIRST = sql.keyword('f.rowid DESC')

/** The FTS5 query of a search; `likes` are the LIKE patterns of words too short for trigrams. */
export function searchStatement(
  match: string | null,
  likes: readonly string[],
  limit: number,
  broad: boolean,
): Sql | null {
  const shortClause = sql.join(
    likes.map((p) => sql`f.text LIKE ${p}`),
    ' AND ',
  )
  if (match)
    return sql`SELECT ${COLS} FROM case_fts f JOIN cases c ON c.rowid = f.rowid WHERE case_fts MATCH ${match} AND c.retired_into IS NULL${likes.length ? sql` AND ${shortClause}` : sql.empty} ORDER BY ${broad ? NEWEST_FIRST : BY_RANK} LIMIT ${limit}`
  if (likes.length)
    return sql`SELECT ${COLS} FROM case_fts f JOIN cases c ON c.rowid = f.rowid WHERE c.retired_into IS NULL AND ${shortClause} ORDER BY ${NEWEST_FIRST} LIMIT ${limit}`
  return null
}

const addressShape = shape({ applicant_address: 'text' })

/**
 * Cases matching an FTS5 expression (`match`) and/or LIKE patterns. Ranking scores every match;
 * for a broad query ("strass": 40,000 cases) that costs 80 ms, so beyond RANK_LIMIT matches the
 * newest cases come first instead (bench/).
 */
export function searchIndex(
  db: ReadDb,
  match: string | null,
  likes: readonly string[],
  limit: number,
): (CaseSummary & { applicantAddress: string })[] {
  const broad =
    match !== null &&
    countOf(
      db,
      sql`SELECT count(*) AS n FROM (SELECT 1 FROM case_fts WHERE case_fts MATCH ${match} LIMIT ${RANK_LIMIT + 1})`,
    ) > RANK_LIMIT
  const q = searchStatement(match, likes, limit, broad)
  return q
    ? all(db, q, (row) => ({
        ...toSummary(row),
        applicantAddress: addressShape(row).applicant_address,
      }))
    : []
}
