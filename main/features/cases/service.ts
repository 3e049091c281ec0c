import { archiveStateOf, getCase, type ListQuery } from '../../../db/repositories/cases'
import { countViewsRanked, listCasePage } from '../../../db/repositories/caseRank'
import { decisionOutcomeOf } from '../../../db/repositories/decisions'
import { documentsOf } from '../../../db/repositories/documents'
import { historyOf } from '../../../db/repositories/history'
import { notesOf } from '../../../db/repositories/notes'
import type { CaseDetail } from '../../../preload/contract/index'
import { berlinDate } from '../../core/clock'
import type { AppContext, ReadContext } from '../../core/context'
import { formFields } from './formView'
import { transitionsFrom } from '../casework/states'

export function today(ctx: Pick<AppContext, 'clock'>): string {
  return berlinDate(ctx.clock.now())
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000)
}

export function caseList(ctx: ReadContext, q: Omit<ListQuery, 'user' | 'today'>) {
  return listCasePage(ctx.db, { ...q, user: ctx.currentUser().userId, today: today(ctx) })
}

export function caseCounts(ctx: ReadContext) {
  return countViewsRanked(ctx.db, ctx.currentUser().userId, today(ctx))
}

function archiveState(ctx: ReadContext, id: string, status: string) {
  const r = archiveStateOf(ctx.db, id) ?? { closedAt: null, retentionEnd: null, archivedAt: null }
  const outcome = decisionOutcomeOf(ctx.db, id)
  return {
    closedAt: r.closedAt,
    retentionEnd: r.retentionEnd,
    archivedAt: r.archivedAt,
    canClose: status === 'versandt' || (status === 'entschieden' && outcome === 'eingestellt'),
  }
}

export function caseDetail(ctx: ReadContext, id: string): CaseDetail | undefined {
  const c = getCase(ctx.db, id)
  if (!c) return undefined
  const procedure = ctx.procedures.byId(c.procedureId)
  return {
    ...c,
    procedureName: procedure?.name ?? c.procedureId,
    assigneeName: ctx.userName(c.assignee) ?? c.assignee,
    transitions: transitionsFrom(c.status),
    ...archiveState(ctx, c.id, c.status),
    checklist: procedure?.checklist ?? [],
    form: formFields(c.formData, ctx.procedures.schemaOf(c.procedureId)),
    daysLeft: c.deadline ? daysBetween(today(ctx), c.deadline) : null,
    documents: documentsOf(ctx.db, id),
    history: historyOf(ctx.db, id).map((h) => ({ ...h, actor: ctx.userName(h.actor) ?? h.actor })),
    notes: notesOf(ctx.db, id).map((n) => ({ ...n, author: ctx.userName(n.author) ?? n.author })),
  }
}
