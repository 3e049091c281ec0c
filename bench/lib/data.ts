/**
 * Synthetic data for the figures: `generateCases` into a fresh database, cached under /tmp by
 * count, seed and a hash of everything that shapes the file (migrations, generator, procedures,
 * directory), then copied to a throwaway working folder per run so no run sees another's writes.
 * The encrypted working copy comes from a second cached folder beside it (`encrypted-<hash>`: the
 * plaintext file after the desk's own migration, with its key files), so a 1,000,000-case run
 * does not re-encrypt 2 GB each time; the plaintext twin is copied only when a figure needs it.
 */
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openDatabase } from '../../db/open'
import { generateCases } from '../../testing/demoData'
import { berlinDate } from '../../main/core/clock'
import { loadDemoDirectory } from '../../main/core/directory'
import { loadProcedures } from '../../main/core/procedures'

export const CACHE_ROOT = join(tmpdir(), 'aktenfluss-bench-data')
export const DB_FILE = 'aktenfluss.db'

export interface DataSet {
  /** throwaway encrypted copy for this run (the desk may write settings into it) */
  dir: string
  dbFile: string
  cacheDir: string
  count: number
  seed: number
  /** the `today` the generator used */
  today: string
  fromCache: boolean
  /** generation time when it was generated in this run */
  generateMs: number | null
  /** size of the plaintext database file */
  bytes: number
  /** the desk's plaintext migration of the cached file (ms, measured when it was encrypted) */
  migrateMs: number
  /** the encrypted folder came from the cache */
  encryptedFromCache: boolean
}

interface Meta {
  count: number
  seed: number
  today: string
  generateMs: number
  createdAt: string
}

function schemaHash(root: string): string {
  const h = createHash('sha256')
  const migrations = join(root, 'db', 'migrations')
  for (const f of readdirSync(migrations)
    .filter((f) => f.endsWith('.sql'))
    .sort()) {
    h.update(f).update(readFileSync(join(migrations, f)))
  }
  for (const f of [
    'testing/demoData.ts',
    'main/features/cases/search.ts',
    'db/repositories/cases.ts',
    'db/repositories/search.ts',
    'db/repositories/history.ts',
    'assets/procedures.json',
    'assets/demo-directory.json',
  ]) {
    const p = join(root, f)
    if (existsSync(p)) h.update(f).update(readFileSync(p))
  }
  return h.digest('hex').slice(0, 12)
}

function generateInto(dir: string, count: number, seed: number): Meta {
  mkdirSync(dir, { recursive: true })
  const today = berlinDate(new Date())
  const users = loadDemoDirectory()
    .users.filter((u) => u.role === 'clerk')
    .map((u) => u.userId)
  const db = openDatabase(join(dir, DB_FILE))
  try {
    const t0 = performance.now()
    generateCases(db, loadProcedures(), { count, seed, today, users })
    const generateMs = performance.now() - t0
    db.pragma('wal_checkpoint(TRUNCATE)')
    return { count, seed, today, generateMs, createdAt: new Date().toISOString() }
  } finally {
    db.close()
  }
}

/** Drops cached folders with the same prefix whose sources hash is out of date (each is 100+ MB). */
export function pruneStale(prefix: string, keep: string): void {
  for (const f of readdirSync(CACHE_ROOT)) {
    const p = join(CACHE_ROOT, f)
    if (f.startsWith(prefix) && p !== keep) rmSync(p, { recursive: true, force: true })
  }
}

/** Returns a fresh working copy of the cached data set, generating it first when needed. */
export function prepareData(
  root: string,
  count: number,
  seed: number,
  log: (s: string) => void,
): DataSet {
  const cacheDir = join(CACHE_ROOT, `${count}-s${seed}-${schemaHash(root)}`)
  const metaFile = join(cacheDir, 'meta.json')
  let fromCache = true
  let generateMs: number | null = null
  if (!existsSync(metaFile)) {
    fromCache = false
    log(`generating ${count.toLocaleString('en')} cases (seed ${seed}) into ${cacheDir} …`)
    mkdirSync(CACHE_ROOT, { recursive: true })
    const staging = mkdtempSync(join(CACHE_ROOT, '.staging-'))
    try {
      const meta = generateInto(staging, count, seed)
      generateMs = meta.generateMs
      writeFileSync(join(staging, 'meta.json'), JSON.stringify(meta, null, 2))
      rmSync(cacheDir, { recursive: true, force: true })
      renameSync(staging, cacheDir)
    } catch (err) {
      rmSync(staging, { recursive: true, force: true })
      throw err
    }
    log(`generated in ${(generateMs / 1000).toFixed(1)} s`)
    pruneStale(`${count}-s${seed}-`, cacheDir)
  }
  const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as Meta
  const enc = encryptedCache(root, cacheDir, log)
  const dir = mkdtempSync(join(tmpdir(), 'aktenfluss-bench-run-'))
  cpSync(enc.dir, dir, { recursive: true, filter: (src) => !src.endsWith(ENCRYPTED_META) })
  return {
    dir,
    dbFile: join(dir, DB_FILE),
    cacheDir,
    count,
    seed,
    today: meta.today,
    fromCache,
    generateMs,
    bytes: statSync(join(cacheDir, DB_FILE)).size,
    migrateMs: enc.migrateMs,
    encryptedFromCache: enc.fromCache,
  }
}

/** A throwaway plaintext copy of the cached data set (the encryption-overhead figure). */
export function plaintextCopy(data: DataSet): string {
  const dir = mkdtempSync(join(tmpdir(), 'aktenfluss-bench-plain-'))
  for (const f of readdirSync(data.cacheDir))
    if (f.startsWith(DB_FILE)) copyFileSync(join(data.cacheDir, f), join(dir, f))
  return dir
}

const ENCRYPTED_META = 'encrypted.json'

/** what shapes the encrypted folder: the desk's at-rest code and how it opens the database */
function atRestHash(root: string): string {
  const h = createHash('sha256')
  const dir = join(root, 'main', 'core', 'atRest')
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .sort()
    .map((f) => join('main', 'core', 'atRest', f))
  for (const f of [...files, 'db/open.ts', 'main/desk.ts', 'testing/atRest/migrateChild.ts'])
    h.update(f).update(readFileSync(join(root, f)))
  return h.digest('hex').slice(0, 12)
}

/**
 * The cached data set encrypted by the desk's own plaintext migration (testing/atRest/
 * migrateChild.ts in a child process), made once per sources hash beside the plaintext file.
 */
function encryptedCache(
  root: string,
  cacheDir: string,
  log: (s: string) => void,
): { dir: string; migrateMs: number; fromCache: boolean } {
  const dir = join(cacheDir, `encrypted-${atRestHash(root)}`)
  const metaFile = join(dir, ENCRYPTED_META)
  if (existsSync(metaFile)) {
    const m = JSON.parse(readFileSync(metaFile, 'utf8')) as { migrateMs: number }
    return { dir, migrateMs: m.migrateMs, fromCache: true }
  }
  for (const f of readdirSync(cacheDir))
    if (f.startsWith('encrypted-') || f.startsWith('.encrypting-'))
      rmSync(join(cacheDir, f), { recursive: true, force: true })
  const staging = mkdtempSync(join(cacheDir, '.encrypting-'))
  try {
    for (const f of readdirSync(cacheDir))
      if (f.startsWith(DB_FILE)) copyFileSync(join(cacheDir, f), join(staging, f))
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'testing/atRest/migrateChild.ts', staging],
      { cwd: root, encoding: 'utf8' },
    )
    const ms = /fertig (\d+)/.exec(r.stdout)?.[1]
    if (r.status !== 0 || !ms) throw new Error(`encrypting the data set failed: ${r.stderr}`)
    log(`encrypted the cached data set in ${ms} ms (the desk's plaintext migration) → ${dir}`)
    writeFileSync(join(staging, ENCRYPTED_META), JSON.stringify({ migrateMs: Number(ms) }))
    renameSync(staging, dir)
    return { dir, migrateMs: Number(ms), fromCache: false }
  } catch (err) {
    rmSync(staging, { recursive: true, force: true })
    throw err
  }
}
