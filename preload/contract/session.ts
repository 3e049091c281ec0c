/** `session.*` — Who is working at this desk: the directory, the sign-in, the lock. */
import { z } from 'zod'
import { id, mutation, namespace, query, returns } from './shared'
import type { AppInfo } from './app'

export type Role = 'clerk' | 'lead' | 'records' | 'readonly'
export interface DirectoryUser {
  userId: string
  name: string
  role: Role
  teamId: string
}

export interface SessionStatus {
  user: AppInfo['user'] | null
  /** true when nobody is signed in or the desk is locked (idle lock included) */
  locked: boolean
  /** the signed-in user must sign in again (the identity provider refused the refresh); their changes wait */
  reauthNeeded: boolean
  /** every user of this desk whose changes wait for a new sign-in */
  reauthUsers: string[]
  idleLockMinutes: number
  /** the identity provider; `demo`: the reference hub's demo IdP (password `demo`) */
  identity: { issuer: string; clientId: string; demo: boolean } | null
  /** the signed-in user has a local unlock password (offline unlock possible) */
  canUnlockOffline: boolean
}

const password = z.string().max(1024)
const SESSION_CHANGE = [
  { type: 'Session' },
  { type: 'CaseList' },
  { type: 'Case' },
  { type: 'Sync' },
] as const

export const session = namespace('session', {
  users: query(z.object({}).strict(), returns<{ users: DirectoryUser[] }>(), []),
  status: query(z.object({}).strict(), returns<SessionStatus>(), [{ type: 'Session' }]),
  /** scripts, tests, the demo: the password goes to the identity provider (offline: the local verifier) */
  login: mutation(
    z.object({ userId: id, password: password.optional() }).strict(),
    returns<AppInfo['user']>(),
    SESSION_CHANGE,
    { resetsCache: true },
  ),
  /** the redirect sign-in: the authorization URL to open (browser mode: this window; Electron: the system browser) */
  beginLogin: mutation(
    z.object({ loginHint: id.optional() }).strict(),
    returns<{ url: string; external: boolean }>(),
    [],
  ),
  completeLogin: mutation(
    z.object({ callbackUrl: z.string().max(8192) }).strict(),
    returns<AppInfo['user']>(),
    SESSION_CHANGE,
    { resetsCache: true },
  ),
  lock: mutation(z.object({}).strict(), returns<{ locked: true }>(), [{ type: 'Session' }]),
  unlock: mutation(z.object({ password }).strict(), returns<AppInfo['user']>(), [
    { type: 'Session' },
  ]),
  logout: mutation(z.object({}).strict(), returns<{ signedOut: true }>(), SESSION_CHANGE, {
    resetsCache: true,
  }),
  /** the renderer reports user activity (keyboard, pointer) so the idle lock waits */
  touch: mutation(z.object({}).strict(), returns<{ ok: true }>(), []),
  setIdleLock: mutation(
    z.object({ minutes: z.number().min(0.05).max(480) }).strict(),
    returns<{ idleLockMinutes: number }>(),
    [{ type: 'Session' }],
  ),
  setUnlockPassword: mutation(
    z.object({ password: password.min(4) }).strict(),
    returns<{ ok: true }>(),
    [{ type: 'Session' }],
  ),
})
