/**
 * Number leases: a pool of office-wide Aktenzeichen numbers per file-plan code and year, so a
 * desk opens cases offline with final numbers (numbering.ts takes leased numbers first).
 */
import { addLease, freeLeaseCount } from '../../../db/repositories/numbering'
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
  return freeLeaseCount(ctx.db, fileCode, year)
}

/** Tops up the pool of every file-plan code for the current year; returns the numbers leased. */
export async function refillLeases(
  ctx: AppContext,
  office: OfficeClient,
  opts: LeaseOptions = {},
  signal?: AbortSignal,
): Promise<number> {
  const threshold = opts.threshold ?? 10
  const count = opts.count ?? 25
  const year = Number(berlinDate(ctx.clock.now()).slice(0, 4))
  const codes = [...new Set(ctx.procedures.procedures.map((p) => p.fileCode))]
  let leased = 0
  for (const code of codes) {
    if (freeLeases(ctx, code, year) >= threshold) continue
    const numbers = await office.lease(code, year, count, { signal })
    // a crash between the hub's grant and this insert only leaves a gap
    ctx.db.transaction(() => numbers.forEach((n) => addLease(ctx.db, code, year, n)))()
    leased += numbers.length
  }
  return leased
}
