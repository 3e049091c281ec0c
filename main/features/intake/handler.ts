import { listIntakeLog } from '../../../db/repositories/intake'
import { createCase } from './createCase'
import { defineHandlers } from '../../api/registry'

export const intakeHandlers = defineHandlers('intake', {
  log: ({ limit }, ctx) => ({ entries: listIntakeLog(ctx.db, limit) }),
  create: (input, ctx) => createCase(ctx, input),
})
