import { closeCase, closingView, reopenCase } from './service'
import { defineHandlers } from '../../api/registry'

export const recordsHandlers = defineHandlers('records', {
  closing: ({ id }, ctx) => closingView(ctx, id),
  close: ({ id, ...choice }, ctx) => closeCase(ctx, id, choice),
  reopen: ({ id, reason }, ctx) => reopenCase(ctx, id, reason),
})
