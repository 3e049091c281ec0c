import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { setSetting } from '../../../db/repositories/settings'
import { createDesk } from '../../desk'
import { manualClock } from '../../core/clock'
import { generateCases } from '../../../testing/demoData'
import { assignCases, dashboard, proposeBalance, setAbsence } from './service'

describe('team lead dashboard over 10,000 generated cases', () => {
  const clerks = ['u-jweiss', 'u-amueller', 'u-kschroeder', 'u-tgrossmann']
  const desk = createDesk({ dataDir: mkdtempSync(join(tmpdir(), 'team-')), mode: 'browser', clock: manualClock('2026-11-28T10:00:00Z') })
  generateCases(desk.ctx.db, desk.ctx.procedures, { count: 10_000, seed: 42, today: '2026-11-28', users: clerks, indexSearch: false })
  // some decisions this week, so "decided this week" is not trivially zero
  desk.ctx.db.exec(`INSERT INTO decisions (case_id, outcome, decided_by, decided_at)
    SELECT id, 'stattgegeben', assignee, '2026-11-24T09:00:00Z' FROM cases WHERE status = 'entschieden' AND assignee IS NOT NULL LIMIT 300`)
  setSetting(desk.ctx.db, 'user', 'u-sbaeumer')
  afterAll(() => desk.close())
  const count = (sql: string, ...p: unknown[]) => (desk.ctx.db.prepare(`SELECT count(*) AS n FROM cases WHERE ${sql}`).get(...p) as { n: number }).n
  const open = "status NOT IN ('entschieden','versandt','abgeschlossen')"

  it('shows per clerk exactly what direct SQL counts', () => {
    const d = dashboard(desk.ctx)
    for (const userId of clerks) {
      const row = d.clerks.find((r) => r.key === userId)!
      expect(row, userId).toEqual({
        key: userId,
        label: expect.any(String),
        open: count(`assignee = ? AND ${open}`, userId),
        dueSoon: count(`assignee = ? AND ${open} AND deadline BETWEEN '2026-11-28' AND '2026-12-05'`, userId),
        overdue: count(`assignee = ? AND ${open} AND deadline < '2026-11-28'`, userId),
        waiting: count(`assignee = ? AND status = 'nachforderung'`, userId),
        decidedThisWeek: (desk.ctx.db.prepare(`SELECT count(*) AS n FROM decisions d JOIN cases c ON c.id = d.case_id WHERE c.assignee = ?`).get(userId) as { n: number }).n,
      })
      expect(row.open).toBeGreaterThan(0)
    }
    expect(d.unassigned.count).toBe(count("assignee IS NULL AND status <> 'abgeschlossen'"))
    const perProcedure = d.procedures.reduce((n, r) => n + r.open, 0)
    expect(perProcedure).toBe(count(open))
    expect(d.ageBuckets.reduce((n, b) => n + b.count, 0)).toBe(count(open))
  })

  it('proposes a balanced distribution of the queue, skips absent clerks, and assigns only on request', () => {
    setAbsence(desk.ctx, { userId: 'u-kschroeder', substituteId: 'u-jweiss', from: '2026-11-27', until: '2026-12-04' })
    const before = count('assignee IS NULL')
    const proposal = proposeBalance(desk.ctx, 40)
    expect(proposal).toHaveLength(40)
    expect(count('assignee IS NULL')).toBe(before) // nothing happens before acceptance
    expect(proposal.some((p) => p.assignee === 'u-kschroeder')).toBe(false)
    // most urgent first
    const deadlines = proposal.map((p) => p.deadline ?? '9999')
    expect([...deadlines].sort()).toEqual(deadlines)
    const perClerk = new Map<string, number>()
    for (const p of proposal) perClerk.set(p.assignee, (perClerk.get(p.assignee) ?? 0) + 1)
    const ids = proposal.filter((p) => p.assignee === 'u-amueller').map((p) => p.caseId)
    expect(assignCases(desk.ctx, ids, 'u-amueller', 'Verteilung').assigned).toBe(ids.length)
    expect(count('assignee IS NULL')).toBe(before - ids.length)
  })

  it('refuses reassignment of a colleague’s case by a clerk', () => {
    setSetting(desk.ctx.db, 'user', 'u-jweiss')
    const theirs = desk.ctx.db.prepare("SELECT id FROM cases WHERE assignee = 'u-amueller' LIMIT 1").get() as { id: string }
    expect(() => assignCases(desk.ctx, [theirs.id], 'u-jweiss')).toThrow(/Nur die Sachgebietsleitung/)
  })
})
