/**
 * Number leases: a pool of office-wide Aktenzeichen numbers per file-plan code and year, so a
 * desk opens cases offline with final numbers (numbering.ts takes leased numbers first).
 */
import type { OfficeClient } from '../../hub-client'
import { berlinDate } from '../../core/clock'
import type { AppContext } from '../../core/context'

export interface LeaseOptions {
  /** refill when fewer free numbers remain (default 10) */
  threshold?: number
  /** numbers per lease request (default 25) */
  count?: number
}

export function freeLeases(ctx: AppContext, fileCode: string, year: number): number {
  return (ctx.db.prepare('SELECT count(*) AS n FROM number_leases WHERE file_code = ? AND year = ? AND used_at IS NULL').get(fileCode, year) as { n: number }).n
}

/** Tops up the pool of every file-plan code for the current year; returns the numbers leased. */
export async function refillLeases(ctx: AppContext, office: OfficeClient, deskId: string, opts: LeaseOptions = {}, signal?: AbortSignal): Promise<number> {
  const threshold = opts.threshold ?? 10
  const count = opts.count ?? 25
  const year = Number(berlinDate(ctx.clock.now()).slice(0, 4))
  const codes = [...new Set(ctx.procedures.procedures.map((p) => p.fileCode))]
  let leased = 0
  for (const code of codes) {
    if (freeLeases(ctx, code, year) >= threshold) continue
    const numbers = await office.lease(deskId, code, year, count, signal)
    // a crash between the hub's grant and this insert only leaves a gap
    const ins = ctx.db.prepare('INSERT OR IGNORE INTO number_leases (file_code, year, number) VALUES (?, ?, ?)')
    ctx.db.transaction(() => numbers.forEach((n) => ins.run(code, year, n)))()
    leased += numbers.length
  }
  return leased
}
