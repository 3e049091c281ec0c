import { all, get, run, shape, sql, type ReadDb, type WriteDb } from '../sql'

/** Vertretung: a clerk's absence with a substitute, from and until a day (inclusive). */
export interface AbsenceRecord {
  id: string
  userId: string
  substituteId: string
  from: string
  until: string
}

const absenceShape = shape({
  id: 'text',
  user_id: 'text',
  substitute_id: 'text',
  from_date: 'text',
  until_date: 'text',
})
const toAbsence = (row: Readonly<Record<string, unknown>>): AbsenceRecord => {
  const r = absenceShape(row)
  return {
    id: r.id,
    userId: r.user_id,
    substituteId: r.substitute_id,
    from: r.from_date,
    until: r.until_date,
  }
}

/** The Vertretungen in force on `day` (rights: who stands in for whom today). */
export function absencesOn(db: ReadDb, day: string): AbsenceRecord[] {
  return all(
    db,
    sql`SELECT * FROM absences WHERE from_date <= ${day} AND until_date >= ${day}`,
    toAbsence,
  )
}

export function absenceById(db: ReadDb, id: string): AbsenceRecord | undefined {
  return get(db, sql`SELECT * FROM absences WHERE id = ${id}`, toAbsence)
}

const userShape = shape({ user_id: 'text' })
/** Who is absent on `day`. */
export function absentOn(db: ReadDb, day: string): string[] {
  return all(
    db,
    sql`SELECT user_id FROM absences WHERE from_date <= ${day} AND until_date >= ${day}`,
    (r) => userShape(r).user_id,
  )
}

/** Absences not over before `day`, earliest first. */
export function absencesUntilOrAfter(db: ReadDb, day: string): AbsenceRecord[] {
  return all(
    db,
    sql`SELECT * FROM absences WHERE until_date >= ${day} ORDER BY from_date`,
    toAbsence,
  )
}

export function insertAbsence(
  db: WriteDb,
  a: AbsenceRecord & { createdBy: string; createdAt: string },
): void {
  run(
    db,
    sql`INSERT INTO absences (id, user_id, substitute_id, from_date, until_date, created_by, created_at) VALUES (${a.id}, ${a.userId}, ${a.substituteId}, ${a.from}, ${a.until}, ${a.createdBy}, ${a.createdAt})`,
  )
}

export function deleteAbsence(db: WriteDb, id: string): void {
  run(db, sql`DELETE FROM absences WHERE id = ${id}`)
}

/** Every Vertretung this desk knows, past ones included (office sync compares them with the hub's). */
export function allAbsences(db: ReadDb): (AbsenceRecord & { createdBy: string })[] {
  return all(db, sql`SELECT * FROM absences ORDER BY id`, (row) => ({
    ...toAbsence(row),
    createdBy: createdByShape(row).created_by,
  }))
}
const createdByShape = shape({ created_by: 'text' })

/** The office's version of a Vertretung (idempotent by id). */
export function upsertAbsence(
  db: WriteDb,
  a: AbsenceRecord & { createdBy: string; createdAt: string },
): void {
  run(
    db,
    sql`INSERT INTO absences (id, user_id, substitute_id, from_date, until_date, created_by, created_at)
        VALUES (${a.id}, ${a.userId}, ${a.substituteId}, ${a.from}, ${a.until}, ${a.createdBy}, ${a.createdAt})
        ON CONFLICT (id) DO UPDATE SET user_id = excluded.user_id, substitute_id = excluded.substitute_id,
          from_date = excluded.from_date, until_date = excluded.until_date, created_by = excluded.created_by`,
  )
}
