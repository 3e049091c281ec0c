/** `session.*` — Who is working at this desk: the directory and the sign-in. */
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

export const session = namespace('session', {
  users: query(z.object({}).strict(), returns<{ users: DirectoryUser[] }>(), []),
  login: mutation(
    z.object({ userId: id }).strict(),
    returns<AppInfo['user']>(),
    [{ type: 'CaseList' }, { type: 'Case' }, { type: 'Sync' }],
    { resetsCache: true },
  ),
})
