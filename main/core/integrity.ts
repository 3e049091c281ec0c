import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import { DatabaseCorruptError } from '../../db/open'

/** Below this size the check runs before the desk opens; above it in a worker thread. */
export const INLINE_CHECK_MAX_BYTES = 32 * 1024 * 1024

// Runs in a worker: its own read-only connection (WAL allows it beside the desk's connection).
const WORKER = `
const { workerData, parentPort } = require('node:worker_threads')
const Database = require(workerData.module)
let db
try {
  db = new Database(workerData.file, { readonly: true, fileMustExist: true })
  if (workerData.key) {
    db.pragma("cipher = 'sqlcipher'")
    db.pragma('legacy = 4')
    db.pragma(\`key = "x'\${workerData.key}'"\`)
  }
  parentPort.postMessage({ result: String(db.pragma('quick_check', { simple: true })) })
} catch (e) {
  parentPort.postMessage({ result: String(e && e.message) })
} finally {
  if (db) db.close()
}
`

/**
 * `PRAGMA quick_check` off the main thread (a 100,000-case database takes ~1.5 s on these
 * machines; the first list must not wait for it). Resolves when the file is sound, rejects with
 * DatabaseCorruptError otherwise.
 */
export function quickCheckInWorker(file: string, key?: string): Promise<void> {
  const module = createRequire(import.meta.url).resolve('better-sqlite3-multiple-ciphers')
  return new Promise((resolve, reject) => {
    const w = new Worker(WORKER, { eval: true, workerData: { module, file, key } })
    w.once('message', (m: { result: string }) =>
      m.result === 'ok' ? resolve() : reject(new DatabaseCorruptError(file, m.result)),
    )
    w.once('error', (err) => reject(new DatabaseCorruptError(file, err.message)))
    w.once('exit', () => resolve())
  })
}
