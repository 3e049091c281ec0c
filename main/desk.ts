import { accessSync, constants, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { openDatabase } from '../db/open'
import { getSetting } from '../db/repositories/settings'
import { contract } from '../preload/contract'
import { appHandlers, syncHandlers } from './api/app'
import { caseHandlers } from './api/cases'
import { caseWorkHandlers } from './api/caseWork'
import { createDispatcher, type Dispatch, type Handlers } from './api/registry'
import { BlobStore } from './services/blobs'
import { systemClock, uuid, type Clock, type IdGenerator } from './services/clock'
import type { AppContext } from './services/context'
import { loadDemoDirectory, type User } from './services/directory'
import { AppEvents } from './services/events'
import { loadProcedures } from './services/procedures'
import { SyncEngine, type SyncPhases } from './services/sync/engine'

export interface DeskOptions {
  dataDir: string
  mode: 'electron' | 'browser'
  clock?: Clock
  newId?: IdGenerator
  phases?: (ctx: AppContext) => SyncPhases
}

export interface Desk {
  ctx: AppContext
  dispatch: Dispatch
  sync: SyncEngine
  close(): Promise<void>
}

export class DataDirError extends Error {
  constructor(dir: string, cause: unknown) {
    super(
      `Der Datenordner „${dir}“ ist nicht beschreibbar (${cause instanceof Error ? cause.message : String(cause)}). Bitte Speicherplatz und Berechtigungen prüfen.`,
    )
    this.name = 'DataDirError'
  }
}

/** Builds the desk's core: database, services, handler table. No Electron, no HTTP. */
export function createDesk(opts: DeskOptions): Desk {
  try {
    mkdirSync(opts.dataDir, { recursive: true })
    accessSync(opts.dataDir, constants.W_OK)
  } catch (err) {
    throw new DataDirError(opts.dataDir, err)
  }
  const db = openDatabase(join(opts.dataDir, 'aktenfluss.db'))
  const directory = loadDemoDirectory()
  const usersById = new Map(directory.users.map((u) => [u.userId, u]))
  const fallbackUser = directory.users.find((u) => u.role === 'clerk') as User
  const ctx: AppContext = {
    db,
    blobs: new BlobStore(join(opts.dataDir, 'blobs')),
    clock: opts.clock ?? systemClock,
    newId: opts.newId ?? uuid,
    events: new AppEvents(),
    dataDir: opts.dataDir,
    mode: opts.mode,
    procedures: loadProcedures(),
    directory: () => directory,
    currentUser: () => usersById.get(getSetting<string>(db, 'user') ?? '') ?? fallbackUser,
    userName: (id) => (id ? (usersById.get(id)?.name ?? null) : null),
  }
  const sync = new SyncEngine(ctx, opts.phases?.(ctx) ?? {})
  const handlers: Handlers = { ...appHandlers, ...caseHandlers, ...caseWorkHandlers, ...syncHandlers(sync) }
  const missing = Object.keys(contract).filter((m) => !(m in handlers))
  if (missing.length) throw new Error(`Handler fehlen: ${missing.join(', ')}`)
  return {
    ctx,
    dispatch: createDispatcher(handlers, ctx),
    sync,
    close: async () => {
      await sync.stop()
      db.close()
    },
  }
}
