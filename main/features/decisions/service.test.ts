import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { getCase, insertCase } from '../../../db/repositories/cases'
import { outboxEntries } from '../../../db/repositories/outbox'
import { setSetting } from '../../../db/repositories/settings'
import { createDesk } from '../../desk'
import { manualClock } from '../../core/clock'
import { getDecision } from './service'
import { isHeldNotice } from '../sync/outbox'

describe('decision, four eyes and the signed notice', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'decisions-'))
  const clock = manualClock('2026-11-26T09:00:00Z') // Thursday
  const desk = createDesk({ dataDir, mode: 'browser', clock })
  afterAll(() => desk.close())
  const as = (userId: string) => setSetting(desk.ctx.db, 'user', userId)
  const call = async (m: string, input: unknown) => {
    const r = await desk.dispatch(m, input)
    if (!r.ok) throw new Error(`${m}: ${r.error.message}`)
    return r.value
  }
  const add = (id: string, procedureId: string) =>
    insertCase(desk.ctx.db, {
      id,
      aktenzeichen: `632.1-2026-00000${id.slice(-1)}`,
      procedureId,
      subject: 'Test',
      applicantName: 'Käthe Müßig',
      applicantAddress: 'Straßburger Straße 4, 02826 Görlitz',
      status: 'in_bearbeitung',
      assignee: 'u-jweiss',
      receivedAt: '2026-11-02T08:00:00Z',
      deadline: '2026-12-02',
      channel: 'online',
      formData: {},
      updatedAt: '2026-11-02T08:00:00Z',
    })

  it('Wohngeld above the threshold waits for the lead; the clerk cannot co-sign their own', async () => {
    add('case-1', 'wohngeld')
    as('u-jweiss')
    await call('decisions.decide', {
      id: 'case-1',
      outcome: 'stattgegeben',
      fields: { monthlyAmount: 612.5, periodFrom: '2026-12-01', periodTo: '2027-11-30' },
      reasons: 'Die Voraussetzungen nach §§ 3 ff. WoGG liegen vor; das Einkommen liegt unter der Grenze.',
    })
    expect(getCase(desk.ctx.db, 'case-1')!.status).toBe('entscheidungsreif')
    expect(getDecision(desk.ctx.db, 'case-1')).toMatchObject({ cosignRequired: true, cosignedAt: null })
    expect(await desk.dispatch('decisions.cosign', { id: 'case-1' })).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    expect(await desk.dispatch('notices.issue', { id: 'case-1', certificate: 'seal', password: 'demo' })).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('Mitzeichnung') },
    })
    as('u-sbaeumer')
    await call('decisions.cosign', { id: 'case-1' })
    expect(getCase(desk.ctx.db, 'case-1')!.status).toBe('entschieden')
  })

  it('refuses a wrong password, then signs, files the PDF, computes Bekanntgabe and queues notice.issue', async () => {
    as('u-jweiss')
    expect(await desk.dispatch('notices.issue', { id: 'case-1', certificate: 'personal', password: 'falsch' })).toMatchObject({
      ok: false,
      error: { code: 'wrong_password', message: 'Das Passwort des Zertifikats ist falsch.' },
    })
    await call('notices.issue', { id: 'case-1', certificate: 'personal', password: 'demo', channel: 'post' })
    const c = getCase(desk.ctx.db, 'case-1')!
    expect(c.status).toBe('versandt')
    // dispatched Thu 26.11.2026 → fourth day Mon 30.11. → objection period ends Wed 30.12.2026
    expect(getDecision(desk.ctx.db, 'case-1')).toMatchObject({ dispatchDate: '2026-11-26', deliveredOn: '2026-11-30', objectionEnd: '2026-12-30' })
    const types = outboxEntries(desk.ctx.db, ['pending']).filter((o) => o.caseId === 'case-1').map((o) => o.type)
    expect(types).toEqual(['case.decide', 'case.cosign', 'notice.issue'])
    const detail = (await call('cases.get', { id: 'case-1' })) as { documents: { kind: string; sha256: string }[] }
    const notice = detail.documents.find((d) => d.kind === 'bescheid')!
    const file = join(dataDir, 'bescheid.pdf')
    writeFileSync(file, desk.ctx.blobs.get(notice.sha256))
    const out = execFileSync('pdfsig', [file], { encoding: 'utf8' })
    expect(out).toContain('Signature is Valid.')
    expect(out).toContain('Jörg Weiß')
    expect(execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' })).toContain('632.1-2026-000001')
  })

  it('a notice still in the offline outbox after its date is held until the clerk releases it with a new dispatch day', async () => {
    clock.set('2026-11-30T08:00:00Z') // Monday: the desk was offline since Thursday
    const row = () => outboxEntries(desk.ctx.db, ['pending']).find((o) => o.caseId === 'case-1' && o.type === 'notice.issue')!
    const raw = () => ({ type: 'notice.issue', payload: JSON.stringify(row().payload) })
    expect(isHeldNotice(raw(), '2026-11-30')).toBe(true)
    expect(await call('decisions.get', { id: 'case-1' })).toMatchObject({ noticeLate: { dispatchDate: '2026-11-26' } })
    await call('notices.confirmLate', { id: 'case-1' })
    expect(isHeldNotice(raw(), '2026-11-30')).toBe(false)
    expect(row().payload).toMatchObject({ dispatchDate: '2026-11-30', datedOn: '2026-11-26', confirmedLate: true, deliveredOn: '2026-12-04' })
    expect(getDecision(desk.ctx.db, 'case-1')).toMatchObject({ dispatchDate: '2026-11-30', deliveredOn: '2026-12-04', objectionEnd: '2027-01-04' })
    expect(await call('decisions.get', { id: 'case-1' })).toMatchObject({ noticeLate: null })
  })

  it('asks for the password each time unless the user lets the OS keep it', async () => {
    as('u-jweiss')
    const kfz = (id: string) => ({ id, outcome: 'stattgegeben', fields: { vehicle: 'VW Golf, FIN WVWZZZ1KZ8W000001', kennzeichen: 'GR-X 1', fee: 26.3 }, reasons: 'Die Voraussetzungen des § 6 FZV liegen vor.' })
    add('case-3', 'kfz')
    add('case-4', 'kfz')
    await call('decisions.decide', kfz('case-3'))
    await call('decisions.decide', kfz('case-4'))
    expect(await desk.dispatch('notices.issue', { id: 'case-3', certificate: 'seal' })).toMatchObject({ ok: false, error: { message: expect.stringContaining('Passwort') } })
    await call('notices.issue', { id: 'case-3', certificate: 'seal', password: 'demo', remember: true })
    expect(await call('decisions.get', { id: 'case-4' })).toMatchObject({ certificates: expect.arrayContaining([{ value: 'seal', label: expect.any(String), passwordRemembered: true }]) })
    await call('notices.issue', { id: 'case-4', certificate: 'seal' })
    expect(getCase(desk.ctx.db, 'case-4')!.status).toBe('versandt')
    await call('notices.forgetPassword', { certificate: 'seal' })
    expect(await call('decisions.get', { id: 'case-4' })).toMatchObject({ certificates: expect.arrayContaining([expect.objectContaining({ value: 'seal', passwordRemembered: false })]) })
  })

  it('an adverse decision without a recorded hearing cannot be signed and says what is missing', async () => {
    add('case-2', 'sondernutzung')
    as('u-jweiss')
    await call('decisions.decide', { id: 'case-2', outcome: 'abgelehnt', fields: {}, reasons: 'Die beantragte Fläche liegt im Rettungsweg.' })
    const view = (await call('decisions.get', { id: 'case-2' })) as { missing: { code: string }[] }
    expect(view.missing.map((m) => m.code)).toContain('HEARING_MISSING')
    expect(await desk.dispatch('notices.issue', { id: 'case-2', certificate: 'seal', password: 'demo' })).toMatchObject({
      ok: false,
      error: { code: 'notice_incomplete', message: expect.stringContaining('Anhörung') },
    })
  })
})
