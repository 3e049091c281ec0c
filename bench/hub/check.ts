// After a load run: every simulated desk against the hub's database (bench/hub/truth.ts) —
// nothing lost, nothing applied twice, each desk's feed strictly increasing and exactly the hub's
// feed of the cases it may see, and each desk's cases equal to the hub's. Pure: unit-tested with
// hand-made states (check.test.ts) so that it demonstrably fails on a lost, doubled or skipped change.
import type { KnownCase } from './simDesk'
import type { HubTruth } from './truth'

export interface DeskView {
  deskId: string
  /** procedures the desk's user may see (the team's) */
  procedures: ReadonlySet<string>
  /** mutation ids it sent (first push), with the first answer */
  results: ReadonlyMap<string, string>
  seen: readonly number[]
  cases: ReadonlyMap<string, KnownCase>
}

export interface Verification {
  desks: number
  sent: number
  /** answered applied (or duplicate), but not in the hub's mutation log or feed */
  lost: number
  /** mutation ids with more than one feed row, plus applied-log entries no desk sent */
  duplicated: number
  /** first answer not `applied` */
  notApplied: number
  /** desks whose feed was not strictly increasing */
  notIncreasing: number
  /** feed entries of visible cases the desk never received, over all desks */
  gaps: number
  /** entries a desk received that the hub's feed (visible part) does not have */
  extra: number
  /** (desk, case) pairs whose version, assignee, notes or presence differ from the hub */
  stateMismatches: number
  problems: string[]
}

export const verified = (v: Verification) =>
  v.lost + v.duplicated + v.notApplied + v.notIncreasing + v.gaps + v.extra + v.stateMismatches ===
  0

export function verify(desks: readonly DeskView[], hub: HubTruth): Verification {
  const problems: string[] = []
  const note = (s: string) => {
    if (problems.length < 20) problems.push(s)
  }
  const feedCount = new Map<string, number>()
  for (const c of hub.changes) feedCount.set(c.mutationId, (feedCount.get(c.mutationId) ?? 0) + 1)
  const applied = new Set(hub.applied)
  const v: Verification = {
    desks: desks.length,
    sent: 0,
    lost: 0,
    duplicated: 0,
    notApplied: 0,
    notIncreasing: 0,
    gaps: 0,
    extra: 0,
    stateMismatches: 0,
    problems,
  }
  const allSent = new Set<string>()
  for (const d of desks) {
    for (const [id, status] of d.results) {
      v.sent++
      allSent.add(id)
      if (status !== 'applied') {
        v.notApplied++
        note(`${d.deskId}: ${id} answered ${status}`)
      }
      if (
        (status === 'applied' || status === 'duplicate') &&
        (!applied.has(id) || !feedCount.has(id))
      ) {
        v.lost++
        note(`${d.deskId}: ${id} (${status}) missing at the hub`)
      }
    }
  }
  for (const [id, n] of feedCount)
    if (n > 1) {
      v.duplicated += n - 1
      note(`${id} is ${n} times in the feed`)
    }
  for (const id of applied)
    if (!allSent.has(id)) {
      v.duplicated++
      note(`${id} applied at the hub but sent by no desk`)
    }

  const procedureOf = (caseId: string) => hub.cases.get(caseId)?.procedureId
  for (const d of desks) {
    for (let i = 1; i < d.seen.length; i++)
      if (d.seen[i]! <= d.seen[i - 1]!) {
        v.notIncreasing++
        note(`${d.deskId}: seq ${d.seen[i]} after ${d.seen[i - 1]}`)
        break
      }
    const visible = hub.changes
      .filter((c) => d.procedures.has(procedureOf(c.caseId) ?? ''))
      .map((c) => c.seq)
    const got = new Set(d.seen)
    const want = new Set(visible)
    for (const s of visible)
      if (!got.has(s)) {
        v.gaps++
        note(`${d.deskId}: never received seq ${s}`)
      }
    for (const s of d.seen)
      if (!want.has(s)) {
        v.extra++
        note(`${d.deskId}: received seq ${s} the hub's visible feed does not have`)
      }
    for (const [caseId, h] of hub.cases) {
      if (!d.procedures.has(h.procedureId)) continue
      const mine = d.cases.get(caseId)
      if (
        !mine ||
        mine.version !== h.version ||
        mine.assignee !== h.assignee ||
        mine.notes !== h.notes
      ) {
        v.stateMismatches++
        note(`${d.deskId}: case ${caseId} ${JSON.stringify(mine)} ≠ hub ${JSON.stringify(h)}`)
      }
    }
    for (const caseId of d.cases.keys())
      if (!hub.cases.has(caseId)) {
        v.stateMismatches++
        note(`${d.deskId}: case ${caseId} unknown to the hub`)
      }
  }
  return v
}
