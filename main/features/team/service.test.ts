import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { countOf, insertCase } from '../../../db/repositories/cases'
import { setSetting } from '../../../db/repositories/settings'
import { all, get, run, shape, sql, type Sql } from '../../../db/sql'
import { createDesk } from '../../desk'
import { manualClock } from '../../core/clock'
import { generateCases } from '../../../testing/demoData'
import { assignCases, dashboard, proposeBalance, setAbsence } from './service'

const idRow = shape({ id: 'text' })

describe('team lead dashboard over 10,000 generated cases', () => {
  const clerks = ['u-jweiss', 'u-amueller', 'u-kschroeder', 'u-tgrossmann']
  const desk = createDesk({
    dataDir: mkdtempSync(join(tmpdir(), 'team-')),
    mode: 'browser',
    clock: manualClock('2026-11-28T10:00:00Z'),
  })
  const db = desk.ctx.db
  generateCases(db, desk.ctx.procedures, {
    count: 10_000,
    seed: 42,
    today: '2026-11-28',
    users: clerks,
    indexSearch: false,
  })
  // some decisions this week, so "decided this week" is not trivially zero
  run(
    db,
    sql`INSERT INTO decisions (case_id, outcome, decided_by, decided_at)
    SELECT id, 'stattgegeben', assignee, '2026-11-24T09:00:00Z' FROM cases WHERE status = 'entschieden' AND assignee IS NOT NULL LIMIT 300`,
  )
  setSetting(db, 'user', 'u-sbaeumer')
  afterAll(() => desk.close())
  const count = (where: Sql) => countOf(db, sql`SELECT count(*) AS n FROM cases WHERE ${where}`)
  const open = sql`status NOT IN ('entschieden','versandt','abgeschlossen')`
  const unassignedOpen = sql`assignee IS NULL AND status <> 'abgeschlossen'`

  it('shows per clerk exactly what direct SQL counts', () => {
    setSetting(db, 'user', 'u-sbaeumer')
    const d = dashboard(desk.ctx)
    for (const userId of clerks) {
      const row = d.clerks.find((r) => r.key === userId)!
      expect(row, userId).toEqual({
        key: userId,
        label: expect.any(String),
        open: count(sql`assignee = ${userId} AND ${open}`),
        dueSoon: count(
          sql`assignee = ${userId} AND ${open} AND deadline BETWEEN '2026-11-28' AND '2026-12-05'`,
        ),
        overdue: count(sql`assignee = ${userId} AND ${open} AND deadline < '2026-11-28'`),
        waiting: count(sql`assignee = ${userId} AND status = 'nachforderung'`),
        decidedThisWeek: countOf(
          db,
          sql`SELECT count(*) AS n FROM decisions d JOIN cases c ON c.id = d.case_id WHERE c.assignee = ${userId}`,
        ),
      })
      expect(row.open).toBeGreaterThan(0)
    }
    expect(d.unassigned.count).toBe(count(unassignedOpen))
    const perProcedure = d.procedures.reduce((n, r) => n + r.open, 0)
    expect(perProcedure).toBe(count(open))
    expect(d.ageBuckets.reduce((n, b) => n + b.count, 0)).toBe(count(open))
  })

  it('proposes a balanced distribution of the queue, skips absent clerks, and assigns only on request', () => {
    setSetting(db, 'user', 'u-sbaeumer') // the team lead (whatever test ran before)
    setAbsence(desk.ctx, {
      userId: 'u-kschroeder',
      substituteId: 'u-jweiss',
      from: '2026-11-27',
      until: '2026-12-04',
    })
    const before = count(sql`assignee IS NULL`)
    const proposal = proposeBalance(desk.ctx, 40)
    expect(proposal).toHaveLength(40)
    expect(count(sql`assignee IS NULL`)).toBe(before) // nothing happens before acceptance
    expect(proposal.some((p) => p.assignee === 'u-kschroeder')).toBe(false)

    // most urgent first: the 40 earliest deadlines of the team's queue (Wohngeld), in deadline order
    const deadlines = proposal.map((p) => p.deadline ?? '9999')
    expect([...deadlines].sort()).toEqual(deadlines)
    const last = deadlines[deadlines.length - 1]!
    const earlier = all(
      db,
      sql`SELECT id FROM cases WHERE ${unassignedOpen} AND procedure_id = 'wohngeld' AND deadline < ${last}`,
      idRow,
    ).map((r) => r.id)
    // the other team's cases are not the lead's to distribute
    const procedureOf = (id: string) =>
      get(
        db,
        sql`SELECT procedure_id FROM cases WHERE id = ${id}`,
        (r) => r as { procedure_id: string },
      )
    expect(new Set(proposal.map((p) => procedureOf(p.caseId)?.procedure_id))).toEqual(
      new Set(['wohngeld']),
    )
    expect(earlier.length).toBeLessThan(40)
    const proposed = new Set(proposal.map((p) => p.caseId))
    for (const id of earlier) expect(proposed.has(id), id).toBe(true)
    expect(new Set(proposal.map((p) => p.caseId)).size).toBe(40)

    // balanced: weighted load (open + 2 × due within 7 days) from direct SQL, each proposed case
    // counting 3 when due within 7 days, else 1; every case went to a clerk with the lowest load then
    const present = clerks.filter((c) => c !== 'u-kschroeder')
    const load = new Map(
      present.map((c) => [
        c,
        count(sql`assignee = ${c} AND ${open}`) +
          2 *
            count(
              sql`assignee = ${c} AND ${open} AND deadline BETWEEN '2026-11-28' AND '2026-12-05'`,
            ),
      ]),
    )
    for (const p of proposal) {
      const lowest = Math.min(...load.values())
      expect(load.get(p.assignee), `${p.aktenzeichen} → ${p.assignee}`).toBe(lowest)
      load.set(p.assignee, lowest + (p.deadline && p.deadline <= '2026-12-05' ? 3 : 1))
    }
    // the receivers end up within one case's weight of each other
    const receivers = [...new Set(proposal.map((p) => p.assignee))]
    const finals = receivers.map((c) => load.get(c)!)
    expect(Math.max(...finals) - Math.min(...finals)).toBeLessThanOrEqual(3)

    const ids = proposal.filter((p) => p.assignee === receivers[0]).map((p) => p.caseId)
    expect(assignCases(desk.ctx, ids, receivers[0]!, 'Verteilung').assigned).toBe(ids.length)
    expect(count(sql`assignee IS NULL`)).toBe(before - ids.length)
  })

  it('refuses reassignment of a colleague’s case by a clerk', async () => {
    setSetting(db, 'user', 'u-jweiss')
    const theirs = get(
      db,
      sql`SELECT id FROM cases WHERE assignee = 'u-amueller' AND procedure_id = 'wohngeld' LIMIT 1`,
      idRow,
    )!
    expect(
      await desk.dispatch('team.assign', { ids: [theirs.id], assignee: 'u-jweiss' }),
    ).toMatchObject({
      ok: false,
      error: {
        code: 'forbidden',
        message: expect.stringMatching(/Anna Müller zugewiesen; nur die Sachgebietsleitung/),
      },
    })
    expect(get(db, sql`SELECT assignee FROM cases WHERE id = ${theirs.id}`, (r) => r)).toEqual({
      assignee: 'u-amueller',
    })
    setSetting(db, 'user', 'u-sbaeumer')
  })
})

describe('balance proposal for an empty team', () => {
  const desk = createDesk({
    dataDir: mkdtempSync(join(tmpdir(), 'balance-')),
    mode: 'browser',
    clock: manualClock('2026-11-28T10:00:00Z'),
  })
  afterAll(() => desk.close())
  const deadlines = [
    '2026-12-20',
    '2026-12-01',
    '2026-12-15',
    null,
    '2026-12-03',
    '2027-01-10',
    '2026-12-30',
    '2026-12-02',
  ]
  deadlines.forEach((deadline, i) =>
    insertCase(desk.ctx.db, {
      id: `q${i}`,
      aktenzeichen: `632.1-2026-00010${i}`,
      procedureId: 'wohngeld',
      subject: `Wohngeld ${i}`,
      applicantName: `Person ${i}`,
      applicantAddress: 'Weg 1, 02826 Görlitz',
      receivedAt: `2026-11-2${i}T08:00:00Z`,
      deadline,
      channel: 'online',
      formData: {},
      updatedAt: '2026-11-20T08:00:00Z',
    }),
  )
  setSetting(desk.ctx.db, 'user', 'u-sbaeumer')

  it('balances the weighted load over the four clerks, earliest deadlines first', () => {
    const proposal = proposeBalance(desk.ctx, 100)
    // most urgent first, cases without a deadline last
    expect(proposal.map((p) => p.caseId)).toEqual(['q1', 'q7', 'q4', 'q2', 'q0', 'q6', 'q5', 'q3'])
    // the three cases due within 7 days (weight 3) go to three different clerks, the fourth clerk
    // takes three ordinary cases (weight 1 each); then ties go by user id
    expect(proposal.map((p) => [p.caseId, p.assignee])).toEqual([
      ['q1', 'u-amueller'],
      ['q7', 'u-jweiss'],
      ['q4', 'u-kschroeder'],
      ['q2', 'u-tgrossmann'],
      ['q0', 'u-tgrossmann'],
      ['q6', 'u-tgrossmann'],
      ['q5', 'u-amueller'],
      ['q3', 'u-jweiss'],
    ])
    const load = new Map<string, number>()
    for (const p of proposal)
      load.set(
        p.assignee,
        (load.get(p.assignee) ?? 0) + (p.deadline && p.deadline <= '2026-12-05' ? 3 : 1),
      )
    expect(Math.max(...load.values()) - Math.min(...load.values())).toBeLessThanOrEqual(1)
    expect(proposal.every((p) => p.assigneeName.length > 0 && p.assigneeName !== p.assignee)).toBe(
      true,
    )
  })
})
