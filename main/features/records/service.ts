import { APP_VERSION } from '../../core/version'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { getCase } from '../../../db/repositories/cases'
import type { DisposalRow } from '../../../preload/contract/index'
import { documentsOf } from '../../../db/repositories/documents'
import { appendHistory, historyOf } from '../../../db/repositories/history'
import { ApiFailure, notFound } from '../../core/errors'
import type { ArchiveExportInput } from '../../lib/xdomea'

// xdomea (xmlbuilder2, fflate) loads with the first archive action, not with the app (cold start)
const archive = () => import('../../lib/xdomea')
import { recordAction } from '../casework/actions'
import { today } from '../cases/service'
import type { AppContext } from '../../core/context'
import { getDecision } from '../decisions/service'

/** zdA: from versandt (or a decided Einstellung); the file plan's retention period starts. */
export async function closeCase(ctx: AppContext, id: string) {
  const c = getCase(ctx.db, id)
  if (!c) throw notFound('Der Vorgang')
  const d = getDecision(ctx.db, id)
  const closable = c.status === 'versandt' || (c.status === 'entschieden' && d?.outcome === 'eingestellt')
  if (!closable) throw new ApiFailure('invalid_transition', 'Zu den Akten verfügt werden kann ein Vorgang nach dem Versand des Bescheids oder nach einer Einstellung.')
  const me = ctx.currentUser()
  if (me.role === 'readonly') throw new ApiFailure('forbidden', 'Keine Berechtigung.')
  const procedure = ctx.procedures.byId(c.procedureId)
  const closedAt = ctx.clock.now().toISOString()
  const end = (await archive()).retentionEnd(closedAt, procedure?.retentionYears ?? 10)
  return recordAction(ctx, {
    caseId: id,
    type: 'case.close',
    payload: { closedAt, retentionEnd: end },
    history: { action: 'zdA verfügt', detail: `Aufbewahrung bis ${end.split('-').reverse().join('.')} (${procedure?.retentionYears ?? 10} Jahre, ${procedure?.fileCode ?? ''} ${procedure?.fileTitle ?? ''})` },
    apply: () => ctx.db.prepare("UPDATE cases SET status = 'abgeschlossen', closed_at = ?, retention_end = ? WHERE id = ?").run(closedAt, end, id),
  })
}

/** Only the records manager may reopen a closed case, with a reason. */
export function reopenCase(ctx: AppContext, id: string, reason: string) {
  const c = getCase(ctx.db, id)
  if (!c) throw notFound('Der Vorgang')
  if (ctx.currentUser().role !== 'records') throw new ApiFailure('forbidden', 'Nur die Registratur darf abgeschlossene Vorgänge wieder öffnen.')
  if (c.status !== 'abgeschlossen') throw new ApiFailure('invalid_transition', 'Der Vorgang ist nicht abgeschlossen.')
  const archived = (ctx.db.prepare('SELECT archived_at FROM cases WHERE id = ?').get(id) as { archived_at: string | null }).archived_at
  if (archived) throw new ApiFailure('invalid_transition', 'Der Vorgang wurde an das Archiv abgegeben.')
  return recordAction(ctx, {
    caseId: id,
    type: 'case.reopen',
    payload: { reason },
    history: { action: 'Wieder geöffnet', detail: reason },
    apply: () => ctx.db.prepare("UPDATE cases SET status = 'versandt', closed_at = NULL, retention_end = NULL WHERE id = ?").run(id),
  })
}


/** Aussonderung: closed cases whose retention has ended, with the file plan's disposal proposal. */
export function disposalList(ctx: AppContext): DisposalRow[] {
  const rows = ctx.db
    .prepare(
      `SELECT id, aktenzeichen, subject, procedure_id, closed_at, retention_end,
        EXISTS (SELECT 1 FROM archive_transfers t, json_each(t.case_ids) j WHERE j.value = cases.id) AS transferred
       FROM cases WHERE status = 'abgeschlossen' AND archived_at IS NULL AND retention_end IS NOT NULL AND retention_end < ?
       ORDER BY retention_end, aktenzeichen`,
    )
    .all(today(ctx)) as { id: string; aktenzeichen: string; subject: string; procedure_id: string; closed_at: string; retention_end: string; transferred: number }[]
  return rows.map((r) => {
    const p = ctx.procedures.byId(r.procedure_id)
    return {
      id: r.id,
      aktenzeichen: r.aktenzeichen,
      subject: r.subject,
      procedureName: p?.name ?? r.procedure_id,
      fileCode: p?.fileCode ?? '',
      closedAt: r.closed_at,
      retentionEnd: r.retention_end,
      disposal: p?.disposal ?? 'prüfen',
      transferred: r.transferred === 1,
    }
  })
}

const requireRecords = (ctx: AppContext) => {
  if (ctx.currentUser().role !== 'records') throw new ApiFailure('forbidden', 'Die Aussonderung ist der Registratur vorbehalten.')
}

/**
 * xdomea 3.0.0 export of the selected cases: the offer list (0501) and the Aussonderung (0503)
 * with every document, written to the data folder's exports/ and returned for download.
 */
export async function exportForArchive(ctx: AppContext, ids: string[]) {
  const { buildAnbieteverzeichnis0501, buildAussonderung0503 } = await archive()
  requireRecords(ctx)
  const due = new Map(disposalList(ctx).map((r) => [r.id, r]))
  const a = ctx.procedures.authority
  const input: ArchiveExportInput = {
    prozessId: ctx.newId(),
    createdAt: ctx.clock.now().toISOString(),
    sender: { name: a.name, department: a.department, street: a.street, postalCode: a.postalCode, city: a.city },
    receiver: { name: 'Stadtarchiv Görlitz' },
    system: { product: 'Aktenfluss', version: APP_VERSION },
    cases: ids.map((id) => {
      const row = due.get(id)
      const c = getCase(ctx.db, id)
      if (!row || !c) throw new ApiFailure('invalid_input', 'Nur abgeschlossene Vorgänge mit abgelaufener Aufbewahrungsfrist können ausgesondert werden.')
      const p = ctx.procedures.byId(c.procedureId)
      const noticeId = getDecision(ctx.db, id)?.noticeDocument
      return {
        id: c.id,
        aktenzeichen: c.aktenzeichen,
        betreff: c.subject,
        fileCode: p?.fileCode ?? row.fileCode,
        fileTitle: p?.fileTitle ?? row.procedureName,
        retentionYears: p?.retentionYears ?? 10,
        disposal: p?.disposal ?? 'prüfen',
        openedAt: c.receivedAt,
        closedAt: row.closedAt,
        history: historyOf(ctx.db, id).map((h) => ({ at: h.at, actor: ctx.userName(h.actor) ?? h.actor, action: h.action, ...(h.detail ? { text: h.detail } : {}) })),
        documents: documentsOf(ctx.db, id).map((d) => ({
          id: d.id,
          title: d.title,
          filename: d.filename,
          mimeType: d.mimeType,
          createdAt: d.createdAt,
          bytes: new Uint8Array(ctx.blobs.get(d.sha256)),
          ...(d.id === noticeId ? { signed: true } : {}),
        })),
      }
    }),
  }
  const offer = buildAnbieteverzeichnis0501(input)
  const transfer = buildAussonderung0503(input)
  const dir = join(ctx.dataDir, 'exports')
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, offer.zipFileName), offer.zip)
  writeFileSync(join(dir, transfer.fileName), transfer.zip)
  const me = ctx.currentUser()
  const at = ctx.clock.now().toISOString()
  ctx.db.transaction(() => {
    ctx.db
      .prepare('INSERT INTO archive_transfers (prozess_id, created_at, created_by, case_ids, file_0501, file_0503) VALUES (?, ?, ?, ?, ?, ?)')
      .run(input.prozessId, at, me.userId, JSON.stringify(ids), offer.zipFileName, transfer.fileName)
    for (const id of ids) appendHistory(ctx.db, { caseId: id, at, actor: me.userId, action: 'Zur Aussonderung angeboten', detail: `xdomea 0501/0503, Prozess ${input.prozessId}` })
  })()
  return {
    prozessId: input.prozessId,
    offer: { fileName: offer.zipFileName, base64: Buffer.from(offer.zip).toString('base64') },
    transfer: { fileName: transfer.fileName, base64: Buffer.from(transfer.zip).toString('base64') },
  }
}

/**
 * Imports the archive's confirmation (0506). Only the cases it confirms as imported lose their
 * contents; the case stub and its hash-chained history stay as proof of the transfer.
 */
export async function importArchiveReceipt(ctx: AppContext, xml: string) {
  const { parseArchiveReceipt } = await archive()
  requireRecords(ctx)
  const transfers = ctx.db.prepare('SELECT prozess_id, case_ids FROM archive_transfers').all() as { prozess_id: string; case_ids: string }[]
  let receipt
  try {
    receipt = parseArchiveReceipt(xml)
  } catch (err) {
    throw new ApiFailure('invalid_input', `Die Empfangsbestätigung ist ungültig: ${err instanceof Error ? err.message : String(err)}`)
  }
  const transfer = transfers.find((t) => t.prozess_id.toLowerCase() === receipt.prozessId.toLowerCase())
  if (!transfer) throw new ApiFailure('not_found', `Zur Prozess-ID ${receipt.prozessId} gibt es keine Abgabe aus diesem Arbeitsplatz.`)
  if (receipt.messageType !== '0506')
    return { messageType: receipt.messageType, deleted: 0, failed: receipt.failed.length, note: 'Diese Nachricht bestätigt nur den Empfang; gelöscht wird erst nach der Übernahmebestätigung (0506).' }
  const offered = new Set((JSON.parse(transfer.case_ids) as string[]).map((x) => x.toLowerCase()))
  const confirmed = receipt.confirmedCaseIds.filter((id) => offered.has(id.toLowerCase()))
  const me = ctx.currentUser()
  const at = ctx.clock.now().toISOString()
  let deleted = 0
  const freed: string[] = []
  ctx.db.transaction(() => {
    for (const raw of confirmed) {
      const c = ctx.db.prepare('SELECT id FROM cases WHERE lower(id) = lower(?) AND archived_at IS NULL').get(raw) as { id: string } | undefined
      if (!c) continue
      ctx.db.prepare('UPDATE decisions SET notice_document = NULL WHERE case_id = ?').run(c.id)
      freed.push(...(ctx.db.prepare('SELECT sha256 FROM documents WHERE case_id = ?').all(c.id) as { sha256: string }[]).map((r) => r.sha256))
      ctx.db.prepare('DELETE FROM documents WHERE case_id = ?').run(c.id)
      ctx.db.prepare('DELETE FROM notes WHERE case_id = ?').run(c.id)
      ctx.db.prepare("UPDATE cases SET archived_at = ?, form_data = '{}' WHERE id = ?").run(at, c.id)
      appendHistory(ctx.db, { caseId: c.id, at, actor: me.userId, action: 'An das Archiv abgegeben', detail: `Übernahme bestätigt (0506, Prozess ${receipt.prozessId}${receipt.archiveIds[raw] ? `, Archivkennung ${receipt.archiveIds[raw]}` : ''}); Inhalte gelöscht` })
      deleted++
    }
    ctx.db.prepare('UPDATE archive_transfers SET confirmed_at = ? WHERE prozess_id = ?').run(at, transfer.prozess_id)
  })()
  // contents shared with no remaining document are removed from disk after the commit
  for (const sha of new Set(freed)) if (!ctx.db.prepare('SELECT 1 FROM documents WHERE sha256 = ?').get(sha)) ctx.blobs.remove(sha)
  ctx.events.emit('changed', { tags: [{ type: 'CaseList' }, { type: 'Case' }] })
  return { messageType: receipt.messageType, deleted, failed: receipt.failed.length, note: `${deleted} Vorgänge an das Archiv abgegeben und gelöscht.` }
}
