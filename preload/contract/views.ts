/** `views.*` — Saved list views and the chosen columns, per user. */
import { z } from 'zod'
import { id, mutation, namespace, query, returns } from './shared'
import {
  CASE_STATUSES as caseStatuses,
  CASE_VIEWS as caseViews,
  CASE_SORTS as caseSorts,
  type CaseStatus,
  type CaseView,
} from '../../db/domain'

export const listColumns = [
  'aktenzeichen',
  'applicant',
  'procedure',
  'status',
  'assignee',
  'received',
  'deadline',
  'followUp',
  'channel',
] as const
export type ListColumn = (typeof listColumns)[number]
export interface SavedView {
  id: string
  name: string
  view: CaseView
  sort: (typeof caseSorts)[number]
  direction: 'asc' | 'desc'
  procedureId?: string
  status?: CaseStatus
}

export const views = namespace('views', {
  list: query(z.object({}).strict(), returns<{ views: SavedView[]; columns: ListColumn[] }>(), [
    { type: 'Views' },
  ]),
  save: mutation(
    z
      .object({
        name: z.string().trim().min(1, 'Name fehlt').max(80),
        view: z.enum(caseViews),
        sort: z.enum(caseSorts),
        direction: z.enum(['asc', 'desc']),
        procedureId: id.optional(),
        status: z.enum(caseStatuses).optional(),
      })
      .strict(),
    returns<SavedView>(),
    [{ type: 'Views' }],
  ),
  delete: mutation(z.object({ id }).strict(), returns<{ id: string }>(), [{ type: 'Views' }]),
  setColumns: mutation(
    z
      .object({
        columns: z
          .array(z.enum(listColumns))
          .min(1, 'Mindestens eine Spalte')
          .max(listColumns.length),
      })
      .strict(),
    returns<{ columns: ListColumn[] }>(),
    [{ type: 'Views' }],
  ),
})
