import { get, run, shape, sql, type ReadDb, type WriteDb } from '../sql'

const numberShape = shape({ number: 'int' })

/** The lowest unused Aktenzeichen number the hub leased to this desk for a file code and year. */
export function nextLeasedNumber(db: ReadDb, fileCode: string, year: number): number | undefined {
  return get(
    db,
    sql`SELECT number FROM number_leases WHERE file_code = ${fileCode} AND year = ${year} AND used_at IS NULL ORDER BY number LIMIT 1`,
    (r) => numberShape(r).number,
  )
}

export function useLeasedNumber(db: WriteDb, fileCode: string, year: number, n: number, at: string): void {
  run(db, sql`UPDATE number_leases SET used_at = ${at} WHERE file_code = ${fileCode} AND year = ${year} AND number = ${n}`)
}

/** Whether this desk holds (or held) a lease on that number. */
export function isLeasedHere(db: ReadDb, fileCode: string, year: number, n: number): boolean {
  return get(db, sql`SELECT 1 AS one FROM number_leases WHERE file_code = ${fileCode} AND year = ${year} AND number = ${n}`, () => true) ?? false
}

/** Whether a case (local or seen from the office) already has this Aktenzeichen. */
export function aktenzeichenTaken(db: ReadDb, aktenzeichen: string): boolean {
  return get(db, sql`SELECT 1 AS one FROM cases WHERE aktenzeichen = ${aktenzeichen}`, () => true) ?? false
}
