/**
 * What figures share: the configuration, the prepared data set (encrypted at rest, as every
 * desk runs; a plaintext twin for the encryption-overhead figure), one warm desk process and a
 * read-only SQLite handle on the same file (opened with the desk's key) for the raw
 * references. Everything is created on first use and torn down by `close()`.
 */
import Database from 'better-sqlite3-multiple-ciphers'
import type { Database as Db } from 'better-sqlite3'
import { spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { applyKey } from '../../db/open'
import { openDeskKeys } from '../../main/core/atRest/keys'
import { prepareData, type DataSet } from './data'
import { startDeskProcess, type DeskProcess } from './desk'
import type { BenchConfig } from './types'

export class BenchContext {
  private data: DataSet | undefined
  private deskP: Promise<DeskProcess> | undefined
  private plainDeskP: Promise<DeskProcess> | undefined
  private plain: string | undefined
  private raw: Db | undefined
  private readonly cleanups: (() => Promise<void> | void)[] = []
  /** data-generation facts for results.json */
  readonly facts: Record<string, number | string | boolean> = {}

  constructor(
    readonly config: BenchConfig,
    readonly log: (s: string) => void,
  ) {}

  dataSet(): DataSet {
    if (!this.data) {
      const d = prepareData(this.config.root, this.config.cases, this.config.seed, this.log)
      // the generator writes plaintext (an older version's folder); a copy of it stays plaintext
      // for the comparison, the working copy is encrypted once by the desk's own migration
      this.plain = mkdtempSync(join(tmpdir(), 'aktenfluss-bench-plain-'))
      cpSync(d.dir, this.plain, { recursive: true })
      const plain = this.plain
      this.cleanups.push(() => rmSync(plain, { recursive: true, force: true }))
      const r = spawnSync(
        process.execPath,
        ['--import', 'tsx', 'testing/atRest/migrateChild.ts', d.dir],
        { cwd: this.config.root, encoding: 'utf8' },
      )
      const ms = /fertig (\d+)/.exec(r.stdout)?.[1]
      if (r.status !== 0 || !ms) throw new Error(`encrypting the data set failed: ${r.stderr}`)
      this.facts.migrateMs = Number(ms)
      this.log(`encrypted the working copy in ${ms} ms (the desk's plaintext migration)`)
      this.data = d
      this.facts.dataCases = d.count
      this.facts.dataSeed = d.seed
      this.facts.dataToday = d.today
      this.facts.dataFromCache = d.fromCache
      this.facts.dataMB = Math.round(d.bytes / 1e5) / 10
      if (d.generateMs !== null) this.facts.dataGenerateMs = Math.round(d.generateMs)
      this.cleanups.push(() => rmSync(d.dir, { recursive: true, force: true }))
    }
    return this.data
  }

  /** A warm desk on the shared data set (started once, stopped by close or stopDesk). */
  desk(): Promise<DeskProcess> {
    this.deskP ??= startDeskProcess({ root: this.config.root, dataDir: this.dataSet().dir })
    return this.deskP
  }

  /** The same data, plaintext, in a desk started with AKTENFLUSS_AT_REST=plaintext (bench only). */
  plainDesk(): Promise<DeskProcess> {
    this.dataSet()
    this.plainDeskP ??= startDeskProcess({
      root: this.config.root,
      dataDir: this.plain as string,
      env: { AKTENFLUSS_AT_REST: 'plaintext' },
    })
    return this.plainDeskP
  }

  async stopDesk(): Promise<void> {
    const pp = this.plainDeskP
    this.plainDeskP = undefined
    if (pp) await (await pp.catch(() => undefined))?.stop()
    const p = this.deskP
    this.deskP = undefined
    if (p) await (await p.catch(() => undefined))?.stop()
  }

  /** Read-only handle on the desk's database file (WAL lets it read beside the desk). */
  rawDb(): Db {
    if (!this.raw) {
      const db = new Database(this.dataSet().dbFile, { readonly: true, fileMustExist: true })
      applyKey(
        db,
        this.dataSet().dbFile,
        openDeskKeys(this.dataSet().dir, { mustExist: true }).dbKeyHex,
      )
      db.pragma('cache_size = -65536') // as the desk's own connection (db/open.ts)
      this.raw = db
    }
    return this.raw
  }

  onClose(fn: () => Promise<void> | void): void {
    this.cleanups.push(fn)
  }

  async close(): Promise<void> {
    await this.stopDesk()
    this.raw?.close()
    this.raw = undefined
    for (const fn of this.cleanups.reverse()) {
      try {
        await fn()
      } catch {
        /* best effort */
      }
    }
  }
}
