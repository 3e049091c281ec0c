// The load figure's verdict (bench/hub/check.ts) must catch what it claims to: a lost mutation, a
// mutation applied twice, a desk that skipped a feed entry or read out of order, a desk whose case
// differs from the hub's. Hand-made states; the first one is consistent.
import { describe, expect, it } from 'vitest'
import { verified, verify, type DeskView } from '../../bench/hub/check'
import type { HubTruth } from '../../bench/hub/truth'

const W = new Set(['wohngeld'])
const K = new Set(['kfz'])

function world(): { hub: HubTruth; desks: DeskView[] } {
  const hub: HubTruth = {
    changes: [
      { seq: 1, caseId: 'c1', mutationId: 'm1' },
      { seq: 2, caseId: 'c1', mutationId: 'm2' },
      { seq: 3, caseId: 'c2', mutationId: 'm3' },
      { seq: 4, caseId: 'c1', mutationId: 'm4' },
    ],
    applied: ['m1', 'm2', 'm3', 'm4'],
    cases: new Map([
      ['c1', { version: 3, assignee: 'u-a', notes: 1, procedureId: 'wohngeld' }],
      ['c2', { version: 1, assignee: null, notes: 0, procedureId: 'kfz' }],
    ]),
  }
  const c1 = () =>
    new Map([['c1', { version: 3, assignee: 'u-a', notes: 1, procedureId: 'wohngeld' }]])
  const desks: DeskView[] = [
    {
      deskId: 'a',
      procedures: W,
      results: new Map([
        ['m1', 'applied'],
        ['m2', 'applied'],
        ['m4', 'applied'],
      ]),
      seen: [1, 2, 4],
      cases: c1(),
    },
    {
      deskId: 'b',
      procedures: K,
      results: new Map([['m3', 'applied']]),
      seen: [3],
      cases: new Map([['c2', { version: 1, assignee: null, notes: 0, procedureId: 'kfz' }]]),
    },
    { deskId: 'c', procedures: W, results: new Map(), seen: [1, 2, 4], cases: c1() },
  ]
  return { hub, desks }
}

describe('load check', () => {
  it('passes a consistent world', () => {
    const { hub, desks } = world()
    const v = verify(desks, hub)
    expect(v.problems).toEqual([])
    expect(verified(v)).toBe(true)
    expect(v.sent).toBe(4)
  })

  it('counts a mutation answered applied that the hub does not have as lost', () => {
    const { hub, desks } = world()
    hub.applied = hub.applied.filter((m) => m !== 'm3')
    hub.changes = hub.changes.filter((c) => c.mutationId !== 'm3')
    const v = verify(desks, hub)
    expect(v.lost).toBe(1)
    expect(verified(v)).toBe(false)
  })

  it('counts a mutation twice in the feed, and one no desk sent, as duplicated', () => {
    const { hub, desks } = world()
    hub.changes.push({ seq: 5, caseId: 'c2', mutationId: 'm3' })
    hub.applied.push('m9')
    expect(verify(desks, hub).duplicated).toBe(2)
  })

  it('finds a feed entry a desk never received, and an order violation', () => {
    const { hub, desks } = world()
    desks[2]!.seen = [1, 4]
    desks[0]!.seen = [1, 4, 2]
    const v = verify(desks, hub)
    expect(v.gaps).toBe(1)
    expect(v.notIncreasing).toBe(1)
  })

  it('finds an entry of another team in a desk’s feed', () => {
    const { hub, desks } = world()
    desks[2]!.seen = [1, 2, 3, 4]
    expect(verify(desks, hub).extra).toBe(1)
  })

  it('finds a case whose version, assignee or notes differ, or that is missing', () => {
    const { hub, desks } = world()
    desks[0]!.cases = new Map([
      ['c1', { version: 2, assignee: 'u-a', notes: 1, procedureId: 'wohngeld' }],
    ])
    desks[2]!.cases = new Map()
    expect(verify(desks, hub).stateMismatches).toBe(2)
  })

  it('counts a first answer other than applied', () => {
    const { hub, desks } = world()
    desks[1] = { ...desks[1]!, results: new Map([['m3', 'conflict']]) }
    const v = verify(desks, hub)
    expect(v.notApplied).toBe(1)
    expect(v.lost).toBe(0) // not lost: the hub refused it, and the desk knows
  })
})
