import {
  accessSync,
  constants,
  existsSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs'
import { basename, join } from 'node:path'
import { openDatabase } from '../db/open'
import { getSetting, setSetting } from '../db/repositories/settings'
import { appHandlers } from './features/app/handler'
import { archiveHandlers } from './features/archive/handler'
import { casesHandlers } from './features/cases/handler'
import { caseworkHandlers } from './features/casework/handler'
import { decisionsHandlers } from './features/decisions/handler'
import { intakeHandlers } from './features/intake/handler'
import { noticesHandlers } from './features/notices/handler'
import { recordsHandlers } from './features/records/handler'
import { sessionHandlers } from './features/session/handler'
import { SessionService, configureIdentity, type LoginRedirect } from './features/session/service'
import { identityFromHubConfig } from './features/session/hubIdentity'
import type { UserTokenSource } from './core/identity'
import { syncHandlers } from './features/sync/handler'
import { teamHandlers } from './features/team/handler'
import { viewsHandlers } from './features/views/handler'
import { createDispatcher, type Call, type Dispatch, type HandlerTable } from './api/registry'
import { isStorageError } from './core/errors'
import { lockDataDir } from './core/dataLock'
import { ensureSecureFile, secureDir, secureFile, writeFileAtomic } from './core/secureFs'
import { INLINE_CHECK_MAX_BYTES, quickCheckInWorker } from './core/integrity'
import { BlobStore } from './core/blobs'
import { systemClock, uuid, type Clock, type IdGenerator } from './core/clock'
import type { AppContext } from './core/context'
import { loadDemoDirectory, type User } from './core/directory'
import { AppEvents } from './core/events'
import { loadProcedures } from './core/procedures'
import { SyncEngine, type EngineOptions, type SyncPhases } from './features/sync/engine'
import { directoryAccess } from './features/sync/directoryCache'
import { createHubPhases, type HubPhaseOptions } from './features/sync/phases'
import { configureFromDeskConfig, configureFromHubJson } from './features/sync/hubConnection'
import type { ResolvedDeskConfig } from './core/deskConfig'
import { EncryptedFileSecretStore, FileSecretStore, type SecretStore } from './core/secrets'
import { openDeskKeys, type DeskKeys, type OsKeyStore } from './core/atRest/keys'
import { databaseBlobKeys } from './core/atRest/blobKeys'
import { encryptDatabaseInPlace, encryptFilesInPlace } from './core/atRest/migratePlaintext'
import { seal } from './core/atRest/seal'

export interface DeskOptions {
  dataDir: string
  mode: 'electron' | 'browser'
  clock?: Clock
  newId?: IdGenerator
  /**
   * Encryption at rest (issue #17, main/core/atRest/): 'encrypted' (default) or 'plaintext' —
   * the latter only for the bench's comparison and for building an older version's folder in
   * migration tests.
   */
  atRest?: 'encrypted' | 'plaintext'
  /** Electron: the OS secret store that wraps the data key (safeStorage); browser mode: none */
  osKeyStore?: OsKeyStore
  /** the office's policy allows Linux's basic_text secret store */
  allowBasicText?: boolean
  /** browser mode: the key file's passphrase */
  passphrase?: string
  /** overrides the phases built from the configured hub (tests) */
  phases?: (ctx: AppContext) => SyncPhases
  hubPhaseOptions?: HubPhaseOptions
  /**
   * the signed-in users' office access tokens for sync. Placeholder until the desk's OIDC sign-in
   * exists: nobody has a token, so user changes and the change feed wait (intake still runs).
   */
  userTokens?: UserTokenSource
  /** how long after the start a large database is checked when no change comes first (default 5 s) */
  integrityCheckDelayMs?: number
  /** databases above this size are checked in a worker after start (default 32 MB; tests) */
  inlineIntegrityCheckMaxBytes?: number
  /** backoff and jitter of the sync engine */
  engine?: EngineOptions
  /**
   * Refuse every call but the sign-in until a user is signed in and the desk is unlocked. The
   * untrusted entries (Electron IPC, the browser bridge) always pass true; in-process desks
   * (unit tests, scripts holding the data folder) may leave it off.
   */
  requireSignIn?: boolean
  /** where the redirect sign-in comes back to (the bridge's callback or Electron's loopback) */
  loginRedirect?: LoginRedirect
}

export interface Desk {
  ctx: AppContext
  /** the untrusted entry (IPC, HTTP bridge) */
  dispatch: Dispatch
  /** the same, typed by method (tests, scripts) */
  call: Call
  sync: SyncEngine
  secrets: SecretStore
  /** sign-in, lock, idle lock (main/features/session/service.ts) */
  session: SessionService
  /** the signed-in users' access tokens for office sync (the session) */
  userTokens: UserTokenSource
  /** how the data key was unlocked ('os:<backend>', 'file', 'file+passphrase'); undefined = plaintext */
  unlockedBy: string | undefined
  /** points the desk at a reference hub (hub.json; its first desk credential or `deskId`) and starts using it */
  connectHub(url: string, hubConfigPath: string, opts?: { deskId?: string }): void
  /** configures the desk from the machine-wide configuration file (main/core/deskConfig.ts) */
  applyConfig(config: ResolvedDeskConfig): void
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
    secureDir(opts.dataDir)
    accessSync(opts.dataDir, constants.W_OK)
    // access() says yes to root even on a read-only folder; a real write also sees EROFS/ENOSPC
    const probe = join(opts.dataDir, `.schreibprobe-${process.pid}`)
    writeFileSync(probe, 'ok')
    unlinkSync(probe)
  } catch (err) {
    throw new DataDirError(opts.dataDir, err)
  }
  const lock = lockDataDir(opts.dataDir)
  let db: ReturnType<typeof openDatabase>
  let large = false
  let keys: DeskKeys | undefined
  const file = join(opts.dataDir, 'aktenfluss.db')
  try {
    // a lost or changed key store throws a German KeyAccessError: never a fresh, empty database
    keys =
      opts.atRest === 'plaintext'
        ? undefined
        : openDeskKeys(opts.dataDir, {
            ...(opts.osKeyStore ? { os: opts.osKeyStore } : {}),
            ...(opts.allowBasicText ? { allowBasicText: true } : {}),
            ...(opts.passphrase ? { passphrase: opts.passphrase } : {}),
          })
    if (keys?.migrationPending) encryptDatabaseInPlace(opts.dataDir, keys)
    // 0600 before SQLite opens it: the -wal and -shm files get the database file's mode
    ensureSecureFile(file)
    for (const f of [`${file}-wal`, `${file}-shm`, join(opts.dataDir, 'secrets.json')])
      secureFile(f)
    large =
      existsSync(file) &&
      statSync(file).size > (opts.inlineIntegrityCheckMaxBytes ?? INLINE_CHECK_MAX_BYTES)
    db = openDatabase(file, {
      integrity: large ? 'later' : 'now',
      ...(keys ? { key: keys.dbKeyHex } : {}),
    })
  } catch (err) {
    // a full or read-only disk while opening/migrating: the migration's transaction rolled back
    lock.release()
    if (isStorageError(err)) throw new DataDirError(opts.dataDir, err)
    throw err
  }
  // the hub's directory once office sync fetched it, the shipped demo directory before
  const demoDirectory = loadDemoDirectory()
  const directory = directoryAccess(db, demoDirectory)
  const fallbackUser = demoDirectory.users.find((u) => u.role === 'clerk') as User
  const blobs = new BlobStore(
    join(opts.dataDir, 'blobs'),
    keys ? databaseBlobKeys(db, keys.blobWrapKey) : undefined,
  )
  let secrets: SecretStore
  if (keys) {
    const sealed = new EncryptedFileSecretStore(opts.dataDir, keys.secretsKey)
    try {
      if (keys.migrationPending) encryptFilesInPlace(opts.dataDir, keys, blobs, sealed)
    } catch (err) {
      db.close()
      lock.release()
      throw err
    }
    secrets = sealed
  } else secrets = new FileSecretStore(opts.dataDir)
  const events = new AppEvents()
  const clock = opts.clock ?? systemClock
  const session = new SessionService({ db, secrets, clock, events, directory: directory.directory })
  if (opts.loginRedirect) session.setLoginRedirect(opts.loginRedirect)
  const fileKey = keys?.fileKey
  const ctx: AppContext = {
    secrets,
    db,
    blobs,
    files: {
      write: (path, bytes) =>
        writeFileAtomic(
          fileKey ? `${path}.sealed` : path,
          fileKey ? seal(fileKey, bytes, `export:${basename(path)}`) : bytes,
        ),
      remove: (path) => {
        rmSync(path, { force: true })
        rmSync(`${path}.sealed`, { force: true })
      },
    },
    clock,
    newId: opts.newId ?? uuid,
    events,
    dataDir: opts.dataDir,
    mode: opts.mode,
    procedures: loadProcedures(),
    directory: directory.directory,
    currentUser: () => directory.user(getSetting<string>(db, 'user') ?? '') ?? fallbackUser,
    userName: (id) => (id ? (directory.user(id)?.name ?? null) : null),
    session,
  }
  // a large database is checked in a worker: reads answer at once, changes wait for the verdict,
  // and a damaged file stops the sync and refuses every call (docs/operations-desk.md)
  // It starts a few seconds after the start (the first list must not share the CPU with it) or
  // at the first change, whichever comes first.
  let damaged: Error | null = null
  let integrity: Promise<void> | null = large ? null : Promise.resolve()
  const checkIntegrity = (): Promise<void> =>
    (integrity ??= quickCheckInWorker(file, keys?.dbKeyHex).catch((err: unknown) => {
      damaged = err instanceof Error ? err : new Error(String(err))
      void sync.stop()
    }))
  if (large) setTimeout(() => void checkIntegrity(), opts.integrityCheckDelayMs ?? 5_000).unref()
  // the sync phases write too: they wait for the verdict like every change
  const gated = <A extends unknown[], R>(f: ((...a: A) => Promise<R>) | undefined) =>
    f &&
    (async (...a: A): Promise<R> => {
      await checkIntegrity()
      if (damaged) throw damaged
      return f(...a)
    })
  const gate = (p: SyncPhases): SyncPhases => ({
    ...p,
    intake: gated(p.intake),
    leases: gated(p.leases),
    outbox: gated(p.outbox),
    changes: gated(p.changes),
  })
  const hubPhases = () =>
    gate(
      opts.phases?.(ctx) ??
        createHubPhases(ctx, secrets, {
          ...opts.hubPhaseOptions,
          userTokens: opts.userTokens ?? opts.hubPhaseOptions?.userTokens ?? session,
        }) ??
        {},
    )
  const sync = new SyncEngine(ctx, hubPhases(), opts.engine)
  // one handler file per contract namespace; a missing one fails to compile
  const table: HandlerTable = {
    app: appHandlers,
    session: sessionHandlers(session),
    cases: casesHandlers,
    casework: caseworkHandlers,
    intake: intakeHandlers,
    decisions: decisionsHandlers,
    notices: noticesHandlers,
    team: teamHandlers,
    views: viewsHandlers,
    records: recordsHandlers,
    archive: archiveHandlers,
    sync: syncHandlers(sync),
  }
  const dispatch = createDispatcher(table, ctx, undefined, {
    // signing in does not wait for the check (it takes half a minute at 1,000,000 cases and
    // writes no case data); a damaged file still refuses every call once the verdict is in
    beforeMutation: (method) =>
      method.startsWith('session.') ? Promise.resolve() : checkIntegrity(),
    refuse: () => damaged,
    ...(opts.requireSignIn ? { authorize: signInGate(session) } : {}),
  })
  return {
    ctx,
    dispatch,
    call: dispatch as Call,
    sync,
    secrets,
    unlockedBy: keys?.unlockedBy,
    session,
    userTokens: session,
    connectHub: (url, hubConfigPath, connectOpts) => {
      configureFromHubJson(db, secrets, url, hubConfigPath, connectOpts)
      identityFromHubConfig(db, hubConfigPath)
      sync.configure(hubPhases())
    },
    applyConfig: (config) => {
      configureFromDeskConfig(db, secrets, config)
      configureIdentity(db, config.identity)
      setSetting(db, 'hub.demo', false)
      sync.configure(hubPhases())
    },
    close: async () => {
      await sync.stop()
      db.close()
      lock.release()
    },
  }
}

/** what the login screen needs before anyone is signed in */
const OPEN_METHODS = new Set<string>(['app.info'])

/**
 * The sign-in gate of the untrusted entries: `session.*` and the app basics are always open
 * (each session method checks its own state); everything else needs a signed-in, unlocked user.
 * A mutation counts as activity for the idle lock; queries (background refetches) do not.
 */
function signInGate(session: SessionService) {
  return (method: string, kind: 'query' | 'mutation'): void => {
    if (method.startsWith('session.') || OPEN_METHODS.has(method)) return
    if (kind === 'mutation') session.touch()
    else session.require()
  }
}
