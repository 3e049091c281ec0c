// „Antrag erfassen“: the receipt stamp (Eingangsdatum) starts the statutory deadline, and the
// clerk who records the application works on it.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDesk, type Desk } from '../../desk'
import { manualClock } from '../../core/clock'

describe('paper intake with an Eingangsdatum', () => {
  let desk: Desk
  beforeAll(() => {
    desk = createDesk({
      dataDir: mkdtempSync(join(tmpdir(), 'paper-intake-')),
      mode: 'browser',
      clock: manualClock('2026-11-27T09:00:00Z'),
    })
  })
  afterAll(() => desk.close())
  const call = async <T>(m: string, input: unknown): Promise<T> => {
    const r = await desk.dispatch(m, input)
    if (!r.ok) throw new Error(`${m}: ${r.error.message}`)
    return r.value as T
  }
  const base = {
    procedureId: 'wohngeld',
    applicantName: 'Erika Mustermann',
    applicantAddress: 'Hauptstraße 1, 01067 Dresden',
    channel: 'paper',
  }
  type Detail = {
    deadline: string
    receivedAt: string
    channel: string
    assignee: string | null
    history: { action: string; detail: string | null }[]
  }

  it('runs the 30-day deadline from the stamp, not from today', async () => {
    const { caseId } = await call<{ caseId: string }>('intake.create', {
      ...base,
      receivedOn: '2026-11-13',
    })
    const c = await call<Detail>('cases.get', { id: caseId })
    // 13.11. + 30 days = Sunday 13.12.2026 → Monday 14.12.2026 (§ 31 Abs. 3 VwVfG)
    expect(c.deadline).toBe('2026-12-14')
    expect(c.receivedAt.slice(0, 10)).toBe('2026-11-13')
    expect(c.channel).toBe('paper')
    expect(c.history.find((h) => h.action === 'Papierantrag erfasst')?.detail).toContain(
      'Eingang am 13.11.2026',
    )
    const today = await call<{ caseId: string }>('intake.create', base)
    expect((await call<Detail>('cases.get', { id: today.caseId })).deadline).toBe('2026-12-28') // 27.11. + 30 = 27.12. (Sunday) → 28.12.
  })

  it('refuses a stamp in the future, in German', async () => {
    const r = await desk.dispatch('intake.create', { ...base, receivedOn: '2026-11-28' })
    expect(r).toMatchObject({
      ok: false,
      error: { message: 'Das Eingangsdatum 28.11.2026 liegt in der Zukunft.' },
    })
    const bad = await desk.dispatch('intake.create', { ...base, receivedOn: '2026-02-30' })
    expect(bad.ok).toBe(false)
  })

  it('assigns the recording clerk when asked (the screen asks by default)', async () => {
    const me = await call<{ user: { id: string; role: string } }>('app.info', {})
    expect(me.user.role).toBe('clerk')
    const other = await call<{ caseId: string }>('intake.create', base)
    expect((await call<Detail>('cases.get', { id: other.caseId })).assignee).toBeNull()
    const { caseId } = await call<{ caseId: string }>('intake.create', {
      ...base,
      channel: 'phone',
      assignToMe: true,
    })
    const c = await call<Detail>('cases.get', { id: caseId })
    expect(c.assignee).toBe(me.user.id)
    expect(c.history.map((h) => h.action)).toEqual(['Telefonischen Antrag erfasst', 'Übernommen'])
  })
})
