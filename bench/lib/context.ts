/**
 * What figures share: the configuration, the prepared data set (encrypted at rest, as every
 * desk runs; a plaintext twin for the encryption-overhead figure), one warm desk process and a
 * read-only SQLite handle on the same file (opened with the desk's key) for the raw
 * references. Everything is created on first use and torn down by `close()`.
 */
import Database from 'better-sqlite3-multiple-ciphers'
import type { Database as Db } from 'better-sqlite3'
import { rmSync } from 'node:fs'
import { applyKey } from '../../db/open'
import { openDeskKeys } from '../../main/core/atRest/keys'
import { plaintextCopy, prepareData, type DataSet } from './data'
import { startDeskProcess, type DeskProcess } from './desk'
import type { BenchConfig } from './types'

export class BenchContext {
  private data: DataSet | undefined
  private deskP: Promise<DeskProcess> | undefined
  private plainDeskP: Promise<DeskProcess> | undefined
  private plain: string | undefined
  private baseP: Promise<{ desk: DeskProcess; data: DataSet }> | undefined
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
      // the working copy is encrypted (by the desk's own migration, cached beside the data set)
      const d = prepareData(this.config.root, this.config.cases, this.config.seed, this.log)
      this.facts.migrateMs = d.migrateMs
      this.facts.encryptedFromCache = d.encryptedFromCache
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

  /** The same data, plaintext (an older version's folder): copied on first use. */
  private plainDir(): string {
    if (!this.plain) {
      const dir = plaintextCopy(this.dataSet())
      this.plain = dir
      this.cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
    }
    return this.plain
  }

  /** A warm desk on the shared data set (started once, stopped by close or stopDesk). */
  desk(): Promise<DeskProcess> {
    this.deskP ??= startDeskProcess({ root: this.config.root, dataDir: this.dataSet().dir })
    return this.deskP
  }

  /** The same data, plaintext, in a desk started with AKTENFLUSS_AT_REST=plaintext (bench only). */
  plainDesk(): Promise<DeskProcess> {
    this.plainDeskP ??= startDeskProcess({
      root: this.config.root,
      dataDir: this.plainDir(),
      env: { AKTENFLUSS_AT_REST: 'plaintext' },
    })
    return this.plainDeskP
  }

  /**
   * A second warm desk on a data set of `cases` cases (same seed, its own cache), for figures
   * that compare sizes in one run (list pages at 1,000,000 vs 100,000 under the same load).
   */
  baselineDesk(cases: number): Promise<{ desk: DeskProcess; data: DataSet }> {
    this.baseP ??= (async () => {
      const data = prepareData(this.config.root, cases, this.config.seed, this.log)
      this.cleanups.push(() => rmSync(data.dir, { recursive: true, force: true }))
      const desk = await startDeskProcess({ root: this.config.root, dataDir: data.dir })
      this.cleanups.push(() => desk.stop())
      return { desk, data }
    })()
    return this.baseP
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
