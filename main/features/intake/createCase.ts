/**
 * „Antrag erfassen“: a case registered by hand (paper or phone). One local transaction stores
 * the case with a final Aktenzeichen from the lease pool, its documents and history, and
 * enqueues `case.register` for the office.
 */
import { insertCase } from '../../../db/repositories/cases'
import { insertDocument } from '../../../db/repositories/documents'
import { appendHistory } from '../../../db/repositories/history'
import { setSyncState } from '../../../db/repositories/officeSync'
import { enqueueMutation } from '../../../db/repositories/outbox'
import { MAX_ATTACHMENT_BYTES } from '../../../preload/contract/index'
import { ApiFailure, notFound } from '../../core/errors'
import { berlinDate } from '../../core/clock'
import type { AppContext } from '../../core/context'
import { statutoryDeadline } from '../../lib/deadlines'
import { normalizeMimeType, sanitizeFilename, sniffMimeType } from './openFiles'
import { allocateAktenzeichen } from '../../core/numbering'
import { reindexCase } from '../cases/search'
import { takeCase } from '../casework/actions'
import { caseRefusalFor } from '../../core/caseRights'
import { formatGermanDate } from '../../../common/germanDates'

export const MAX_TOTAL_ATTACHMENT_BYTES = 50 * 1024 * 1024
const ALLOWED = ['application/pdf', 'image/jpeg', 'image/png']

export interface NewCaseInput {
  procedureId: string
  applicantName: string
  applicantAddress: string
  subject?: string | undefined
  formData?: Record<string, unknown> | undefined
  channel: 'paper' | 'phone'
  /** Eingangsdatum from the receipt stamp (YYYY-MM-DD); today if absent. */
  receivedOn?: string | undefined
  assignToMe?: boolean | undefined
  attachments: { filename: string; mimeType: string; base64: string }[]
}

export function createCase(
  ctx: AppContext,
  input: NewCaseInput,
): { caseId: string; aktenzeichen: string; mutationId: string } {
  const procedure = ctx.procedures.byId(input.procedureId)
  if (!procedure) throw notFound('Das Verfahren')
  let total = 0
  const files = input.attachments.map((a, i) => {
    const name = sanitizeFilename(a.filename, `Anlage-${i + 1}`)
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(a.base64.replace(/\s+/g, '')))
      throw new ApiFailure('invalid_file', `„${name}“ ist nicht korrekt kodiert (Base64 erwartet).`)
    const bytes = Buffer.from(a.base64, 'base64')
    if (bytes.length === 0) throw new ApiFailure('invalid_file', `„${name}“ ist leer.`)
    if (bytes.length > MAX_ATTACHMENT_BYTES)
      throw new ApiFailure('too_large', `„${name}“ ist größer als 20 MB.`)
    total += bytes.length
    if (total > MAX_TOTAL_ATTACHMENT_BYTES)
      throw new ApiFailure('too_large', 'Die Anlagen sind zusammen größer als 50 MB.')
    const sniffed = sniffMimeType(bytes)
    if (!sniffed || !ALLOWED.includes(sniffed))
      throw new ApiFailure('invalid_file', `„${name}“ ist kein PDF-, JPEG- oder PNG-Dokument.`)
    const declared = normalizeMimeType(a.mimeType || sniffed)
    if (declared !== sniffed && declared !== 'application/octet-stream') {
      throw new ApiFailure(
        'invalid_file',
        `„${name}“ ist als ${declared} angegeben, der Inhalt ist aber ${sniffed}.`,
      )
    }
    return { name, bytes, mimeType: sniffed }
  })
  // blobs first (content-addressed, idempotent); an orphan after a crash is harmless
  const stored = files.map((f) => ({ ...f, sha256: ctx.blobs.put(f.bytes) }))
  const user = ctx.currentUser()
  const now = ctx.clock.now()
  const at = now.toISOString()
  const today = berlinDate(now)
  // the receipt stamp, not the moment of typing, starts the statutory deadline
  const receivedOn = input.receivedOn ?? today
  if (receivedOn > today)
    throw new ApiFailure(
      'invalid_input',
      `Das Eingangsdatum ${formatGermanDate(receivedOn)} liegt in der Zukunft.`,
    )
  const receivedAt = receivedOn === today ? at : `${receivedOn}T11:00:00.000Z`
  const caseId = ctx.newId()
  const mutationId = ctx.newId()
  const subject = input.subject?.trim() || `${procedure.name} – ${input.applicantName}`
  const deadline = statutoryDeadline(receivedOn, procedure).end
  const documents = stored.map((f) => ({
    id: ctx.newId(),
    kind: 'anlage',
    title: f.name,
    filename: f.name,
    mimeType: f.mimeType,
    size: f.bytes.length,
    sha256: f.sha256,
    createdAt: at,
  }))
  let aktenzeichen = ''
  ctx.db.transaction(() => {
    aktenzeichen = allocateAktenzeichen(ctx.db, procedure.fileCode, Number(today.slice(0, 4)), at)
    insertCase(ctx.db, {
      id: caseId,
      aktenzeichen,
      procedureId: procedure.id,
      subject,
      applicantName: input.applicantName,
      applicantAddress: input.applicantAddress,
      receivedAt,
      deadline,
      channel: input.channel,
      submissionId: null,
      formData: input.formData ?? {},
      updatedAt: at,
    })
    setSyncState(ctx.db, caseId, 'pending')
    for (const d of documents) insertDocument(ctx.db, { ...d, caseId })
    appendHistory(ctx.db, {
      caseId,
      at,
      actor: user.userId,
      action: input.channel === 'paper' ? 'Papierantrag erfasst' : 'Telefonischen Antrag erfasst',
      detail: `Aktenzeichen ${aktenzeichen}, Eingang am ${formatGermanDate(receivedOn)}, ${documents.length === 1 ? '1 Anlage' : `${documents.length} Anlagen`}`,
    })
    enqueueMutation(ctx.db, {
      mutationId,
      type: 'case.register',
      caseId,
      baseVersion: 0,
      at,
      actor: user.userId,
      payload: {
        submissionId: null,
        aktenzeichen,
        procedureId: procedure.id,
        subject,
        applicantName: input.applicantName,
        applicantAddress: input.applicantAddress,
        receivedAt,
        deadline,
        channel: input.channel,
        formData: input.formData ?? {},
        documents,
      },
    })
    reindexCase(ctx.db, caseId)
  })()
  // the clerk who records a paper or phone application usually works on it (one more mutation:
  // case.assign) — when the case belongs to their team; otherwise it waits in that team's Posteingang
  if (input.assignToMe && caseRefusalFor(ctx, 'take', caseId) === null) takeCase(ctx, caseId)
  return { caseId, aktenzeichen, mutationId }
}
