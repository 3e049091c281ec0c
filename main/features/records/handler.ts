import { closeCase, reopenCase } from './service'
import { defineHandlers } from '../../api/registry'

export const recordsHandlers = defineHandlers('records', {
  close: ({ id }, ctx) => closeCase(ctx, id),
  reopen: ({ id, reason }, ctx) => reopenCase(ctx, id, reason),
})
