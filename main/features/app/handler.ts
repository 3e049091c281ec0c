import { listIntakeLog } from '../../../db/repositories/intake'
import { setSetting } from '../../../db/repositories/settings'
import { notFound } from '../../core/errors'
import { today } from '../cases/service'
import type { SyncEngine } from '../sync/engine'
import type { HandlerSlice } from '../../api/registry'

export const appHandlers: HandlerSlice<'app.info' | 'intake.log' | 'session.users' | 'session.login'> = {
  'app.info': (_input, ctx) => {
    const u = ctx.currentUser()
    return {
      version: '0.1.0',
      mode: ctx.mode,
      user: { id: u.userId, name: u.name, role: u.role },
      today: today(ctx),
      procedures: ctx.procedures.procedures.map((p) => ({ id: p.id, name: p.name })),
    }
  },
  'intake.log': ({ limit }, ctx) => ({ entries: listIntakeLog(ctx.db, limit) }),
  'session.users': (_input, ctx) => ({ users: ctx.directory().users }),
  'session.login': ({ userId }, ctx) => {
    const u = ctx.directory().users.find((x) => x.userId === userId)
    if (!u) throw notFound('Die Person')
    setSetting(ctx.db, 'user', u.userId)
    ctx.events.emit('changed', { tags: [{ type: 'CaseList' }, { type: 'Case' }, { type: 'Sync' }] })
    return { id: u.userId, name: u.name, role: u.role }
  },
}

export const syncHandlers = (sync: SyncEngine): HandlerSlice<'sync.run' | 'sync.status'> => ({
  'sync.run': () => sync.run(),
  'sync.status': () => sync.status(),
})
