/**
 * Aktenzeichen numbers: the pool leased from the hub (table number_leases, final office-wide)
 * and the local sequence per file-plan code and year (number_sequences) for when none is left.
 */
import { run, scalar, sql, type ReadDb, type WriteDb } from '../sql'

/** The smallest leased number not used yet. */
export function nextLeasedNumber(db: ReadDb, fileCode: string, year: number): number | undefined {
  const n = scalar(
    db,
    sql`SELECT number FROM number_leases WHERE file_code = ${fileCode} AND year = ${year} AND used_at IS NULL ORDER BY number LIMIT 1`,
  )
  return n === undefined || n === null ? undefined : Number(n)
}

export function useLease(
  db: WriteDb,
  fileCode: string,
  year: number,
  number: number,
  at: string,
): void {
  run(
    db,
    sql`UPDATE number_leases SET used_at = ${at} WHERE file_code = ${fileCode} AND year = ${year} AND number = ${number}`,
  )
}

/** Whether the number was leased to this desk (used or not). */
export function isLeasedHere(db: ReadDb, fileCode: string, year: number, number: number): boolean {
  return (
    scalar(
      db,
      sql`SELECT 1 FROM number_leases WHERE file_code = ${fileCode} AND year = ${year} AND number = ${number}`,
    ) !== undefined
  )
}

export function freeLeaseCount(db: ReadDb, fileCode: string, year: number): number {
  return Number(
    scalar(
      db,
      sql`SELECT count(*) FROM number_leases WHERE file_code = ${fileCode} AND year = ${year} AND used_at IS NULL`,
    ) ?? 0,
  )
}

/** A number the hub granted (again: a repeated grant is ignored). */
export function addLease(db: WriteDb, fileCode: string, year: number, number: number): void {
  run(
    db,
    sql`INSERT OR IGNORE INTO number_leases (file_code, year, number) VALUES (${fileCode}, ${year}, ${number})`,
  )
}

/** Whether a case (retired ones included) holds the Aktenzeichen. */
export function isAktenzeichenTaken(db: ReadDb, aktenzeichen: string): boolean {
  return scalar(db, sql`SELECT 1 FROM cases WHERE aktenzeichen = ${aktenzeichen}`) !== undefined
}

/** Next local running number for a file-plan code and year. */
export function nextLocalNumber(db: WriteDb, fileCode: string, year: number): number {
  const n = scalar(
    db,
    sql`INSERT INTO number_sequences (file_code, year, next) VALUES (${fileCode}, ${year}, 2)
        ON CONFLICT (file_code, year) DO UPDATE SET next = next + 1
        RETURNING next - 1 AS n`,
  )
  if (typeof n !== 'number' && typeof n !== 'bigint')
    throw new Error('Laufende Nummer konnte nicht vergeben werden.')
  return Number(n)
}
