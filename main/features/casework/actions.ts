import { germanDate } from '../../../common/dates'
import {
  getCase,
  markDocumentsRequested,
  setCaseAssignee,
  setCaseFollowUp,
  setCaseStatus,
  touchCase,
  type CaseRecord,
} from '../../../db/repositories/cases'
import { insertDocument } from '../../../db/repositories/documents'
import { appendHistory } from '../../../db/repositories/history'
import { insertNote } from '../../../db/repositories/notes'
import { enqueueMutation } from '../../../db/repositories/outbox'
import type { CaseStatus } from '../../../preload/contract/index'
import { ApiFailure, notFound } from '../../core/errors'
import { caseRefusalFor } from '../../core/caseRights'
import { canMoveManually, explainForbidden } from './states'
import type { AppContext, ReadContext } from '../../core/context'
import { reindexCase } from '../cases/search'
import { STATUS_LABELS } from '../../../db/domain'

export interface ActionSpec {
  caseId: string
  /** Office mutation type (docs/hub-protocol.md), e.g. `case.note`. */
  type: string
  payload: Record<string, unknown>
  history: { action: string; detail?: string }
  /** Local state change, inside the same transaction. */
  apply?: (c: CaseRecord) => void
}

/**
 * One user action = one local transaction: change local state, append the hash-chained history
 * entry and the outbox mutation (transactional outbox, docs/architecture.md rule 3). Nothing else.
 */
export function recordAction(ctx: AppContext, spec: ActionSpec): { mutationId: string } {
  const user = ctx.currentUser()
  if (user.role === 'readonly')
    throw new ApiFailure(
      'forbidden',
      'Mit einer Leseberechtigung können keine Änderungen vorgenommen werden.',
    )
  const at = ctx.clock.now().toISOString()
  const mutationId = ctx.newId()
  ctx.db.transaction(() => {
    const c = getCase(ctx.db, spec.caseId)
    if (!c) throw notFound('Der Vorgang')
    if (c.status === 'abgeschlossen' && spec.type !== 'case.reopen')
      throw new ApiFailure('read_only', 'Der Vorgang ist abgeschlossen (zdA) und schreibgeschützt.')
    spec.apply?.(c)
    touchCase(ctx.db, spec.caseId, at)
    appendHistory(ctx.db, {
      caseId: spec.caseId,
      at,
      actor: user.userId,
      action: spec.history.action,
      detail: spec.history.detail ?? '',
    })
    enqueueMutation(ctx.db, {
      mutationId,
      type: spec.type,
      caseId: spec.caseId,
      baseVersion: c.version,
      at,
      actor: user.userId,
      payload: spec.payload,
    })
    reindexCase(ctx.db, spec.caseId)
  })()
  return { mutationId }
}

/** Whether the current user may work on the case (the rights of main/core/rights.ts; the UI asks this). */
export const mayWorkOn = (ctx: ReadContext, caseId: string): boolean =>
  caseRefusalFor(ctx, 'work', caseId) === null

const requireCase = (ctx: AppContext, id: string): CaseRecord => {
  const c = getCase(ctx.db, id)
  if (!c) throw notFound('Der Vorgang')
  return c
}

export function takeCase(ctx: AppContext, id: string) {
  // who may take it is the dispatcher's rights gate (main/core/rights.ts)
  const c = requireCase(ctx, id)
  const me = ctx.currentUser()
  if (c.assignee === me.userId) return { mutationId: null }
  return recordAction(ctx, {
    caseId: id,
    type: 'case.assign',
    payload: { assignee: me.userId, previous: c.assignee },
    history: { action: 'Übernommen', detail: `${me.name} bearbeitet den Vorgang.` },
    apply: () => setCaseAssignee(ctx.db, id, me.userId),
  })
}

export function releaseCase(ctx: AppContext, id: string, reason?: string) {
  const c = requireCase(ctx, id)
  return recordAction(ctx, {
    caseId: id,
    type: 'case.assign',
    payload: { assignee: null, previous: c.assignee, ...(reason ? { reason } : {}) },
    history: { action: 'Zurückgegeben in den Posteingang', detail: reason ?? '' },
    apply: () => setCaseAssignee(ctx.db, id, null),
  })
}

export function setStatus(ctx: AppContext, id: string, to: CaseStatus, reason?: string) {
  const c = requireCase(ctx, id)
  if (c.status === to) return { mutationId: null }
  if (!canMoveManually(c.status, to))
    throw new ApiFailure('invalid_transition', explainForbidden(c.status, to))
  return recordAction(ctx, {
    caseId: id,
    type: 'case.status',
    payload: { from: c.status, to, ...(reason ? { reason } : {}) },
    history: {
      action: `Status: ${STATUS_LABELS[c.status]} → ${STATUS_LABELS[to]}`,
      detail: reason ?? '',
    },
    apply: () => setCaseStatus(ctx.db, id, to),
  })
}

export function addNote(
  ctx: AppContext,
  id: string,
  text: string,
  kind: 'note' | 'phone',
  party?: string,
) {
  requireCase(ctx, id)
  const noteId = ctx.newId()
  const body = kind === 'phone' && party ? `Telefonat mit ${party}: ${text}` : text
  const done = recordAction(ctx, {
    caseId: id,
    type: 'case.note',
    payload: { noteId, kind, text: body },
    history: {
      action: kind === 'phone' ? 'Telefonat vermerkt' : 'Vermerk angelegt',
      detail: body.length > 120 ? `${body.slice(0, 117)}…` : body,
    },
    apply: () =>
      insertNote(ctx.db, {
        id: noteId,
        caseId: id,
        kind,
        author: ctx.currentUser().userId,
        text: body,
        createdAt: ctx.clock.now().toISOString(),
      }),
  })
  return { ...done, noteId }
}

export function setFollowUp(ctx: AppContext, id: string, date: string | null, reason?: string) {
  requireCase(ctx, id)
  return recordAction(ctx, {
    caseId: id,
    type: 'case.followUp',
    payload: { date, ...(reason ? { reason } : {}) },
    history: {
      action: date ? `Wiedervorlage zum ${germanDate(date)}` : 'Wiedervorlage gelöscht',
      detail: reason ?? '',
    },
    apply: () => setCaseFollowUp(ctx.db, id, date),
  })
}

export interface StoredDocument {
  id: string
  kind: string
  title: string
  filename: string
  mimeType: string
  bytes: Uint8Array
}

/** Nachforderung: the letter goes into the file, the case waits until documents arrive. */
export function requestDocuments(
  ctx: AppContext,
  id: string,
  items: string[],
  deadline: string,
  letter: StoredDocument,
  /** runs inside the action's transaction (the Rückkanal's outbox row) */
  alsoApply?: () => void,
) {
  const c = requireCase(ctx, id)
  if (!['in_bearbeitung', 'entscheidungsreif', 'eingegangen', 'nachforderung'].includes(c.status))
    throw new ApiFailure(
      'invalid_transition',
      `Im Status „${STATUS_LABELS[c.status]}“ können keine Unterlagen nachgefordert werden.`,
    )
  const sha256 = ctx.blobs.put(letter.bytes)
  const createdAt = ctx.clock.now().toISOString()
  const doc = {
    id: letter.id,
    caseId: id,
    kind: letter.kind,
    title: letter.title,
    filename: letter.filename,
    mimeType: letter.mimeType,
    size: letter.bytes.length,
    sha256,
    createdAt,
  }
  return recordAction(ctx, {
    caseId: id,
    type: 'case.requestDocuments',
    payload: { items, deadline, document: { ...doc, caseId: undefined } },
    history: {
      action: 'Unterlagen nachgefordert',
      detail: `${items.join(', ')} – Frist ${germanDate(deadline)}`,
    },
    apply: () => {
      insertDocument(ctx.db, doc)
      markDocumentsRequested(ctx.db, id, deadline)
      alsoApply?.()
    },
  })
}
