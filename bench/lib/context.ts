/**
 * What figures share: the configuration, the prepared data set, one warm desk process and a
 * read-only better-sqlite3 handle on the same file for the raw references. Everything is
 * created on first use and torn down by `close()`.
 */
import Database from 'better-sqlite3'
import type { Database as Db } from 'better-sqlite3'
import { rmSync } from 'node:fs'
import { prepareData, type DataSet } from './data'
import { startDeskProcess, type DeskProcess } from './desk'
import type { BenchConfig } from './types'

export class BenchContext {
  private data: DataSet | undefined
  private deskP: Promise<DeskProcess> | undefined
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

  async stopDesk(): Promise<void> {
    const p = this.deskP
    this.deskP = undefined
    if (p) await (await p.catch(() => undefined))?.stop()
  }

  /** Read-only handle on the desk's database file (WAL lets it read beside the desk). */
  rawDb(): Db {
    if (!this.raw) {
      const db = new Database(this.dataSet().dbFile, { readonly: true, fileMustExist: true })
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
