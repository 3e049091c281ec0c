import { APP_VERSION } from '../../core/version'
import { secureDir } from '../../core/secureFs'
import { join } from 'node:path'
import {
  archiveTransfers,
  confirmArchiveTransfer,
  disposalCandidates,
  insertArchiveTransfer,
  markArchived,
  markReopened,
  unarchivedCaseId,
} from '../../../db/repositories/archive'
import {
  archiveStateOf,
  closeCaseRecord,
  getCase,
  recordsDisposalOf,
  type ArchivalValue,
} from '../../../db/repositories/cases'
import { clearNoticeDocument } from '../../../db/repositories/decisions'
import type { DisposalRow } from '../../../preload/contract/index'
import {
  contentInUse,
  deleteDocumentsOf,
  documentHashesOf,
  documentsOf,
} from '../../../db/repositories/documents'
import { deleteNotesOf } from '../../../db/repositories/notes'
import { shredSubmissionsOf } from '../../../db/repositories/submissions'
import { appendHistory, historyOf } from '../../../db/repositories/history'
import { ApiFailure, notFound } from '../../core/errors'
import type { ArchiveExportInput } from '../../lib/xdomea'

// xdomea (xmlbuilder2, fflate) loads with the first archive action, not with the app (cold start)
const archive = () => import('../../lib/xdomea')
import { recordAction } from '../casework/actions'
import { today } from '../cases/service'
import type { AppContext, ReadContext } from '../../core/context'
import { getDecision } from '../decisions/service'

const archivalLabel: Record<ArchivalValue, string> = {
  archivwürdig: 'archivwürdig',
  prüfen: 'bewerten',
  vernichten: 'vernichten',
}

/** The file plan's proposal for the zdA dialog, and what was decided once the case is closed. */
export function closingView(ctx: AppContext, id: string) {
  const c = getCase(ctx.db, id)
  if (!c) throw notFound('Der Vorgang')
  const p = ctx.procedures.byId(c.procedureId)
  const stored = c.status === 'abgeschlossen' ? (recordsDisposalOf(ctx.db, id) ?? null) : null
  return {
    fileCode: p?.fileCode ?? '',
    fileTitle: p?.fileTitle ?? '',
    proposedRetentionYears: p?.retentionYears ?? 10,
    proposedArchivalValue: p?.disposal ?? 'prüfen',
    closed: stored,
  }
}

/**
 * zdA: from versandt (or a decided Einstellung). The retention period starts; retention years and
 * archival value are the file plan's unless the Registratur chose others; a Registraturvermerk is
 * kept with the case and in the Verlauf (and so in the xdomea export's history).
 */
export async function closeCase(
  ctx: AppContext,
  id: string,
  choice: {
    retentionYears?: number | undefined
    archivalValue?: ArchivalValue | undefined
    note?: string | undefined
  } = {},
) {
  const c = getCase(ctx.db, id)
  if (!c) throw notFound('Der Vorgang')
  const d = getDecision(ctx.db, id)
  const closable =
    c.status === 'versandt' || (c.status === 'entschieden' && d?.outcome === 'eingestellt')
  if (!closable)
    throw new ApiFailure(
      'invalid_transition',
      'Zu den Akten verfügt werden kann ein Vorgang nach dem Versand des Bescheids oder nach einer Einstellung.',
    )
  const procedure = ctx.procedures.byId(c.procedureId)
  const closedAt = ctx.clock.now().toISOString()
  const years = choice.retentionYears ?? procedure?.retentionYears ?? 10
  const archivalValue = choice.archivalValue ?? procedure?.disposal ?? 'prüfen'
  const note = choice.note?.trim() || null
  const end = (await archive()).retentionEnd(closedAt, years)
  const detail = [
    `Aufbewahrung bis ${end.split('-').reverse().join('.')} (${years} Jahre, ${procedure?.fileCode ?? ''} ${procedure?.fileTitle ?? ''})`,
    `Archivwert: ${archivalLabel[archivalValue]}`,
    ...(note ? [`Registraturvermerk: ${note}`] : []),
  ].join('; ')
  return recordAction(ctx, {
    caseId: id,
    type: 'case.close',
    payload: {
      closedAt,
      retentionEnd: end,
      retentionYears: years,
      archivalValue,
      ...(note ? { note } : {}),
    },
    history: { action: 'zdA verfügt', detail },
    apply: () =>
      closeCaseRecord(ctx.db, id, {
        closedAt,
        retentionEnd: end,
        retentionYears: years,
        archivalValue,
        recordsNote: note,
      }),
  })
}

/** The records manager reopens a closed case, with a reason (the rights gate: records only). */
export function reopenCase(ctx: AppContext, id: string, reason: string) {
  const c = getCase(ctx.db, id)
  if (!c) throw notFound('Der Vorgang')
  if (c.status !== 'abgeschlossen')
    throw new ApiFailure('invalid_transition', 'Der Vorgang ist nicht abgeschlossen.')
  if (archiveStateOf(ctx.db, id)?.archivedAt)
    throw new ApiFailure('invalid_transition', 'Der Vorgang wurde an das Archiv abgegeben.')
  return recordAction(ctx, {
    caseId: id,
    type: 'case.reopen',
    payload: { reason },
    history: { action: 'Wieder geöffnet', detail: reason },
    apply: () => markReopened(ctx.db, id),
  })
}

/** Aussonderung: closed cases whose retention has ended, with the file plan's disposal proposal. */
export function disposalList(ctx: ReadContext): DisposalRow[] {
  return disposalCandidates(ctx.db, today(ctx)).map((r) => {
    const p = ctx.procedures.byId(r.procedureId)
    const stored = recordsDisposalOf(ctx.db, r.id)
    return {
      id: r.id,
      aktenzeichen: r.aktenzeichen,
      subject: r.subject,
      procedureName: p?.name ?? r.procedureId,
      fileCode: p?.fileCode ?? '',
      closedAt: r.closedAt,
      retentionEnd: r.retentionEnd,
      disposal: stored?.archivalValue ?? p?.disposal ?? 'prüfen',
      transferred: r.transferred,
    }
  })
}

/**
 * xdomea 3.0.0 export of the selected cases: the offer list (0501) and the Aussonderung (0503)
 * with every document, written to the data folder's exports/ and returned for download.
 */
export async function exportForArchive(ctx: AppContext, ids: string[]) {
  // the rights gate lets only the records manager in (archive/handler.ts)
  const { buildAnbieteverzeichnis0501, buildAussonderung0503 } = await archive()
  const due = new Map(disposalList(ctx).map((r) => [r.id, r]))
  const a = ctx.procedures.authority
  const input: ArchiveExportInput = {
    prozessId: ctx.newId(),
    createdAt: ctx.clock.now().toISOString(),
    sender: {
      name: a.name,
      department: a.department,
      street: a.street,
      postalCode: a.postalCode,
      city: a.city,
    },
    receiver: { name: a.archive },
    system: { product: 'Aktenfluss', version: APP_VERSION },
    cases: ids.map((id) => {
      const row = due.get(id)
      const c = getCase(ctx.db, id)
      if (!row || !c)
        throw new ApiFailure(
          'invalid_input',
          'Nur abgeschlossene Vorgänge mit abgelaufener Aufbewahrungsfrist können ausgesondert werden.',
        )
      const p = ctx.procedures.byId(c.procedureId)
      const noticeId = getDecision(ctx.db, id)?.noticeDocument
      return {
        id: c.id,
        aktenzeichen: c.aktenzeichen,
        betreff: c.subject,
        fileCode: p?.fileCode ?? row.fileCode,
        fileTitle: p?.fileTitle ?? row.procedureName,
        retentionYears: recordsDisposalOf(ctx.db, id)?.retentionYears ?? p?.retentionYears ?? 10,
        disposal: recordsDisposalOf(ctx.db, id)?.archivalValue ?? p?.disposal ?? 'prüfen',
        openedAt: c.receivedAt,
        closedAt: row.closedAt,
        history: historyOf(ctx.db, id).map((h) => ({
          at: h.at,
          actor: ctx.userName(h.actor) ?? h.actor,
          action: h.action,
          ...(h.detail ? { text: h.detail } : {}),
        })),
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
  secureDir(dir)
  ctx.files.write(join(dir, offer.zipFileName), offer.zip)
  ctx.files.write(join(dir, transfer.fileName), transfer.zip)
  const me = ctx.currentUser()
  const at = ctx.clock.now().toISOString()
  ctx.db.transaction(() => {
    insertArchiveTransfer(ctx.db, {
      prozessId: input.prozessId,
      createdAt: at,
      createdBy: me.userId,
      caseIds: ids,
      file0501: offer.zipFileName,
      file0503: transfer.fileName,
    })
    for (const id of ids)
      appendHistory(ctx.db, {
        caseId: id,
        at,
        actor: me.userId,
        action: 'Zur Aussonderung angeboten',
        detail: `xdomea 0501/0503, Prozess ${input.prozessId}`,
      })
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
  const transfers = archiveTransfers(ctx.db)
  let receipt
  try {
    receipt = parseArchiveReceipt(xml)
  } catch (err) {
    throw new ApiFailure(
      'invalid_input',
      `Die Empfangsbestätigung ist ungültig: ${err instanceof Error ? err.message : String(err)}`,
    )
  }
  const transfer = transfers.find(
    (t) => t.prozessId.toLowerCase() === receipt.prozessId.toLowerCase(),
  )
  if (!transfer)
    throw new ApiFailure(
      'not_found',
      `Zur Prozess-ID ${receipt.prozessId} gibt es keine Abgabe aus diesem Arbeitsplatz.`,
    )
  if (receipt.messageType !== '0506')
    return {
      messageType: receipt.messageType,
      deleted: 0,
      failed: receipt.failed.length,
      note: 'Diese Nachricht bestätigt nur den Empfang; gelöscht wird erst nach der Übernahmebestätigung (0506).',
    }
  const offered = new Set(transfer.caseIds.map((x) => x.toLowerCase()))
  const confirmed = receipt.confirmedCaseIds.filter((id) => offered.has(id.toLowerCase()))
  const me = ctx.currentUser()
  const at = ctx.clock.now().toISOString()
  let deleted = 0
  const freed: string[] = []
  ctx.db.transaction(() => {
    for (const raw of confirmed) {
      const caseId = unarchivedCaseId(ctx.db, raw)
      if (!caseId) continue
      clearNoticeDocument(ctx.db, caseId)
      freed.push(...documentHashesOf(ctx.db, caseId))
      deleteDocumentsOf(ctx.db, caseId)
      deleteNotesOf(ctx.db, caseId)
      freed.push(...shredSubmissionsOf(ctx.db, caseId))
      markArchived(ctx.db, caseId, at)
      appendHistory(ctx.db, {
        caseId,
        at,
        actor: me.userId,
        action: 'An das Archiv abgegeben',
        detail: `Übernahme bestätigt (0506, Prozess ${receipt.prozessId}${receipt.archiveIds[raw] ? `, Archivkennung ${receipt.archiveIds[raw]}` : ''}); Inhalte gelöscht`,
      })
      deleted++
    }
    confirmArchiveTransfer(ctx.db, transfer.prozessId, at)
  })()
  // contents shared with no remaining document are removed after the commit: their keys are
  // destroyed (crypto-shredding), so no backup copy of the files stays readable; the export
  // packages of a fully confirmed transfer go too
  for (const sha of new Set(freed)) if (!contentInUse(ctx.db, sha)) ctx.blobs.remove(sha)
  if (deleted > 0 && confirmed.length === offered.size)
    for (const f of [transfer.file0501, transfer.file0503])
      ctx.files.remove(join(ctx.dataDir, 'exports', f))
  ctx.db.pragma('wal_checkpoint(TRUNCATE)') // the deleted rows leave the WAL as well
  return {
    messageType: receipt.messageType,
    deleted,
    failed: receipt.failed.length,
    note: `${deleted === 1 ? '1 Vorgang' : `${deleted} Vorgänge`} an das Archiv abgegeben und gelöscht.`,
  }
}
