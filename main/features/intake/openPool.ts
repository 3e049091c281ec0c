// The intake worker pool (issue #14.5): fetch, decrypt and verify run in worker_threads (piscina,
// one thread per core but one), so the main thread only stores. The worker file is found next to this
// module in every runtime: the TypeScript source (tsx, vitest: loaded through tsx), the built
// bundle (out/main/intake-worker.js, its own electron-vite entry) and the packaged Electron app
// (the same file inside app.asar; Electron ≥ 17.3 loads worker scripts from the asar).
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { availableParallelism } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { MessageChannel } from 'node:worker_threads'
import { Piscina } from 'piscina'
import type { BlobStore } from '../../core/blobs'
import type { DestinationKeys } from '../../hub-client/keys'
import type { FetchedAndOpened } from './fetchOpen'
import type { OpenerConfig } from './openConfig'
import {
  fromWireError,
  type OpenAnswer,
  type OpenTask,
  type WireConnection,
  type WireOpenerSpec,
} from './openWire'

/** A worker that died (crash, out of memory) while it had the task: the task did not fail itself. */
export class IntakeWorkerCrashed extends Error {
  override readonly name = 'IntakeWorkerCrashed'
}

export interface WorkerEntry {
  filename: string
  execArgv?: string[]
}

const here = fileURLToPath(import.meta.url)

/** Where the worker is, and how to load it, for the runtime this module runs in. */
export function intakeWorkerEntry(): WorkerEntry {
  const dir = dirname(here)
  if (here.endsWith('.ts')) {
    // sources: the worker is TypeScript too; a worker does not inherit vitest's transform
    const hasTsx = process.execArgv.some((a) => a.includes('tsx'))
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href
    return {
      filename: join(dir, 'openWorker.ts'),
      execArgv: hasTsx ? process.execArgv : [...process.execArgv, '--import', tsx],
    }
  }
  // the bundle: this module is an entry (out/main/serve.js) or a chunk (out/main/chunks/*.js)
  for (const candidate of [join(dir, 'intake-worker.js'), join(dir, '..', 'intake-worker.js')])
    if (existsSync(candidate)) return { filename: candidate }
  throw new Error(`Eingangs-Worker nicht gefunden (intake-worker.js neben ${dir})`)
}

/**
 * Threads: one per core but one, so the main thread (database, UI answers) keeps a core of its
 * own — at least one, at most eight. Tasks per thread overlap one's network wait with the other's
 * decryption.
 */
export function poolThreads(cores: number): number {
  return Math.max(1, Math.min(8, Math.floor(cores) - 1))
}
export const POOL_THREADS = poolThreads(availableParallelism())
export const TASKS_PER_THREAD = 2

const shared = new Map<number, Piscina>()

/** The process-wide pool of that size (one warm thread; the others end after 30 s idle). */
function piscina(threads: number): Piscina {
  const known = shared.get(threads)
  if (known) return known
  const entry = intakeWorkerEntry()
  const pool = new Piscina({
    filename: entry.filename,
    ...(entry.execArgv ? { execArgv: entry.execArgv } : {}),
    // one thread is started with the pool and kept warm (module and schemas loaded), so the first
    // intake after the desk starts does not wait for a thread to boot; the others end when idle
    minThreads: 1,
    maxThreads: threads,
    concurrentTasksPerWorker: TASKS_PER_THREAD,
    idleTimeout: 30_000,
    // a poisoned submission that blows up a worker's heap ends that worker, not the desk
    resourceLimits: { maxOldGenerationSizeMb: 512 },
  })
  // a worker that dies between tasks: piscina replaces it; nothing to fail
  pool.on('error', (err: unknown) => console.error('[intake] Eingangs-Worker:', err))
  shared.set(threads, pool)
  return pool
}

export interface IntakePool {
  /** tasks the pool runs at once (threads × tasks per thread): the intake keeps no more in flight */
  readonly capacity: number
  /** fetches, decrypts and verifies one submission in a worker; blobs are written there too */
  open(
    submissionId: string,
    keys: Pick<DestinationKeys, 'encryption' | 'decryption'>,
    blobs: BlobStore,
    fault?: OpenTask['fault'],
  ): Promise<FetchedAndOpened & { threadId: number }>
}

export function createIntakePool(opts: {
  connection: WireConnection
  opener: OpenerConfig
  threads?: number
}): IntakePool {
  const spec: WireOpenerSpec | undefined = opts.opener.spec
  if (!spec) throw new Error('Die Prüfkonfiguration kann nicht an den Eingangs-Worker gehen.')
  const threads = opts.threads ?? POOL_THREADS
  const pool = piscina(threads)
  const runOnce = async (task: Omit<OpenTask, 'port'>, blobs: BlobStore): Promise<OpenAnswer> => {
    const { port1, port2 } = new MessageChannel()
    // blob keys live in the database, on this thread: one short question per content
    port1.on('message', ({ id, sha }: { id: number; sha: string }) => {
      try {
        const r = blobs.reserve(sha)
        port1.postMessage({
          id,
          stored: r.stored,
          ...(r.key ? { key: new Uint8Array(r.key) } : {}),
        })
      } catch (err) {
        port1.postMessage({ id, error: err instanceof Error ? err.message : String(err) })
      }
    })
    try {
      return (await pool.run({ ...task, port: port2 }, { transferList: [port2] })) as OpenAnswer
    } catch (err) {
      // the task did not answer: its worker died (crash, out of memory, killed)
      throw new IntakeWorkerCrashed(
        `Der Eingangs-Worker ist bei Einreichung ${task.submissionId} abgebrochen (${err instanceof Error ? err.message : String(err)}).`,
        { cause: err },
      )
    } finally {
      port1.close()
    }
  }
  return {
    capacity: threads * TASKS_PER_THREAD,
    async open(submissionId, keys, blobs, fault) {
      const task: Omit<OpenTask, 'port'> = {
        submissionId,
        connection: opts.connection,
        opener: spec,
        keys: {
          encryption: keys.encryption,
          ...(keys.decryption ? { decryption: keys.decryption } : {}),
        },
        blobRoot: blobs.root,
        ...(fault ? { fault } : {}),
      }
      let answer: OpenAnswer
      try {
        answer = await runOnce(task, blobs)
      } catch (err) {
        // a crash also ends the other task of that worker: try once more on a fresh worker,
        // so only the submission that crashes it twice is parked
        if (!(err instanceof IntakeWorkerCrashed)) throw err
        answer = await runOnce(task, blobs)
      }
      if (!answer.ok) throw fromWireError(answer.error)
      return { ...answer.opened, threadId: answer.threadId }
    },
  }
}

/** Ends the pool's threads (tests, shutdown); the next intake starts new ones. */
export async function closeIntakePool(): Promise<void> {
  const pools = [...shared.values()]
  shared.clear()
  await Promise.all(pools.map((p) => p.destroy()))
}
