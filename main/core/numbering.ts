import type { WriteDb } from '../../db/open'
import {
  isAktenzeichenTaken,
  isLeasedHere,
  nextLeasedNumber,
  nextLocalNumber,
  useLease,
} from '../../db/repositories/numbering'

/**
 * Aktenzeichen `<file-plan code>-<year>-<6 digits>`. A number leased from the hub is final
 * office-wide, so a desk can open cases offline; without a lease the local sequence is used
 * (office sync renumbers such a case if the office already gave that number to another case).
 */
export function allocateAktenzeichen(
  db: WriteDb,
  fileCode: string,
  year: number,
  at: string,
): string {
  for (;;) {
    const leased = nextLeasedNumber(db, fileCode, year)
    if (leased === undefined) break
    useLease(db, fileCode, year, leased, at)
    // a local-sequence number taken before this lease arrived may equal a leased one: skip it
    if (!isAktenzeichenTaken(db, format(fileCode, year, leased)))
      return format(fileCode, year, leased)
  }
  // without a lease: the local sequence, skipping numbers this desk holds or has seen from the office
  let n: number
  do n = nextLocalNumber(db, fileCode, year)
  while (isAktenzeichenTaken(db, format(fileCode, year, n)) || isLeasedHere(db, fileCode, year, n))
  return format(fileCode, year, n)
}

const format = (fileCode: string, year: number, n: number) =>
  `${fileCode}-${year}-${String(n).padStart(6, '0')}`
