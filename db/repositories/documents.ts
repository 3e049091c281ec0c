import type { DocumentMeta } from '../domain'
import { all, get, run, shape, sql, type ReadDb, type Row, type WriteDb } from '../sql'

export type { DocumentMeta } from '../domain'

const documentShape = shape({
  id: 'text',
  case_id: 'text',
  kind: 'text',
  title: 'text',
  filename: 'text',
  mime_type: 'text',
  size: 'int',
  sha256: 'text',
  created_at: 'text',
})

const toMeta = (row: Row): DocumentMeta => {
  const r = documentShape(row)
  return {
    id: r.id,
    caseId: r.case_id,
    kind: r.kind,
    title: r.title,
    filename: r.filename,
    mimeType: r.mime_type,
    size: r.size,
    sha256: r.sha256,
    createdAt: r.created_at,
  }
}

export function insertDocument(db: WriteDb, d: DocumentMeta): void {
  run(
    db,
    sql`INSERT INTO documents (id, case_id, kind, title, filename, mime_type, size, sha256, created_at)
     VALUES (${d.id}, ${d.caseId}, ${d.kind}, ${d.title}, ${d.filename}, ${d.mimeType}, ${d.size}, ${d.sha256}, ${d.createdAt})`,
  )
}

export function documentsOf(db: ReadDb, caseId: string): DocumentMeta[] {
  return all(
    db,
    sql`SELECT * FROM documents WHERE case_id = ${caseId} ORDER BY created_at, id`,
    toMeta,
  )
}

export function getDocument(db: ReadDb, id: string): DocumentMeta | undefined {
  return get(db, sql`SELECT * FROM documents WHERE id = ${id}`, toMeta)
}

const searchTextShape = shape({ title: 'text', filename: 'text' })
/** Title and file name of each document of a case (the search text). */
export function documentTextsOf(db: ReadDb, caseId: string): { title: string; filename: string }[] {
  return all(
    db,
    sql`SELECT title, filename FROM documents WHERE case_id = ${caseId}`,
    searchTextShape,
  )
}

const shaShape = shape({ sha256: 'text' })
/** Content hashes of a case's documents (blobs to free after deleting them). */
export function documentHashesOf(db: ReadDb, caseId: string): string[] {
  return all(
    db,
    sql`SELECT sha256 FROM documents WHERE case_id = ${caseId}`,
    (r) => shaShape(r).sha256,
  )
}

export function deleteDocumentsOf(db: WriteDb, caseId: string): void {
  run(db, sql`DELETE FROM documents WHERE case_id = ${caseId}`)
}

/** Whether any document still refers to this content (then its blob stays). */
export function contentInUse(db: ReadDb, sha256: string): boolean {
  return get(db, sql`SELECT 1 AS one FROM documents WHERE sha256 = ${sha256}`, () => true) ?? false
}
