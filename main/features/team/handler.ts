import {
  assignCases,
  dashboard,
  endAbsence,
  listAbsences,
  proposeBalance,
  setAbsence,
} from './service'
import { defineHandlers } from '../../api/registry'

export const teamHandlers = defineHandlers('team', {
  dashboard: (_i, ctx) => dashboard(ctx),
  balance: ({ limit, ids }, ctx) => ({ proposal: proposeBalance(ctx, limit, ids) }),
  assign: {
    guard: { action: 'assign', cases: (i) => i.ids, target: (i) => i.assignee },
    run: ({ ids, assignee, reason }, ctx) => assignCases(ctx, ids, assignee, reason),
  },
  absences: (_i, ctx) => ({ absences: listAbsences(ctx) }),
  setAbsence: (input, ctx) => setAbsence(ctx, input),
  endAbsence: ({ id }, ctx) => endAbsence(ctx, id),
})
