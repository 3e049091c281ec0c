import { listIntakeLog } from '../../db/repositories/intake'
import { today } from '../services/cases'
import type { SyncEngine } from '../services/sync/engine'
import type { HandlerSlice } from './registry'

export const appHandlers: HandlerSlice<'app.info' | 'intake.log'> = {
  'app.info': (_input, ctx) => {
    const u = ctx.currentUser()
    return {
      version: '0.1.0',
      mode: ctx.mode,
      user: { id: u.userId, name: u.name },
      today: today(ctx),
      procedures: ctx.procedures.procedures.map((p) => ({ id: p.id, name: p.name })),
    }
  },
  'intake.log': ({ limit }, ctx) => ({ entries: listIntakeLog(ctx.db, limit) }),
}

export const syncHandlers = (sync: SyncEngine): HandlerSlice<'sync.run' | 'sync.status'> => ({
  'sync.run': () => sync.run(),
  'sync.status': () => sync.status(),
})
