import { closeCase, closingView, reopenCase } from './service'
import { defineHandlers, onCase } from '../../api/registry'

export const recordsHandlers = defineHandlers('records', {
  closing: ({ id }, ctx) => closingView(ctx, id),
  close: { guard: onCase('records'), run: ({ id, ...choice }, ctx) => closeCase(ctx, id, choice) },
  reopen: { guard: onCase('records'), run: ({ id, reason }, ctx) => reopenCase(ctx, id, reason) },
})
