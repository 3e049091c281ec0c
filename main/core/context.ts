import type { Db, ReadDb } from '../../db/open'
import type { BlobStore } from './blobs'
import type { Clock, IdGenerator } from './clock'
import type { AppEvents } from './events'
import type { ProcedureCatalog } from './procedures'
import type { Directory, User } from './directory'
import type { SecretStore } from './secrets'
import type { DeskSession } from './session'

/** Everything a handler may use; built once per app by createDesk(). */
export interface AppContext {
  db: Db
  blobs: BlobStore
  clock: Clock
  newId: IdGenerator
  events: AppEvents
  dataDir: string
  /** OS keychain (Electron safeStorage) or a 0600 file in browser mode */
  secrets: SecretStore
  mode: 'electron' | 'browser'
  /** other files with personal data in the data folder (exports): sealed with the desk's key */
  files: { write(path: string, bytes: Uint8Array): void; remove(path: string): void }
  procedures: ProcedureCatalog
  directory(): Directory
  currentUser(): User
  /** the sign-in state (issue #13); currentUser() is the signed-in user */
  session: DeskSession
  userName(userId: string | null): string | null
}

/** The same context with read access only: read-only services (lists, counts, detail, search, dashboard) take it, so they cannot write. */
export type ReadContext = Omit<AppContext, 'db'> & { db: ReadDb }
