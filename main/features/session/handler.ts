import { defineHandlers } from '../../api/registry'
import type { SessionService } from './service'

const info = (u: {
  userId: string
  name: string
  role: 'clerk' | 'lead' | 'records' | 'readonly'
}) => ({
  id: u.userId,
  name: u.name,
  role: u.role,
})

export const sessionHandlers = (session: SessionService) =>
  defineHandlers('session', {
    users: (_input, ctx) => ({ users: ctx.directory().users }),
    status: () => session.status(),
    login: async ({ userId, password }) => info(await session.login(userId, password)),
    beginLogin: ({ loginHint }) => session.startRedirectLogin(loginHint),
    completeLogin: async ({ callbackUrl }) => info(await session.completeLogin(callbackUrl)),
    lock: () => {
      session.lock()
      return { locked: true as const }
    },
    unlock: async ({ password }) => info(await session.unlock(password)),
    logout: () => {
      session.logout()
      return { signedOut: true as const }
    },
    touch: () => {
      session.touch()
      return { ok: true as const }
    },
    setIdleLock: ({ minutes }) => {
      session.setIdleLockMinutes(minutes)
      return { idleLockMinutes: minutes }
    },
    setUnlockPassword: async ({ password }) => {
      await session.setUnlockPassword(password)
      return { ok: true as const }
    },
  })
