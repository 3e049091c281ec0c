import { setSetting } from '../../../db/repositories/settings'
import { notFound } from '../../core/errors'
import { defineHandlers } from '../../api/registry'

export const sessionHandlers = defineHandlers('session', {
  users: (_input, ctx) => ({ users: ctx.directory().users }),
  login: ({ userId }, ctx) => {
    const u = ctx.directory().users.find((x) => x.userId === userId)
    if (!u) throw notFound('Die Person')
    setSetting(ctx.db, 'user', u.userId)
    return { id: u.userId, name: u.name, role: u.role }
  },
})
