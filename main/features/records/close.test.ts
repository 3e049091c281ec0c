import { setCaseStatus } from '../../../db/repositories/cases'
// zdA by the Registratur: retention and archival value proposed from the file plan, chosen
// otherwise where needed, a Registraturvermerk stored and written to the Verlauf.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDesk, type Desk } from '../../desk'
import { manualClock } from '../../core/clock'
import { setSetting } from '../../../db/repositories/settings'

describe('zdA with retention, archival value and Registraturvermerk', () => {
  let desk: Desk
  beforeAll(() => {
    desk = createDesk({
      dataDir: mkdtempSync(join(tmpdir(), 'records-close-')),
      mode: 'browser',
      clock: manualClock('2026-11-27T09:00:00Z'),
    })
    // zdA is the Registratur's (main/core/rights.ts)
    setSetting(desk.ctx.db, 'user', 'u-rvoelkel')
  })
  afterAll(() => desk.close())
  const call = async <T>(m: string, input: unknown): Promise<T> => {
    const r = await desk.dispatch(m, input)
    if (!r.ok) throw new Error(`${m}: ${r.error.message}`)
    return r.value as T
  }
  const sentCase = async (procedureId: string) => {
    const { caseId } = await call<{ caseId: string }>('intake.create', {
      procedureId,
      applicantName: 'Erika Mustermann',
      applicantAddress: 'Hauptstraße 1, 01067 Dresden',
      channel: 'paper',
    })
    setCaseStatus(desk.ctx.db, caseId, 'versandt') // the notice went out (not under test here)
    return caseId
  }
  type Closing = {
    proposedRetentionYears: number
    proposedArchivalValue: string
    fileCode: string
    closed: null | {
      retentionYears: number | null
      archivalValue: string | null
      recordsNote: string | null
    }
  }

  it('proposes the file plan and keeps it when nothing else is chosen', async () => {
    const id = await sentCase('wohngeld')
    expect(await call<Closing>('records.closing', { id })).toMatchObject({
      proposedRetentionYears: 6,
      proposedArchivalValue: 'vernichten',
      fileCode: expect.stringMatching(/^632/),
      closed: null,
    })
    await call('records.close', { id })
    const c = await call<{ retentionEnd: string; status: string }>('cases.get', { id })
    expect(c).toMatchObject({ status: 'abgeschlossen', retentionEnd: '2032-12-31' })
    expect((await call<Closing>('records.closing', { id })).closed).toEqual({
      retentionYears: 6,
      archivalValue: 'vernichten',
      recordsNote: null,
    })
  })

  it('stores another retention, „archivwürdig“ and the Registraturvermerk, shown in the Verlauf', async () => {
    const id = await sentCase('wohngeld')
    await call('records.close', {
      id,
      retentionYears: 10,
      archivalValue: 'archivwürdig',
      note: 'Musterverfahren für die Härtefallregelung',
    })
    const c = await call<{
      retentionEnd: string
      history: { action: string; detail: string | null }[]
    }>('cases.get', { id })
    expect(c.retentionEnd).toBe('2036-12-31')
    expect((await call<Closing>('records.closing', { id })).closed).toEqual({
      retentionYears: 10,
      archivalValue: 'archivwürdig',
      recordsNote: 'Musterverfahren für die Härtefallregelung',
    })
    const zda = c.history.find((h) => h.action === 'zdA verfügt')!
    expect(zda.detail).toContain('Aufbewahrung bis 31.12.2036 (10 Jahre')
    expect(zda.detail).toContain('Archivwert: archivwürdig')
    expect(zda.detail).toContain('Registraturvermerk: Musterverfahren für die Härtefallregelung')
  })

  it('refuses an archival value the file plan does not know, in German', async () => {
    const id = await sentCase('kfz')
    const r = await desk.dispatch('records.close', { id, archivalValue: 'behalten' })
    expect(r.ok).toBe(false)
    const y = await desk.dispatch('records.close', { id, retentionYears: 0 })
    expect(y).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('Mindestens ein Jahr') },
    })
  })
})
