/** Time and ids are injected (docs/architecture.md, rule 6) so deadlines, retries and order are testable. */
import { randomUUID } from 'node:crypto'

export interface Clock {
  now(): Date
}
export const systemClock: Clock = { now: () => new Date() }

/** A clock tests move by hand. */
export function manualClock(
  start: Date | string,
): Clock & { set(d: Date | string): void; advance(ms: number): void } {
  let t = new Date(start).getTime()
  return {
    now: () => new Date(t),
    set: (d) => {
      t = new Date(d).getTime()
    },
    advance: (ms) => {
      t += ms
    },
  }
}

export type IdGenerator = () => string
export const uuid: IdGenerator = () => randomUUID()

/** The local calendar date in Europe/Berlin (common/dates.ts owns dates). */
export { berlinDate } from '../../common/dates'
