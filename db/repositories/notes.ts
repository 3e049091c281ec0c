import type { Note } from '../domain'
import { all, oneOf, run, shape, sql, type ReadDb, type WriteDb } from '../sql'

export type { Note } from '../domain'

export const NOTE_KINDS = ['note', 'phone'] as const

const noteShape = shape({
  id: 'text',
  caseId: 'text',
  kind: 'text',
  author: 'text',
  text: 'text',
  createdAt: 'text',
})

export function insertNote(db: WriteDb, n: Note): void {
  run(
    db,
    sql`INSERT INTO notes (id, case_id, kind, author, text, created_at) VALUES (${n.id}, ${n.caseId}, ${n.kind}, ${n.author}, ${n.text}, ${n.createdAt})`,
  )
}

export function notesOf(db: ReadDb, caseId: string): Note[] {
  return all(
    db,
    sql`SELECT id, case_id AS caseId, kind, author, text, created_at AS createdAt FROM notes WHERE case_id = ${caseId} ORDER BY created_at, id`,
    (row) => {
      const r = noteShape(row)
      return { ...r, kind: oneOf(NOTE_KINDS, r.kind, 'kind') }
    },
  )
}

const textShape = shape({ text: 'text' })
/** The texts of a case's notes (the search text). */
export function noteTextsOf(db: ReadDb, caseId: string): string[] {
  return all(db, sql`SELECT text FROM notes WHERE case_id = ${caseId}`, (r) => textShape(r).text)
}

export function deleteNotesOf(db: WriteDb, caseId: string): void {
  run(db, sql`DELETE FROM notes WHERE case_id = ${caseId}`)
}
