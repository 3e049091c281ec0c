import { assignCases, dashboard, endAbsence, listAbsences, proposeBalance, setAbsence } from './service'
import type { HandlerSlice } from '../../api/registry'

export const teamHandlers: HandlerSlice<'team.dashboard' | 'team.balance' | 'cases.assign' | 'team.absences' | 'team.setAbsence' | 'team.endAbsence'> = {
  'team.dashboard': (_i, ctx) => dashboard(ctx),
  'team.balance': ({ limit, ids }, ctx) => ({ proposal: proposeBalance(ctx, limit, ids) }),
  'cases.assign': ({ ids, assignee, reason }, ctx) => assignCases(ctx, ids, assignee, reason),
  'team.absences': (_i, ctx) => ({ absences: listAbsences(ctx) }),
  'team.setAbsence': (input, ctx) => setAbsence(ctx, input),
  'team.endAbsence': ({ id }, ctx) => endAbsence(ctx, id),
}
