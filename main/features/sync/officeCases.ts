/**
 * Cases that come from the office: registered by another desk (change feed) or adopted when
 * two desks registered the same submission (the later desk retires its own copy).
 */
import { getCase, insertCase } from '../../../db/repositories/cases'
import { appendHistory } from '../../../db/repositories/history'
import type { CaseSnapshot } from '../../hub-client'
import type { AppContext } from '../../core/context'
import { allocateAktenzeichen } from '../../core/numbering'
import { reindexCase } from '../cases/search'
import { fieldEffects, learnOfficeValues, refreshSyncState } from './officeState'

type Snapshot = Omit<CaseSnapshot, 'notes'> & { notes?: CaseSnapshot['notes'] }

/** Inserts (or completes) a case as the office knows it. Call inside a transaction. */
export function insertOfficeCase(ctx: AppContext, snap: Snapshot, by: string, at: string): void {
  const db = ctx.db
  if (!getCase(db, snap.caseId)) {
    const holder = db.prepare('SELECT id FROM cases WHERE aktenzeichen = ? AND id <> ?').get(snap.aktenzeichen, snap.caseId) as { id: string } | undefined
    if (holder) renumberLocalCase(ctx, holder.id, at)
    insertCase(db, {
      id: snap.caseId,
      aktenzeichen: snap.aktenzeichen,
      procedureId: snap.procedureId,
      subject: snap.subject,
      applicantName: snap.applicantName,
      applicantAddress: snap.applicantAddress,
      receivedAt: snap.receivedAt,
      deadline: snap.deadline,
      channel: snap.channel,
      submissionId: snap.submissionId,
      formData: snap.formData ?? {},
      updatedAt: at,
    })
    appendHistory(db, { caseId: snap.caseId, at, actor: by, action: 'Registriert (Büro)', detail: `Aktenzeichen ${snap.aktenzeichen}, von einem anderen Arbeitsplatz` })
  }
  const insDoc = db.prepare(
    `INSERT OR IGNORE INTO documents (id, case_id, kind, title, filename, mime_type, size, sha256, created_at)
     VALUES (@id, @caseId, @kind, @title, @filename, @mimeType, @size, @sha256, @createdAt)`,
  )
  const fetchBlob = db.prepare('INSERT OR IGNORE INTO blob_fetches (sha256) VALUES (?)')
  for (const d of snap.documents) {
    insDoc.run({ ...d, caseId: snap.caseId })
    if (!ctx.blobs.has(d.sha256)) fetchBlob.run(d.sha256)
  }
  const insNote = db.prepare('INSERT OR IGNORE INTO notes (id, case_id, kind, author, text, created_at) VALUES (?, ?, ?, ?, ?, ?)')
  for (const n of snap.notes ?? []) insNote.run(n.noteId, snap.caseId, n.kind, n.author, n.text, n.createdAt)
  learnOfficeValues(db, snap.caseId, { status: snap.status, assignee: snap.assignee, follow_up: snap.followUp }, snap.version)
  refreshSyncState(db, snap.caseId)
  reindexCase(db, snap.caseId)
}

/**
 * The office already has a case for this submission: take it over and retire the local copy.
 * The copy stays (history is append-only) but is hidden, its unused Aktenzeichen is a gap, its
 * pending changes move to the office's case. Call inside a transaction.
 */
export function adoptOfficeCase(ctx: AppContext, localId: string, snap: Snapshot, at: string): void {
  const db = ctx.db
  const local = getCase(db, localId)
  if (!local || localId === snap.caseId) return
  const rowid = (db.prepare('SELECT rowid FROM cases WHERE id = ?').get(localId) as { rowid: number }).rowid
  db.prepare("UPDATE cases SET submission_id = NULL, retired_into = ?, sync_state = 'retired', updated_at = ? WHERE id = ?").run(snap.caseId, at, localId)
  db.prepare('DELETE FROM case_fts WHERE rowid = ?').run(rowid)
  appendHistory(db, {
    caseId: localId,
    at,
    actor: 'system',
    action: 'Zusammengeführt',
    detail: `Die Einreichung wurde bereits an einem anderen Arbeitsplatz als ${snap.aktenzeichen} registriert; dieser Vorgang wird dort geführt. ${local.aktenzeichen} bleibt unbenutzt.`,
  })
  insertOfficeCase(ctx, snap, 'system', at)
  appendHistory(db, { caseId: snap.caseId, at, actor: 'system', action: 'Übernommen', detail: `Doppelte Erfassung ${local.aktenzeichen} dieses Arbeitsplatzes zusammengeführt` })
  // the local registration is superseded; later local changes follow the office's case
  db.prepare(
    `UPDATE outbox SET state = 'sent', result = ?, sent_at = ? WHERE case_id = ? AND type = 'case.register' AND state IN ('pending','conflict','rejected')`,
  ).run(JSON.stringify({ status: 'adopted', adoptedInto: snap.caseId }), at, localId)
  db.prepare("UPDATE outbox SET case_id = ? WHERE case_id = ? AND state IN ('pending','conflict','rejected')").run(snap.caseId, localId)
  db.prepare('UPDATE notes SET case_id = ? WHERE case_id = ?').run(snap.caseId, localId)
  db.prepare('UPDATE submissions SET case_id = ? WHERE case_id = ?').run(snap.caseId, localId)
  // keep the clerk's own pending changes visible on the adopted case
  const pending = db.prepare("SELECT type, payload FROM outbox WHERE case_id = ? AND state = 'pending' ORDER BY seq").all(snap.caseId) as { type: string; payload: string }[]
  for (const p of pending) {
    const eff = fieldEffects(p.type, JSON.parse(p.payload) as Record<string, unknown>)
    for (const [f, v] of Object.entries(eff)) db.prepare(`UPDATE cases SET ${f} = ? WHERE id = ?`).run(v, snap.caseId)
  }
  refreshSyncState(db, snap.caseId)
  reindexCase(db, snap.caseId)
}

/**
 * A case not yet registered at the hub whose Aktenzeichen (from the local sequence, taken while
 * no lease was left) the office gave to another case: it gets a fresh number. Returns it.
 */
export function renumberLocalCase(ctx: AppContext, caseId: string, at: string): string | undefined {
  const db = ctx.db
  const c = getCase(db, caseId)
  if (!c) return undefined
  const procedure = ctx.procedures.byId(c.procedureId)
  const m = /^(.+)-(\d{4})-\d+$/.exec(c.aktenzeichen)
  const fileCode = procedure?.fileCode ?? m?.[1]
  if (!fileCode || !m?.[2]) return undefined
  const next = allocateAktenzeichen(db, fileCode, Number(m[2]), at)
  db.prepare('UPDATE cases SET aktenzeichen = ?, updated_at = ? WHERE id = ?').run(next, at, caseId)
  db.prepare(
    `UPDATE outbox SET payload = json_set(payload, '$.aktenzeichen', ?) WHERE case_id = ? AND type = 'case.register' AND state IN ('pending','rejected')`,
  ).run(next, caseId)
  appendHistory(db, { caseId, at, actor: 'system', action: 'Aktenzeichen geändert', detail: `${c.aktenzeichen} → ${next}: die Nummer war im Büro bereits vergeben` })
  reindexCase(db, caseId)
  return next
}
