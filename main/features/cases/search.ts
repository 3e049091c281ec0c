import { documentTextsOf } from '../../../db/repositories/documents'
import { noteTextsOf } from '../../../db/repositories/notes'
import { searchIndex, searchSourceOf, setSearchText } from '../../../db/repositories/search'
import type { WriteDb } from '../../../db/sql'
import type { CaseSummary } from '../../../preload/contract/index'
import type { ReadContext } from '../../core/context'

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
  else if (value && typeof value === 'object')
    Object.values(value).forEach((v) => collectText(v, out, depth + 1))
}

/** Rebuilds one case's search text. Call inside the transaction that changed the case. */
export function reindexCase(db: WriteDb, caseId: string): void {
  const c = searchSourceOf(db, caseId)
  if (!c) return
  const parts = [c.aktenzeichen, c.subject, c.applicantName, c.applicantAddress]
  collectText(c.formData, parts)
  for (const r of documentTextsOf(db, caseId)) parts.push(r.title, r.filename)
  parts.push(...noteTextsOf(db, caseId))
  setSearchText(db, c.rowid, foldGerman(parts.join(' \u2022 ')))
}

/** Turns user input into an FTS5 query: every folded word must occur (substring/prefix). */
export function ftsQuery(query: string): { match: string | null; short: string[] } {
  const words = foldGerman(query)
    .split(/[^\p{L}\p{N}.\-/]+/u)
    .filter(Boolean)
  const long = words.filter((w) => w.length >= 3)
  const short = words.filter((w) => w.length < 3)
  return {
    match: long.length ? long.map((w) => `"${w.replace(/"/g, '""')}"`).join(' AND ') : null,
    short,
  }
}

export function searchCases(
  ctx: ReadContext,
  query: string,
  limit: number,
): (CaseSummary & { snippet: string })[] {
  const { match, short } = ftsQuery(query)
  const likes = short.map((s) => `%${s.replace(/[%_]/g, '')}%`)
  return searchIndex(ctx.db, match, likes, limit).map(({ applicantAddress, ...r }) => ({
    ...r,
    snippet: `${r.applicantName}, ${applicantAddress}`,
  }))
}
