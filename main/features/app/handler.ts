import { APP_VERSION } from '../../core/version'
import { today } from '../cases/service'
import { defineHandlers } from '../../api/registry'

export const appHandlers = defineHandlers('app', {
  info: (_input, ctx) => {
    const u = ctx.currentUser()
    return {
      version: APP_VERSION,
      mode: ctx.mode,
      user: { id: u.userId, name: u.name, role: u.role },
      today: today(ctx),
      procedures: ctx.procedures.procedures.map((p) => ({ id: p.id, name: p.name })),
    }
  },
})
