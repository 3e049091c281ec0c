/**
 * Cases that come from the office: registered by another desk (change feed) or adopted when
 * two desks registered the same submission (the later desk retires its own copy).
 */
import { getCase, insertCase } from '../../../db/repositories/cases'
import { insertOfficeDocument, insertOfficeNote } from '../../../db/repositories/changes'
import { appendHistory } from '../../../db/repositories/history'
import {
  caseWithAktenzeichen,
  moveNotes,
  queueBlobFetch,
  retireCase,
  setCaseAktenzeichen,
} from '../../../db/repositories/officeSync'
import {
  moveOpenMutations,
  pendingMutationsOf,
  setRegistrationAktenzeichen,
  supersedeRegistration,
} from '../../../db/repositories/outbox'
import { moveSubmissions } from '../../../db/repositories/submissions'
import type { CaseSnapshot } from '../../hub-client'
import type { AppContext } from '../../core/context'
import { allocateAktenzeichen } from '../../core/numbering'
import { reindexCase } from '../cases/search'
import { fieldEffects, learnOfficeValues, refreshSyncState, showFieldValues } from './officeState'

type Snapshot = Omit<CaseSnapshot, 'notes'> & { notes?: CaseSnapshot['notes'] }

/** Inserts (or completes) a case as the office knows it. Call inside a transaction. */
export function insertOfficeCase(ctx: AppContext, snap: Snapshot, by: string, at: string): void {
  const db = ctx.db
  if (!getCase(db, snap.caseId)) {
    const holder = caseWithAktenzeichen(db, snap.aktenzeichen, snap.caseId)
    if (holder) renumberLocalCase(ctx, holder, at)
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
    appendHistory(db, {
      caseId: snap.caseId,
      at,
      actor: by,
      action: 'Registriert (Büro)',
      detail: `Aktenzeichen ${snap.aktenzeichen}, von einem anderen Arbeitsplatz`,
    })
  }
  for (const d of snap.documents) {
    insertOfficeDocument(db, { ...d, caseId: snap.caseId })
    if (!ctx.blobs.has(d.sha256)) queueBlobFetch(db, d.sha256)
  }
  for (const n of snap.notes ?? [])
    insertOfficeNote(db, {
      id: n.noteId,
      caseId: snap.caseId,
      kind: n.kind,
      author: n.author,
      text: n.text,
      createdAt: n.createdAt,
    })
  learnOfficeValues(
    db,
    snap.caseId,
    { status: snap.status, assignee: snap.assignee, follow_up: snap.followUp },
    snap.version,
  )
  refreshSyncState(db, snap.caseId)
  reindexCase(db, snap.caseId)
}

/**
 * The office already has a case for this submission: take it over and retire the local copy.
 * The copy stays (history is append-only) but is hidden, its unused Aktenzeichen is a gap, its
 * pending changes move to the office's case. Call inside a transaction.
 */
export function adoptOfficeCase(
  ctx: AppContext,
  localId: string,
  snap: Snapshot,
  at: string,
): void {
  const db = ctx.db
  const local = getCase(db, localId)
  if (!local || localId === snap.caseId) return
  retireCase(db, localId, snap.caseId, at)
  appendHistory(db, {
    caseId: localId,
    at,
    actor: 'system',
    action: 'Zusammengeführt',
    detail: `Die Einreichung wurde bereits an einem anderen Arbeitsplatz als ${snap.aktenzeichen} registriert; dieser Vorgang wird dort geführt. ${local.aktenzeichen} bleibt unbenutzt.`,
  })
  insertOfficeCase(ctx, snap, 'system', at)
  appendHistory(db, {
    caseId: snap.caseId,
    at,
    actor: 'system',
    action: 'Übernommen',
    detail: `Doppelte Erfassung ${local.aktenzeichen} dieses Arbeitsplatzes zusammengeführt`,
  })
  // the local registration is superseded; later local changes follow the office's case
  supersedeRegistration(
    db,
    localId,
    JSON.stringify({ status: 'adopted', adoptedInto: snap.caseId }),
    at,
  )
  moveOpenMutations(db, localId, snap.caseId)
  moveNotes(db, localId, snap.caseId)
  moveSubmissions(db, localId, snap.caseId)
  // keep the clerk's own pending changes visible on the adopted case
  for (const p of pendingMutationsOf(db, snap.caseId))
    showFieldValues(
      db,
      snap.caseId,
      fieldEffects(p.type, JSON.parse(p.payload) as Record<string, unknown>),
    )
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
  setCaseAktenzeichen(db, caseId, next, at)
  setRegistrationAktenzeichen(db, caseId, next)
  appendHistory(db, {
    caseId,
    at,
    actor: 'system',
    action: 'Aktenzeichen geändert',
    detail: `${c.aktenzeichen} → ${next}: die Nummer war im Büro bereits vergeben`,
  })
  reindexCase(db, caseId)
  return next
}
