import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { migrate } from '../migrate'
import { get, shape, sql, type WriteDb } from '../sql'
import { insertCase } from './cases'
import {
  isAktenzeichenTaken,
  nextLeasedNumber,
  nextLocalNumber,
  addLease,
  useLease,
  freeLeaseCount,
  isLeasedHere,
} from './numbering'
import {
  officeValuesOf,
  officeValueVersion,
  setCaseField,
  setSyncState,
  upsertOfficeValue,
} from './officeSync'
import {
  countOpenIntentions,
  enqueueMutation,
  outboxEntries,
  outboxScreenRows,
  pendingMutations,
  retryCandidates,
} from './outbox'

function desk(): WriteDb {
  const db = new Database(':memory:') as WriteDb
  migrate(db)
  insertCase(db, {
    id: 'c1',
    aktenzeichen: '632.1-2026-000001',
    procedureId: 'wohngeld',
    subject: 'S',
    applicantName: 'N',
    applicantAddress: 'A',
    receivedAt: 'x',
    deadline: null,
    channel: 'paper',
    formData: {},
    updatedAt: 'x',
  })
  return db
}
const fields = shape({ assignee: 'text?', status: 'text', follow_up: 'text?', sync_state: 'text' })

describe('office sync repositories', () => {
  it('sets each office field through its fixed column and keeps the newest office value', () => {
    const db = desk()
    setCaseField(db, 'c1', 'assignee', 'u-jweiss')
    setCaseField(db, 'c1', 'follow_up', '2026-12-01')
    setCaseField(db, 'c1', 'status', 'in_bearbeitung')
    setSyncState(db, 'c1', 'pending')
    expect(
      get(
        db,
        sql`SELECT assignee, status, follow_up, sync_state FROM cases WHERE id = ${'c1'}`,
        fields,
      ),
    ).toEqual({
      assignee: 'u-jweiss',
      status: 'in_bearbeitung',
      follow_up: '2026-12-01',
      sync_state: 'pending',
    })
    upsertOfficeValue(db, 'c1', 'assignee', 'u-a', 3)
    upsertOfficeValue(db, 'c1', 'assignee', 'u-old', 2) // older: ignored
    upsertOfficeValue(db, 'c1', 'follow_up', null, 4)
    expect(officeValueVersion(db, 'c1', 'assignee')).toBe(3)
    expect(officeValueVersion(db, 'c1', 'status')).toBeUndefined()
    expect(officeValuesOf(db, 'c1').sort((a, b) => a.version - b.version)).toEqual([
      { field: 'assignee', value: 'u-a', version: 3 },
      { field: 'follow_up', value: null, version: 4 },
    ])
  })

  it('lists outbox entries by state (any number of states) and counts own open intentions by type', () => {
    const db = desk()
    const m = (id: string, type: string) => ({
      mutationId: id,
      type,
      caseId: 'c1',
      baseVersion: 0,
      at: 'x',
      actor: 'u-jweiss',
      payload: { n: id },
    })
    enqueueMutation(db, m('m1', 'case.assign'))
    enqueueMutation(db, m('m2', 'case.note'))
    expect(outboxEntries(db, ['pending']).map((e) => [e.mutationId, e.payload])).toEqual([
      ['m1', { n: 'm1' }],
      ['m2', { n: 'm2' }],
    ])
    expect(outboxEntries(db, [])).toEqual([])
    expect(
      outboxScreenRows(db, ['pending', 'rejected'], 10).map((r) => [r.mutation_id, r.aktenzeichen]),
    ).toEqual([
      ['m1', '632.1-2026-000001'],
      ['m2', '632.1-2026-000001'],
    ])
    expect(pendingMutations(db, 1).map((r) => r.payload)).toEqual(['{"n":"m1"}'])
    expect(countOpenIntentions(db, 'c1', '', ['case.assign', 'case.note'])).toBe(2)
    expect(countOpenIntentions(db, 'c1', 'm1', ['case.assign'])).toBe(0)
    expect(retryCandidates(db, 'm2')).toEqual([
      { mutation_id: 'm2', case_id: 'c1', state: 'pending' },
    ])
    expect(retryCandidates(db)).toEqual([])
  })

  it('takes leased numbers first, then the local sequence', () => {
    const db = desk()
    for (const n of [7, 5, 5]) addLease(db, '632.1', 2026, n)
    expect(freeLeaseCount(db, '632.1', 2026)).toBe(2)
    expect(nextLeasedNumber(db, '632.1', 2026)).toBe(5)
    useLease(db, '632.1', 2026, 5, 'x')
    expect(nextLeasedNumber(db, '632.1', 2026)).toBe(7)
    expect(isLeasedHere(db, '632.1', 2026, 5)).toBe(true)
    expect([
      nextLocalNumber(db, '632.1', 2026),
      nextLocalNumber(db, '632.1', 2026),
      nextLocalNumber(db, '632.1', 2027),
    ]).toEqual([1, 2, 1])
    expect(isAktenzeichenTaken(db, '632.1-2026-000001')).toBe(true)
    expect(isAktenzeichenTaken(db, '632.1-2026-000002')).toBe(false)
  })
})
