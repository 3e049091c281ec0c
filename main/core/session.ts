import type { User } from './directory'

/** Who is signed in at this desk (main/features/session/service.ts keeps the session). */
export interface DeskSession {
  /** the signed-in user whose session is unlocked; undefined when nobody is signed in or the desk is locked */
  signedIn(): User | undefined
}
