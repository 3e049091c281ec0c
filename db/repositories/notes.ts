import type { Note } from '../domain'
import type { Db } from '../open'

export type { Note } from '../domain'


export function insertNote(db: Db, n: Note): void {
  db.prepare(
    'INSERT INTO notes (id, case_id, kind, author, text, created_at) VALUES (@id, @caseId, @kind, @author, @text, @createdAt)',
  ).run(n)
}

export function notesOf(db: Db, caseId: string): Note[] {
  return db
    .prepare(
      'SELECT id, case_id AS caseId, kind, author, text, created_at AS createdAt FROM notes WHERE case_id = ? ORDER BY created_at, id',
    )
    .all(caseId) as Note[]
}
