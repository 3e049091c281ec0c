/** `cases.*` — Reading the case file: lists, counts, one case with its documents, history and notes, search. */
import { z } from 'zod'
import { id, isoDate, namespace, query, returns } from './shared'
import {
  CASE_STATUSES as caseStatuses,
  CASE_VIEWS as caseViews,
  CASE_SORTS as caseSorts,
  STATUS_LABELS as statusLabels,
  type CaseStatus,
  type CaseView,
  type CaseSummary,
  type DocumentMeta,
  type HistoryEntry,
  type Note,
  type IntakeLogEntry,
} from '../../db/domain'

// The case vocabulary is declared once in db/domain.ts; the contract passes it on.
export { isDecided, DECIDED_STATUSES } from '../../db/domain'
export { caseStatuses, caseViews, caseSorts, statusLabels }
export type { CaseStatus, CaseView, CaseSummary, DocumentMeta, HistoryEntry, Note, IntakeLogEntry }

export interface FormField {
  path: string
  label: string
  value: string
  depth: number
}
export interface Transition {
  to: CaseStatus
  allowed: boolean
  reason: string | null
}
export interface CaseDetail extends CaseSummary {
  closedAt: string | null
  retentionEnd: string | null
  archivedAt: string | null
  canClose: boolean
  assigneeName: string | null
  transitions: Transition[]
  checklist: string[]
  applicantAddress: string
  channel: 'online' | 'paper' | 'phone'
  submissionId: string | null
  procedureName: string
  form: FormField[]
  version: number
  daysLeft: number | null
  documents: DocumentMeta[]
  history: HistoryEntry[]
  notes: Note[]
}

export const cases = namespace('cases', {
  list: query(
    z
      .object({
        view: z.enum(caseViews).default('alle'),
        sort: z.enum(caseSorts).default('deadline'),
        direction: z.enum(['asc', 'desc']).default('asc'),
        procedureId: id.optional(),
        status: z.enum(caseStatuses).optional(),
        assignee: id.optional(),
        deadlineFrom: isoDate.optional(),
        deadlineTo: isoDate.optional(),
        /** only cases still to be decided */
        openOnly: z.boolean().optional(),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(500).default(50),
      })
      .strict(),
    returns<{ total: number; rows: CaseSummary[] }>(),
    [{ type: 'CaseList' }],
  ),
  counts: query(z.object({}).strict(), returns<Record<CaseView, number>>(), [{ type: 'CaseList' }]),
  get: query(z.object({ id }).strict(), returns<CaseDetail>(), (i) => [{ type: 'Case', id: i.id }]),
  search: query(
    z
      .object({
        query: z.string().trim().min(1, 'Suchbegriff fehlt').max(200, 'Suchbegriff zu lang'),
        limit: z.number().int().min(1).max(200).default(50),
      })
      .strict(),
    returns<{ rows: (CaseSummary & { snippet: string })[] }>(),
    [{ type: 'CaseList' }],
  ),
  document: query(
    z.object({ id }).strict(),
    returns<{ mimeType: string; filename: string; base64: string }>(),
    [],
    { keepFor: 10 },
  ),
})
