import type { DocumentMeta } from '../domain'
import type { Db } from '../open'

export type { DocumentMeta } from '../domain'


interface DocumentRow {
  id: string
  case_id: string
  kind: string
  title: string
  filename: string
  mime_type: string
  size: number
  sha256: string
  created_at: string
}

const toMeta = (r: DocumentRow): DocumentMeta => ({
  id: r.id,
  caseId: r.case_id,
  kind: r.kind,
  title: r.title,
  filename: r.filename,
  mimeType: r.mime_type,
  size: r.size,
  sha256: r.sha256,
  createdAt: r.created_at,
})

export function insertDocument(db: Db, d: DocumentMeta): void {
  db.prepare(
    `INSERT INTO documents (id, case_id, kind, title, filename, mime_type, size, sha256, created_at)
     VALUES (@id, @caseId, @kind, @title, @filename, @mimeType, @size, @sha256, @createdAt)`,
  ).run(d)
}

export function documentsOf(db: Db, caseId: string): DocumentMeta[] {
  return (
    db.prepare('SELECT * FROM documents WHERE case_id = ? ORDER BY created_at, id').all(caseId) as DocumentRow[]
  ).map(toMeta)
}

export function getDocument(db: Db, id: string): DocumentMeta | undefined {
  const r = db.prepare('SELECT * FROM documents WHERE id = ?').get(id) as DocumentRow | undefined
  return r ? toMeta(r) : undefined
}
