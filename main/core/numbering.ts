import { nextLocalNumber } from '../../db/repositories/intake'
import type { Db } from '../../db/open'

/**
 * Aktenzeichen `<file-plan code>-<year>-<6 digits>`. A number leased from the hub is final
 * office-wide, so a desk can open cases offline; without a lease the local sequence is used
 * (office sync renumbers such a case if the office already gave that number to another case).
 */
export function allocateAktenzeichen(db: Db, fileCode: string, year: number, at: string): string {
  const nextLeased = db.prepare('SELECT number FROM number_leases WHERE file_code = ? AND year = ? AND used_at IS NULL ORDER BY number LIMIT 1')
  const useLease = db.prepare('UPDATE number_leases SET used_at = ? WHERE file_code = ? AND year = ? AND number = ?')
  const caseHas = db.prepare('SELECT 1 FROM cases WHERE aktenzeichen = ?')
  for (;;) {
    const leased = nextLeased.get(fileCode, year) as { number: number } | undefined
    if (!leased) break
    useLease.run(at, fileCode, year, leased.number)
    // a local-sequence number taken before this lease arrived may equal a leased one: skip it
    if (!caseHas.get(format(fileCode, year, leased.number))) return format(fileCode, year, leased.number)
  }
  // without a lease: the local sequence, skipping numbers this desk holds or has seen from the office
  const leasedHere = db.prepare('SELECT 1 FROM number_leases WHERE file_code = ? AND year = ? AND number = ?')
  let n: number
  do n = nextLocalNumber(db, fileCode, year)
  while (caseHas.get(format(fileCode, year, n)) || leasedHere.get(fileCode, year, n))
  return format(fileCode, year, n)
}

const format = (fileCode: string, year: number, n: number) => `${fileCode}-${year}-${String(n).padStart(6, '0')}`
