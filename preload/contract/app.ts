/** `app.*` — Version, mode, the signed-in user and the procedures (the status bar and the start screen). */
import { z } from 'zod'
import { namespace, query, returns } from './shared'
import type { Role } from './session'

export interface AppInfo {
  version: string
  mode: 'electron' | 'browser'
  user: { id: string; name: string; role: Role }
  today: string
  procedures: { id: string; name: string }[]
}

export const app = namespace('app', {
  info: query(z.object({}).strict(), returns<AppInfo>(), []),
})
