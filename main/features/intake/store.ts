// Stores an opened submission locally: a new case, a follow-up joining its case, or a rejection.
import { insertCase } from '../../../db/repositories/cases'
import { insertDocument } from '../../../db/repositories/documents'
import { appendHistory } from '../../../db/repositories/history'
import { appendIntakeLog, resumeAfterFollowUp } from '../../../db/repositories/intake'
import { caseVersion } from '../../../db/repositories/officeSync'
import { enqueueMutation } from '../../../db/repositories/outbox'
import {
  saveAcceptedSubmission,
  saveRejectedSubmission,
  openCaseOfSenderReference,
} from '../../../db/repositories/submissions'
import { durableTransaction } from '../../../db/sql'
import { openCaseOfHubCase, saveReplyChannel } from '../../../db/repositories/replies'
import { documentHashesOf } from '../../../db/repositories/documents'
import { getCase } from '../../../db/repositories/cases'
import { berlinDate } from '../../core/clock'
import type { AppContext } from '../../core/context'
import { statutoryDeadline } from '../../lib/deadlines'
import { allocateAktenzeichen } from '../../core/numbering'
import { reindexCase } from '../cases/search'
import type { OpenedAttachment, OpenFailure, OpenSuccess } from './openSubmission'
import type { RawSubmission } from './fetchOpen'

function applicantOf(data: unknown): { name: string; address: string } {
  const d = (data ?? {}) as Record<string, Record<string, unknown> | undefined>
  const a = d.antragsteller ?? d.firma ?? d.halter ?? d.betroffener ?? {}
  const str = (v: unknown) => (typeof v === 'string' ? v : '')
  const name =
    str(a.firmenname) ||
    str(a.name) ||
    [str(a.vorname), str(a.nachname)].filter(Boolean).join(' ') ||
    'Unbekannt'
  const street = [str(a.strasse), str(a.hausnummer)].filter(Boolean).join(' ')
  const city = [str(a.plz), str(a.ort)].filter(Boolean).join(' ')
  return { name, address: [street, city].filter(Boolean).join(', ') }
}

/** The attachment's blob: put now, or already put by the intake's sink (then it must be there). */
function blobOf(ctx: AppContext, a: OpenedAttachment): string {
  if (a.bytes) return ctx.blobs.put(a.bytes)
  if (!ctx.blobs.has(a.sha256))
    throw new Error(`Anlage ${a.filename}: Inhalt fehlt im Dokumentenspeicher`)
  return a.sha256
}

const senderReferenceOf = (opened: OpenSuccess): string | null =>
  opened.metadata.additionalReferenceInfo?.senderReference ?? null

/** Keeps the raw JWEs, the hub's case id and the tags for the accept SET (docs/hub-protocol.md: store before accepting). */
function insertAcceptedSubmission(
  ctx: AppContext,
  opened: OpenSuccess,
  raw: RawSubmission,
  caseId: string,
  at: string,
): void {
  saveAcceptedSubmission(ctx.db, {
    submissionId: opened.submissionId,
    hubCaseId: opened.caseId,
    destinationId: raw.destinationId,
    caseId,
    serviceIdentifier: raw.serviceIdentifier,
    encryptedMetadata: raw.encryptedMetadata,
    encryptedData: raw.encryptedData ?? '',
    attachments: JSON.stringify(raw.attachments),
    authTags: JSON.stringify(opened.authenticationTags),
    storedAt: at,
    senderReference: senderReferenceOf(opened),
  })
  if (opened.metadata.replyChannel)
    saveReplyChannel(ctx.db, opened.submissionId, opened.metadata.replyChannel)
}

/**
 * The open case a follow-up joins (issue #14.6): first by the FIT-Connect case reference
 * (`caseId`, Vorgangsreferenz) of an earlier submission; only as a fallback by the portal
 * reference (`senderReference`) of the same procedure, and then only for the same applicant —
 * a stranger who knows a reference opens a case of their own.
 */
export function followedUpCase(
  ctx: AppContext,
  opened: OpenSuccess,
): { id: string; status: string; aktenzeichen: string } | undefined {
  const byCase = openCaseOfHubCase(ctx.db, opened.caseId)
  if (byCase) return byCase
  const ref = senderReferenceOf(opened)
  if (!ref) return undefined
  const candidate = openCaseOfSenderReference(ctx.db, ref, opened.procedureId)
  if (!candidate) return undefined
  const known = getCase(ctx.db, candidate.id)
  const same = (a: string | undefined) => (a ?? '').normalize('NFC').trim().toLowerCase()
  return known && same(known.applicantName) === same(applicantOf(opened.data).name)
    ? candidate
    : undefined
}

/**
 * A follow-up submission (Nachreichung): its documents join the existing case, and a case that
 * waits for documents (Nachforderung) resumes. One local transaction, like a new case.
 */
export function storeFollowUp(
  ctx: AppContext,
  opened: OpenSuccess,
  raw: RawSubmission,
  target: { id: string; status: string; aktenzeichen: string },
): string {
  const at = ctx.clock.now().toISOString()
  // a replayed attachment (same content hash already in the case) is not filed twice
  const known = new Set(documentHashesOf(ctx.db, target.id))
  const files = opened.attachments
    .map((a) => ({ a, sha: blobOf(ctx, a) }))
    .filter((f) => !known.has(f.sha) && (known.add(f.sha), true))
  durableTransaction(ctx.db, () => {
    const version = caseVersion(ctx.db, target.id)
    if (version === undefined) throw new Error(`Vorgang ${target.aktenzeichen} fehlt`)
    for (const { a, sha } of files) {
      const doc = {
        id: ctx.newId(),
        caseId: target.id,
        kind: 'nachreichung',
        title: a.description ?? a.filename,
        filename: a.filename,
        mimeType: a.mimeType,
        size: a.size,
        sha256: sha,
        createdAt: at,
      }
      insertDocument(ctx.db, doc)
      enqueueMutation(ctx.db, {
        mutationId: ctx.newId(),
        type: 'case.document',
        caseId: target.id,
        baseVersion: version,
        at,
        actor: 'system',
        payload: { document: { ...doc, caseId: undefined } },
      })
    }
    insertAcceptedSubmission(ctx, opened, raw, target.id, at)
    appendHistory(ctx.db, {
      caseId: target.id,
      at,
      actor: 'system',
      action: 'Unterlagen nachgereicht',
      detail: `Einreichung ${opened.submissionId}: ${files.map((f) => f.a.filename).join(', ')}`,
    })
    if (target.status === 'nachforderung') {
      resumeAfterFollowUp(ctx.db, target.id, at)
      appendHistory(ctx.db, {
        caseId: target.id,
        at,
        actor: 'system',
        action: 'Status: Nachforderung → In Bearbeitung',
        detail: 'Nachgeforderte Unterlagen eingegangen',
      })
      enqueueMutation(ctx.db, {
        mutationId: ctx.newId(),
        type: 'case.status',
        caseId: target.id,
        baseVersion: version,
        at,
        actor: 'system',
        payload: {
          from: 'nachforderung',
          to: 'in_bearbeitung',
          reason: 'Nachgeforderte Unterlagen eingegangen',
        },
      })
    }
    appendIntakeLog(ctx.db, {
      at,
      submissionId: opened.submissionId,
      caseId: target.id,
      procedure: opened.procedureId,
      outcome: 'accepted',
      problemType: null,
      reason: `Nachreichung zu Aktenzeichen ${target.aktenzeichen}: ${files.length} Dokumente`,
    })
    reindexCase(ctx.db, target.id)
  })
  ctx.events.emit('changed', { tags: [{ type: 'Case', id: target.id }] })
  return target.id
}

/** Stores an accepted submission as a case in one local transaction (before it is accepted at the hub). */
export function storeAccepted(ctx: AppContext, opened: OpenSuccess, raw: RawSubmission): string {
  const now = ctx.clock.now()
  const at = now.toISOString()
  const procedure = ctx.procedures.byId(opened.procedureId)
  if (!procedure) throw new Error(`Verfahren ${opened.procedureId} fehlt im Aktenplan`)
  // Blobs first (content-addressed, idempotent); an orphan after a crash is harmless.
  const dataSha = ctx.blobs.put(opened.dataBytes)
  const files = opened.attachments.map((a) => ({ a, sha: blobOf(ctx, a) }))
  const caseId = ctx.newId()
  const today = berlinDate(now)
  const applicant = applicantOf(opened.data)
  let aktenzeichen = ''
  durableTransaction(ctx.db, () => {
    aktenzeichen = allocateAktenzeichen(ctx.db, procedure.fileCode, Number(today.slice(0, 4)), at)
    const documents = [
      {
        id: ctx.newId(),
        kind: 'antrag',
        title: `Antragsdaten ${procedure.name}`,
        filename: 'Antragsdaten.json',
        mimeType: 'application/json',
        size: opened.dataBytes.length,
        sha256: dataSha,
      },
      ...files.map(({ a, sha }) => ({
        id: ctx.newId(),
        kind: a.purpose === 'form' ? 'antrag' : 'anlage',
        title: a.description ?? a.filename,
        filename: a.filename,
        mimeType: a.mimeType,
        size: a.size,
        sha256: sha,
      })),
    ]
    // one description of the new case: stored locally and registered at the office as is
    const registered = {
      submissionId: opened.submissionId,
      aktenzeichen,
      procedureId: procedure.id,
      subject: `${procedure.name} – ${applicant.name}`,
      applicantName: applicant.name,
      applicantAddress: applicant.address,
      receivedAt: at,
      deadline: statutoryDeadline(today, procedure).end,
      channel: 'online' as const,
      formData: opened.data,
    }
    insertCase(ctx.db, { ...registered, id: caseId, updatedAt: at })
    for (const d of documents) insertDocument(ctx.db, { ...d, caseId, createdAt: at })
    insertAcceptedSubmission(ctx, opened, raw, caseId, at)
    appendHistory(ctx.db, {
      caseId,
      at,
      actor: 'system',
      action: 'Eingang über den Hub',
      detail: `Einreichung über das Serviceportal, ${documents.length === 1 ? '1 Dokument' : `${documents.length} Dokumente`}, Prüfsummen geprüft`,
    })
    appendIntakeLog(ctx.db, {
      at,
      submissionId: opened.submissionId,
      caseId,
      procedure: procedure.id,
      outcome: 'accepted',
      problemType: null,
      reason: `Angenommen: ${procedure.name} von ${applicant.name}, Aktenzeichen ${aktenzeichen}`,
    })
    enqueueMutation(ctx.db, {
      mutationId: ctx.newId(),
      type: 'case.register',
      caseId,
      baseVersion: 0,
      at,
      actor: 'system',
      payload: {
        ...registered,
        documents: documents.map((d) => ({ ...d, createdAt: at })),
      },
    })
    reindexCase(ctx.db, caseId)
  })
  return caseId
}

export function storeRejected(ctx: AppContext, failed: OpenFailure, raw: RawSubmission): void {
  const at = ctx.clock.now().toISOString()
  durableTransaction(ctx.db, () => {
    saveRejectedSubmission(ctx.db, {
      submissionId: failed.submissionId,
      hubCaseId: failed.caseId,
      destinationId: raw.destinationId,
      serviceIdentifier: raw.serviceIdentifier,
      encryptedMetadata: raw.encryptedMetadata,
      encryptedData: raw.encryptedData ?? '',
      attachments: JSON.stringify(raw.attachments),
      problems: JSON.stringify([failed.problem]),
      storedAt: at,
    })
    appendIntakeLog(ctx.db, {
      at,
      submissionId: failed.submissionId,
      caseId: null,
      procedure: null,
      outcome: 'rejected',
      problemType: failed.problem.type,
      reason: failed.reasonDe,
    })
  })
}

export type { RawSubmission } from './fetchOpen'
