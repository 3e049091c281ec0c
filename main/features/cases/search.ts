import { toSummary, type CaseRow } from '../../../db/repositories/cases'
import type { CaseSummary } from '../../../preload/contract/index'
import type { Db } from '../../../db/open'
import type { AppContext } from '../../core/context'

/**
 * German folding applied to indexed text and query alike, so "Müller", "Mueller" and "muller"
 * meet in one form ("muller"): umlauts and their ae/oe/ue spellings → a/o/u, ß → ss, other
 * diacritics dropped. Applied on both sides, the rare false friend ("Steuer" → "steur") is harmless.
 */
export function foldGerman(text: string): string {
  return text
    .toLowerCase()
    .replace(/ä/g, 'a')
    .replace(/ö/g, 'o')
    .replace(/ü/g, 'u')
    .replace(/ß/g, 'ss')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/ae/g, 'a')
    .replace(/oe/g, 'o')
    .replace(/ue/g, 'u')
}

function collectText(value: unknown, out: string[], depth = 0): void {
  if (depth > 8 || out.length > 2000) return
  if (typeof value === 'string') out.push(value)
  else if (typeof value === 'number') out.push(String(value))
  else if (Array.isArray(value)) value.forEach((v) => collectText(v, out, depth + 1))
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => collectText(v, out, depth + 1))
}

interface IndexSource {
  aktenzeichen: string
  subject: string
  applicant_name: string
  applicant_address: string
  form_data: string
}

/** Rebuilds one case's search text. Call inside the transaction that changed the case. */
export function reindexCase(db: Db, caseId: string): void {
  const c = db
    .prepare('SELECT rowid, aktenzeichen, subject, applicant_name, applicant_address, form_data FROM cases WHERE id = ?')
    .get(caseId) as (IndexSource & { rowid: number }) | undefined
  if (!c) return
  const parts = [c.aktenzeichen, c.subject, c.applicant_name, c.applicant_address]
  collectText(JSON.parse(c.form_data), parts)
  for (const r of db.prepare('SELECT title, filename FROM documents WHERE case_id = ?').all(caseId) as { title: string; filename: string }[])
    parts.push(r.title, r.filename)
  for (const r of db.prepare('SELECT text FROM notes WHERE case_id = ?').all(caseId) as { text: string }[]) parts.push(r.text)
  db.prepare('DELETE FROM case_fts WHERE rowid = ?').run(c.rowid)
  db.prepare('INSERT INTO case_fts (rowid, text) VALUES (?, ?)').run(c.rowid, foldGerman(parts.join(' \u2022 ')))
}

/** Turns user input into an FTS5 query: every folded word must occur (substring/prefix). */
export function ftsQuery(query: string): { match: string | null; short: string[] } {
  const words = foldGerman(query)
    .split(/[^\p{L}\p{N}.\-/]+/u)
    .filter(Boolean)
  const long = words.filter((w) => w.length >= 3)
  const short = words.filter((w) => w.length < 3)
  return { match: long.length ? long.map((w) => `"${w.replace(/"/g, '""')}"`).join(' AND ') : null, short }
}

type SearchRow = Pick<CaseRow, 'id' | 'aktenzeichen' | 'procedure_id' | 'subject' | 'applicant_name' | 'applicant_address' | 'status' | 'assignee' | 'received_at' | 'deadline' | 'follow_up' | 'sync_state'>

const RANK_LIMIT = 500

export function searchCases(ctx: AppContext, query: string, limit: number): (CaseSummary & { snippet: string })[] {
  const { match, short } = ftsQuery(query)
  const cols =
    'c.id, c.aktenzeichen, c.procedure_id, c.subject, c.applicant_name, c.applicant_address, c.status, c.assignee, c.received_at, c.deadline, c.follow_up, c.sync_state'
  const shortClause = short.map((_, i) => `f.text LIKE @s${i}`).join(' AND ')
  const params: Record<string, string | number> = { limit }
  short.forEach((s, i) => (params[`s${i}`] = `%${s.replace(/[%_]/g, '')}%`))
  let sql: string
  if (match) {
    params.match = match
    // Ranking scores every match; for a broad query ("strass": 40,000 cases) that costs 80 ms,
    // so beyond RANK_LIMIT matches the newest cases come first instead (bench/).
    const broad = (ctx.db.prepare('SELECT count(*) AS n FROM (SELECT 1 FROM case_fts WHERE case_fts MATCH ? LIMIT ?)').get(match, RANK_LIMIT + 1) as { n: number }).n > RANK_LIMIT
    sql = `SELECT ${cols} FROM case_fts f JOIN cases c ON c.rowid = f.rowid WHERE case_fts MATCH @match AND c.retired_into IS NULL${shortClause ? ` AND ${shortClause}` : ''} ORDER BY ${broad ? 'f.rowid DESC' : 'f.rank'} LIMIT @limit`
  } else if (short.length) {
    sql = `SELECT ${cols} FROM case_fts f JOIN cases c ON c.rowid = f.rowid WHERE c.retired_into IS NULL AND ${shortClause} LIMIT @limit`
  } else return []
  return (ctx.db.prepare(sql).all(params) as SearchRow[]).map((r) => ({ ...toSummary(r), snippet: `${r.applicant_name}, ${r.applicant_address}` }))
}
