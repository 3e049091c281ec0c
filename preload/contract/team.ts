/** `team.*` — Team lead: workload dashboard, distribution (assign, balance proposal), Vertretung. */
import { z } from 'zod'
import { id, isoDate, mutation, namespace, query, returns } from './shared'

export interface WorkloadRow {
  key: string
  label: string
  open: number
  dueSoon: number
  overdue: number
  waiting: number
  decidedThisWeek: number
}
export interface Dashboard {
  today: string
  clerks: WorkloadRow[]
  procedures: WorkloadRow[]
  unassigned: {
    count: number
    oldest: { id: string; aktenzeichen: string; receivedAt: string } | null
  }
  throughput: { week: string; decided: number; received: number }[]
  ageBuckets: { label: string; count: number }[]
}
export interface Absence {
  id: string
  userId: string
  userName: string
  substituteId: string
  substituteName: string
  from: string
  until: string
}
export interface BalanceProposal {
  caseId: string
  aktenzeichen: string
  deadline: string | null
  assignee: string
  assigneeName: string
}

export const team = namespace('team', {
  dashboard: query(z.object({}).strict(), returns<Dashboard>(), [{ type: 'CaseList' }]),
  balance: query(
    z
      .object({
        limit: z.number().int().min(1).max(500).default(100),
        ids: z.array(id).max(500).optional(),
      })
      .strict(),
    returns<{ proposal: BalanceProposal[] }>(),
    [],
    { keepFor: 0 },
  ),
  assign: mutation(
    z
      .object({
        ids: z.array(id).min(1, 'Keine Vorgänge ausgewählt').max(500),
        assignee: id.nullable(),
        reason: z.string().trim().max(500).optional(),
      })
      .strict(),
    returns<{ assigned: number }>(),
    (i) => [
      ...i.ids.map((id) => ({ type: 'Case' as const, id })),
      { type: 'CaseList' },
      { type: 'Sync' },
    ],
  ),
  absences: query(z.object({}).strict(), returns<{ absences: Absence[] }>(), [
    { type: 'Absences' },
  ]),
  setAbsence: mutation(
    z.object({ userId: id, substituteId: id, from: isoDate, until: isoDate }).strict(),
    returns<{ id: string }>(),
    [{ type: 'Absences' }, { type: 'CaseList' }],
  ),
  endAbsence: mutation(z.object({ id }).strict(), returns<{ id: string }>(), [
    { type: 'Absences' },
    { type: 'CaseList' },
  ]),
})
