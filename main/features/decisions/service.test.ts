import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { getCase, insertCase } from '../../../db/repositories/cases'
import { historyOf } from '../../../db/repositories/history'
import { outboxEntries } from '../../../db/repositories/outbox'
import { setSetting } from '../../../db/repositories/settings'
import { createDesk } from '../../desk'
import { manualClock } from '../../core/clock'
import fc from 'fast-check'
import type { DecisionView } from '../../../preload/contract/index'
import { fromFormValues, initialValues } from '../../../preload/contract/decisionForm'
import { getDecision, type FieldValue } from './service'
import {
  decisionFields,
  listProcedureIds,
  loadNoticeTemplate,
  OUTCOMES,
} from '../../lib/notices/noticeModel'
import { isHeldNotice } from '../sync/outbox'
import { saveOfficeDirectory } from '../sync/directoryCache'

/** a clerk of the team the procedure belongs to (assets/demo-directory.json) */
const clerkFor = (procedureId: string) => (procedureId === 'wohngeld' ? 'u-jweiss' : 'u-lkoehler')

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
      assignee: clerkFor(procedureId),
      receivedAt: '2026-11-02T08:00:00Z',
      deadline: '2026-12-02',
      channel: 'online',
      formData: {},
      updatedAt: '2026-11-02T08:00:00Z',
    })

  // one story, one test: each step needs the state the step before left (the tests may run in any order)
  it('Wohngeld above the threshold waits for the lead, the clerk cannot co-sign; a wrong password is refused; signed, filed, Bekanntgabe computed; a late notice is held until released', async () => {
    add('case-1', 'wohngeld')
    as('u-jweiss')
    await call('decisions.decide', {
      id: 'case-1',
      outcome: 'stattgegeben',
      fields: { monthlyAmount: 612.5, periodFrom: '2026-12-01', periodTo: '2027-11-30' },
      reasons:
        'Die Voraussetzungen nach §§ 3 ff. WoGG liegen vor; das Einkommen liegt unter der Grenze.',
    })
    expect(getCase(desk.ctx.db, 'case-1')!.status).toBe('entscheidungsreif')
    expect(getDecision(desk.ctx.db, 'case-1')).toMatchObject({
      cosignRequired: true,
      cosignedAt: null,
    })
    expect(await desk.dispatch('decisions.cosign', { id: 'case-1' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    })
    expect(
      await desk.dispatch('notices.issue', { id: 'case-1', certificate: 'seal', password: 'demo' }),
    ).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('Mitzeichnung') },
    })
    as('u-sbaeumer')
    await call('decisions.cosign', { id: 'case-1' })
    expect(getCase(desk.ctx.db, 'case-1')!.status).toBe('entschieden')

    // signing
    as('u-jweiss')
    expect(
      await desk.dispatch('notices.issue', {
        id: 'case-1',
        certificate: 'personal',
        password: 'falsch',
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'wrong_password', message: 'Das Passwort des Zertifikats ist falsch.' },
    })
    await call('notices.issue', {
      id: 'case-1',
      certificate: 'personal',
      password: 'demo',
      channel: 'post',
    })
    const c = getCase(desk.ctx.db, 'case-1')!
    expect(c.status).toBe('versandt')
    // dispatched Thu 26.11.2026 → fourth day Mon 30.11. → objection period ends Wed 30.12.2026
    expect(getDecision(desk.ctx.db, 'case-1')).toMatchObject({
      dispatchDate: '2026-11-26',
      deliveredOn: '2026-11-30',
      objectionEnd: '2026-12-30',
    })
    const types = outboxEntries(desk.ctx.db, ['pending'])
      .filter((o) => o.caseId === 'case-1')
      .map((o) => o.type)
    expect(types).toEqual(['case.decide', 'case.cosign', 'notice.issue'])
    const detail = (await call('cases.get', { id: 'case-1' })) as {
      documents: { kind: string; sha256: string }[]
    }
    const notice = detail.documents.find((d) => d.kind === 'bescheid')!
    const file = join(dataDir, 'bescheid.pdf')
    writeFileSync(file, desk.ctx.blobs.get(notice.sha256))
    const out = execFileSync('pdfsig', [file], { encoding: 'utf8' })
    expect(out).toContain('Signature is Valid.')
    expect(out).toContain('Jörg Weiß')
    expect(execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' })).toContain(
      '632.1-2026-000001',
    )

    // the desk was offline since Thursday
    clock.set('2026-11-30T08:00:00Z') // Monday: the desk was offline since Thursday
    const row = () =>
      outboxEntries(desk.ctx.db, ['pending']).find(
        (o) => o.caseId === 'case-1' && o.type === 'notice.issue',
      )!
    const raw = () => ({ type: 'notice.issue', payload: JSON.stringify(row().payload) })
    expect(isHeldNotice(raw(), '2026-11-30')).toBe(true)
    expect(await call('decisions.get', { id: 'case-1' })).toMatchObject({
      noticeLate: { dispatchDate: '2026-11-26' },
    })
    await call('notices.confirmLate', { id: 'case-1' })
    expect(isHeldNotice(raw(), '2026-11-30')).toBe(false)
    expect(row().payload).toMatchObject({
      dispatchDate: '2026-11-30',
      datedOn: '2026-11-26',
      confirmedLate: true,
      deliveredOn: '2026-12-04',
    })
    expect(getDecision(desk.ctx.db, 'case-1')).toMatchObject({
      dispatchDate: '2026-11-30',
      deliveredOn: '2026-12-04',
      objectionEnd: '2027-01-04',
    })
    expect(await call('decisions.get', { id: 'case-1' })).toMatchObject({ noticeLate: null })
  })

  it('asks for the password each time unless the user lets the OS keep it', async () => {
    as('u-lkoehler')
    const kfz = (id: string) => ({
      id,
      outcome: 'stattgegeben',
      fields: { vehicle: 'VW Golf, FIN WVWZZZ1KZ8W000001', kennzeichen: 'GR-X 1', fee: 26.3 },
      reasons: 'Die Voraussetzungen des § 6 FZV liegen vor.',
    })
    add('case-3', 'kfz')
    add('case-4', 'kfz')
    await call('decisions.decide', kfz('case-3'))
    await call('decisions.decide', kfz('case-4'))
    expect(
      await desk.dispatch('notices.issue', { id: 'case-3', certificate: 'seal' }),
    ).toMatchObject({ ok: false, error: { message: expect.stringContaining('Passwort') } })
    await call('notices.issue', {
      id: 'case-3',
      certificate: 'seal',
      password: 'demo',
      remember: true,
    })
    expect(await call('decisions.get', { id: 'case-4' })).toMatchObject({
      certificates: expect.arrayContaining([
        { value: 'seal', label: expect.any(String), passwordRemembered: true },
      ]),
    })
    await call('notices.issue', { id: 'case-4', certificate: 'seal' })
    expect(getCase(desk.ctx.db, 'case-4')!.status).toBe('versandt')
    await call('notices.forgetPassword', { certificate: 'seal' })
    expect(await call('decisions.get', { id: 'case-4' })).toMatchObject({
      certificates: expect.arrayContaining([
        expect.objectContaining({ value: 'seal', passwordRemembered: false }),
      ]),
    })
  })

  it('an adverse decision without a recorded hearing cannot be signed and says what is missing', async () => {
    add('case-2', 'sondernutzung')
    as('u-lkoehler')
    await call('decisions.decide', {
      id: 'case-2',
      outcome: 'abgelehnt',
      fields: { location: 'Berliner Straße 12', purpose: 'Verkaufsstand', adminFee: 35 },
      reasons: 'Die beantragte Fläche liegt im Rettungsweg.',
    })
    const view = (await call('decisions.get', { id: 'case-2' })) as { missing: { code: string }[] }
    expect(view.missing.map((m) => m.code)).toContain('HEARING_MISSING')
    expect(
      await desk.dispatch('notices.issue', { id: 'case-2', certificate: 'seal', password: 'demo' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'notice_incomplete', message: expect.stringContaining('Anhörung') },
    })
  })
})

// ----------------------------------------------------------------------------------------------
// Issue #15: the clerk's day without traps

type View = DecisionView
const wohngeldForm = {
  antragsteller: {
    vorname: 'Käthe',
    nachname: 'Müßig',
    strasse: 'Straßburger Straße',
    hausnummer: '4',
    plz: '02826',
    ort: 'Görlitz',
  },
  haushaltsmitglieder: [{ vorname: 'Käthe' }, { vorname: 'Emil' }, { vorname: 'Ida' }],
  monatlicheMiete: 612,
  monatlichesEinkommen: 1384.2,
  beantragterZeitraum: { von: '2026-12-01', bis: '2027-11-30' },
}
const complete = 'Die Voraussetzungen nach §§ 3 ff. WoGG liegen vor.'

function deskFor(name: string) {
  const dataDir = mkdtempSync(join(tmpdir(), `${name}-`))
  const clock = manualClock('2026-11-26T09:00:00Z') // Thursday
  const desk = createDesk({ dataDir, mode: 'browser', clock })
  const as = (userId: string) => setSetting(desk.ctx.db, 'user', userId)
  const dispatch = (m: string, input: unknown) => desk.dispatch(m, input)
  const call = async <T = unknown>(m: string, input: unknown): Promise<T> => {
    const r = await desk.dispatch(m, input)
    if (!r.ok) throw new Error(`${m}: ${r.error.message}`)
    return r.value as T
  }
  let n = 0
  const add = (
    procedureId: string,
    formData: Record<string, unknown> = {},
    assignee = clerkFor(procedureId),
  ) => {
    const id = `${name}-${++n}`
    insertCase(desk.ctx.db, {
      id,
      aktenzeichen: `632.1-2026-${String(n).padStart(6, '0')}`,
      procedureId,
      subject: 'Test',
      applicantName: 'Käthe Müßig',
      applicantAddress: 'Straßburger Straße 4, 02826 Görlitz',
      status: 'in_bearbeitung',
      assignee,
      receivedAt: '2026-11-02T08:00:00Z',
      deadline: '2026-12-02',
      channel: 'online',
      formData,
      updatedAt: '2026-11-02T08:00:00Z',
    })
    return id
  }
  const history = (id: string) =>
    historyOf(desk.ctx.db, id).map(({ action, detail }) => ({ action, detail }))
  const status = (id: string) => getCase(desk.ctx.db, id)!.status
  const view = (id: string) => call<View>('decisions.get', { id })
  /** What the form does: open the saved decision, save it without touching anything. */
  const reopenAndSave = async (id: string) => {
    const v = await view(id)
    const d = v.decision!
    const defs = v.outcomes.find((o) => o.value === d.outcome)!.fields
    const { fields, errors } = fromFormValues(
      initialValues(d, v.prefill, v.outcomes),
      defs,
      d.fields,
    )
    expect(errors).toEqual([])
    return call<{ mutationId: string | null }>('decisions.decide', {
      id,
      outcome: d.outcome,
      fields,
      reasons: d.reasons,
      ...(d.hearing ? { hearing: d.hearing } : {}),
    })
  }
  return { desk, clock, as, call, dispatch, add, history, status, view, reopenAndSave }
}

describe('editing a decision keeps its values (issue #15)', () => {
  const t = deskFor('edit')
  afterAll(() => t.desk.close())

  it('187,50 € saved, opened and saved unchanged stays 187,50 € – in the decision and the Bescheid – and needs no Mitzeichnung', async () => {
    t.as('u-jweiss')
    const id = t.add('wohngeld', wohngeldForm)
    await t.call('decisions.decide', {
      id,
      outcome: 'stattgegeben',
      fields: { monthlyAmount: 187.5, periodFrom: '2026-12-01', periodTo: '2027-11-30' },
      reasons: complete,
    })
    expect(t.status(id)).toBe('entschieden')
    const before = t.history(id).length
    expect(await t.reopenAndSave(id)).toEqual({ mutationId: null })
    expect(getDecision(t.desk.ctx.db, id)).toMatchObject({
      fields: { monthlyAmount: 187.5 },
      cosignRequired: false,
    })
    expect(t.status(id)).toBe('entschieden')
    expect(t.history(id)).toHaveLength(before) // nothing changed, nothing recorded
    const { base64 } = await t.call<{ base64: string }>('notices.preview', { id })
    const file = join(mkdtempSync(join(tmpdir(), 'preview-')), 'vorschau.pdf')
    writeFileSync(file, Buffer.from(base64, 'base64'))
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' })
    expect(text).toMatch(/187,50\s€/)
    expect(text).not.toMatch(/1\.875,00/)
  })

  it('99,90 € saved unchanged does not become 999,00 € above the Mitzeichnung threshold', async () => {
    const id = t.add('wohngeld', wohngeldForm)
    await t.call('decisions.decide', {
      id,
      outcome: 'stattgegeben',
      fields: { monthlyAmount: 99.9, periodFrom: '2026-12-01', periodTo: '2027-11-30' },
      reasons: complete,
    })
    await t.reopenAndSave(id)
    await t.reopenAndSave(id)
    expect(getDecision(t.desk.ctx.db, id)).toMatchObject({
      fields: { monthlyAmount: 99.9 },
      cosignRequired: false,
      cosignedAt: null,
    })
    expect(t.status(id)).toBe('entschieden')
  })

  it('a co-signed decision opened and saved unchanged keeps its co-signature', async () => {
    const id = t.add('wohngeld', wohngeldForm)
    await t.call('decisions.decide', {
      id,
      outcome: 'stattgegeben',
      fields: { monthlyAmount: 612.5, periodFrom: '2026-12-01', periodTo: '2027-11-30' },
      reasons: complete,
    })
    t.as('u-sbaeumer')
    await t.call('decisions.cosign', { id })
    t.as('u-jweiss')
    expect(await t.reopenAndSave(id)).toEqual({ mutationId: null })
    expect(t.status(id)).toBe('entschieden')
    expect(getDecision(t.desk.ctx.db, id)).toMatchObject({ cosignedBy: 'u-sbaeumer' })
  })

  it('property: for every procedure template, outcome and field type (money, date, text, list), open → save unchanged → identical values', async () => {
    t.as('u-jweiss')
    const day = fc
      .date({
        min: new Date('2020-01-01T00:00:00Z'),
        max: new Date('2030-12-31T00:00:00Z'),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString().slice(0, 10))
    const arb: Record<string, fc.Arbitrary<FieldValue>> = {
      money: fc.oneof(
        fc.integer({ min: 0, max: 10_000_000_00 }).map((c) => c / 100),
        fc.double({ min: 0, max: 1e6, noNaN: true, noDefaultInfinity: true }),
      ),
      date: day,
      text: fc
        .string({ minLength: 1, maxLength: 80 })
        .filter((x) => x.trim() !== '' && !x.includes('{{')),
      list: fc.array(
        fc.string({ minLength: 1, maxLength: 40 }).filter((x) => x.trim() !== ''),
        { minLength: 1, maxLength: 4 },
      ),
    }
    const types = new Set<string>()
    for (const procedureId of listProcedureIds()) {
      const tpl = loadNoticeTemplate(procedureId)
      for (const outcome of OUTCOMES.filter((o) => tpl.outcomes[o])) {
        const defs = decisionFields(procedureId, outcome)
        defs.forEach((d) => types.add(d.type))
        const fieldsArb = fc.record(Object.fromEntries(defs.map((d) => [d.name, arb[d.type]!])), {
          requiredKeys: [],
        })
        await fc.assert(
          fc.asyncProperty(fieldsArb, fc.string({ maxLength: 200 }), async (fields, reasons) => {
            t.as(clerkFor(procedureId))
            const id = t.add(procedureId)
            await t.call('decisions.decide', {
              id,
              outcome,
              fields,
              reasons,
              hearing: { done: true, date: '2026-11-10' },
            })
            const saved = getDecision(t.desk.ctx.db, id)!
            await t.reopenAndSave(id)
            const again = getDecision(t.desk.ctx.db, id)!
            expect(again.fields).toEqual(saved.fields)
            expect(again.reasons).toBe(saved.reasons)
            expect(again.outcome).toBe(outcome)
            expect(saved.fields).toEqual(fields)
            // what the inputs show also reads back by itself (German amounts, not „187.5“)
            const v = await t.view(id)
            const shown = fromFormValues(
              initialValues(v.decision, v.prefill, v.outcomes),
              defs,
            ).fields
            for (const d of defs.filter((f) => f.type !== 'text')) {
              const x = saved.fields[d.name]
              if (typeof x === 'number' && Math.round(x * 100) !== x * 100) continue // more than cents: kept as stored, shown rounded
              expect(shown[d.name], d.name).toEqual(Array.isArray(x) ? x.map((i) => i.trim()) : x)
            }
          }),
          { numRuns: 8 },
        )
      }
    }
    expect([...types].sort()).toEqual(['date', 'list', 'money', 'text'])
    expect(listProcedureIds()).toHaveLength(5)
  })
})

describe('the Verlauf records what changed (issue #15)', () => {
  const t = deskFor('verlauf')
  afterAll(() => t.desk.close())

  it('records every changed field old → new, the outcome by the template label', async () => {
    t.as('u-jweiss')
    const id = t.add('wohngeld', wohngeldForm)
    await t.call('decisions.decide', {
      id,
      outcome: 'stattgegeben',
      fields: { monthlyAmount: 187.5, periodFrom: '2026-12-01', periodTo: '2027-11-30' },
      reasons: complete,
    })
    expect(t.history(id).at(-1)!.action).toBe('Entscheidung erfasst: Bewilligung')
    await t.call('decisions.decide', {
      id,
      outcome: 'stattgegeben',
      fields: { monthlyAmount: 190, periodFrom: '2026-12-01', periodTo: '2027-10-31' },
      reasons: `${complete} Ergänzt.`,
    })
    expect(t.history(id).at(-1)!.action).toBe(
      'Entscheidung geändert: Monatliches Wohngeld 187,50\u00a0€ → 190,00\u00a0€; Bewilligungszeitraum bis 30.11.2027 → 31.10.2027; Begründung geändert',
    )
    await t.call('decisions.decide', {
      id,
      outcome: 'abgelehnt',
      fields: {},
      reasons: complete,
      hearing: { done: true, date: '2026-11-20' },
    })
    const last = t.history(id).at(-1)!.action
    expect(last).toContain('Ergebnis Bewilligung → Ablehnung')
    expect(last).toContain('Monatliches Wohngeld 190,00\u00a0€ → —')
    expect(last).toContain('Anhörung keine Angabe → durchgeführt am 20.11.2026')
  })
})

describe('the decision is prefilled from the application (issue #15)', () => {
  const t = deskFor('prefill')
  afterAll(() => t.desk.close())

  it('the Begründung skeleton holds the application date, household size, rent and income; the amount is written in on saving', async () => {
    t.as('u-jweiss')
    const id = t.add('wohngeld', wohngeldForm)
    const v = await t.view(id)
    const skeleton = v.outcomes.find((o) => o.value === 'stattgegeben')!.reasonsSkeleton
    expect(skeleton).toContain('Sie haben am 02.11.2026 Wohngeld beantragt.')
    expect(skeleton).toContain('Haushaltsmitglieder (3)')
    expect(skeleton).toContain('Miete von 612,00\u00a0€')
    expect(skeleton).toContain('Gesamteinkommen von 1.384,20\u00a0€')
    expect(skeleton).not.toMatch(/\[Anzahl\]|\[Betrag\]|\{\{applicationDate\}\}/)
    expect(v.prefill).toMatchObject({ periodFrom: '2026-12-01', periodTo: '2027-11-30' })
    await t.call('decisions.decide', {
      id,
      outcome: 'stattgegeben',
      fields: { monthlyAmount: 187.5, periodFrom: '2026-12-01', periodTo: '2027-11-30' },
      reasons: skeleton,
    })
    const d = getDecision(t.desk.ctx.db, id)!
    expect(d.reasons).toContain('ein Wohngeld von monatlich 187,50\u00a0€.')
    expect(d.reasons).not.toMatch(/\{\{|\[/)
    expect(t.status(id)).toBe('entschieden')
    expect((await t.view(id)).decision).toMatchObject({
      draft: false,
      open: [],
      outcomeLabel: 'Bewilligung',
    })
  })

  it('a decision with open placeholders stays a draft (not „Entschieden“) and says in German what is open', async () => {
    const id = t.add('wohngeld', wohngeldForm)
    const skeleton = (await t.view(id)).outcomes.find(
      (o) => o.value === 'teilweise_stattgegeben',
    )!.reasonsSkeleton
    await t.call('decisions.decide', {
      id,
      outcome: 'teilweise_stattgegeben',
      fields: { monthlyAmount: 150, periodFrom: '2026-12-01', periodTo: '2027-11-30' },
      reasons: skeleton,
    })
    expect(t.status(id)).toBe('in_bearbeitung')
    const v = await t.view(id)
    expect(v.decision!.draft).toBe(true)
    const messages = v.decision!.open.map((m) => m.messageDe).join(' ')
    expect(messages).toContain('Pflichtangabe fehlt: Umfang der Ablehnung.')
    expect(messages).toMatch(
      /Die Begründung enthält noch offene Stellen: „Umfang der Ablehnung“, \[Begründung\]\./,
    )
    expect(v.canIssue).toBe(false)
    expect(t.history(id).at(-1)).toMatchObject({
      action: 'Entscheidung als Entwurf erfasst: Teilweise Bewilligung',
      detail: expect.stringContaining('Entwurf – noch offen:'),
    })
    // a draft never waits for the Mitzeichnung
    t.as('u-sbaeumer')
    expect(
      (await t.call<{ rows: { caseId: string }[] }>('decisions.cosignInbox', {})).rows.map(
        (r) => r.caseId,
      ),
    ).not.toContain(id)
    t.as('u-jweiss')
    // filled in → decided
    await t.call('decisions.decide', {
      id,
      outcome: 'teilweise_stattgegeben',
      fields: {
        monthlyAmount: 150,
        periodFrom: '2026-12-01',
        periodTo: '2027-11-30',
        partialRejection: 'für die Zeit vor dem 01.12.2026',
      },
      reasons: skeleton.replace('[Begründung]', 'der Antrag erst im Dezember gestellt wurde'),
      hearing: { done: true, date: '2026-11-20' },
    })
    expect(t.status(id)).toBe('entschieden')
  })

  it('only the fields of the chosen outcome are offered and stored', async () => {
    const id = t.add('wohngeld', wohngeldForm)
    const v = await t.view(id)
    expect(v.outcomes.find((o) => o.value === 'eingestellt')!.fields.map((f) => f.name)).toEqual([
      'applicationDate',
      'withdrawalDate',
    ])
    expect(v.outcomes.find((o) => o.value === 'abgelehnt')!.fields.map((f) => f.name)).toEqual([
      'applicationDate',
    ])
    await t.call('decisions.decide', {
      id,
      outcome: 'eingestellt',
      fields: { monthlyAmount: 187.5, withdrawalDate: '2026-11-20' },
      reasons: 'Sie haben Ihren Antrag zurückgenommen.',
    })
    expect(getDecision(t.desk.ctx.db, id)!.fields).toEqual({ withdrawalDate: '2026-11-20' })
    expect(
      await t.dispatch('decisions.decide', {
        id,
        outcome: 'eingestellt',
        fields: { erfunden: 'x' },
        reasons: 'x',
      }),
    ).toMatchObject({ ok: false, error: { message: expect.stringContaining('Unbekannte Felder') } })
  })
})

describe('Mitzeichnung inbox, comment, return with a note, four eyes by identity (issue #15)', () => {
  const t = deskFor('cosign')
  afterAll(() => t.desk.close())
  const decideAbove = (id: string) =>
    t.call('decisions.decide', {
      id,
      outcome: 'stattgegeben',
      fields: { monthlyAmount: 612.5, periodFrom: '2026-12-01', periodTo: '2027-11-30' },
      reasons: complete,
    })

  it('the lead sees the waiting decision in the inbox and co-signs it with a comment', async () => {
    t.as('u-jweiss')
    const id = t.add('wohngeld', wohngeldForm)
    await decideAbove(id)
    const v = await t.view(id)
    expect(v).toMatchObject({ cosignPending: true, canCosign: false, canIssue: false })
    expect(await t.call('decisions.cosignInbox', {})).toEqual({ rows: [] }) // a clerk has no inbox
    t.as('u-sbaeumer')
    const inbox = await t.call<{
      rows: {
        caseId: string
        outcomeLabel: string
        decidedByName: string
        amounts: { label: string; value: string }[]
      }[]
    }>('decisions.cosignInbox', {})
    expect(inbox.rows.filter((r) => r.caseId === id)).toEqual([
      expect.objectContaining({
        caseId: id,
        outcomeLabel: 'Bewilligung',
        decidedByName: 'Jörg Weiß',
        amounts: [{ label: 'Monatliches Wohngeld', value: '612,50\u00a0€' }],
      }),
    ])
    await t.call('decisions.cosign', { id, comment: 'Berechnung geprüft.' })
    expect(t.status(id)).toBe('entschieden')
    expect(t.history(id).at(-1)).toEqual({
      action: 'Mitgezeichnet',
      detail: 'Sabine Bäumer (Vier-Augen-Prinzip) – Anmerkung: Berechnung geprüft.',
    })
    expect((await t.view(id)).decision).toMatchObject({
      cosignedBy: 'Sabine Bäumer',
      cosignComment: 'Berechnung geprüft.',
    })
    expect(
      (await t.call<{ rows: { caseId: string }[] }>('decisions.cosignInbox', {})).rows.map(
        (r) => r.caseId,
      ),
    ).not.toContain(id)
    const types = outboxEntries(t.desk.ctx.db, ['pending'])
      .filter((o) => o.caseId === id)
      .map((o) => [o.type, o.payload])
    expect(types.at(-1)).toEqual(['case.cosign', { comment: 'Berechnung geprüft.' }])
  })

  it('the lead returns it to the clerk with a note; the clerk sees it and resubmits', async () => {
    t.as('u-jweiss')
    const id = t.add('wohngeld', wohngeldForm)
    await decideAbove(id)
    t.as('u-sbaeumer')
    expect(await t.dispatch('decisions.returnForChanges', { id, note: '  ' })).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('Anmerkung') },
    })
    await t.call('decisions.returnForChanges', {
      id,
      note: 'Bitte das Einkommen des Sohnes berücksichtigen.',
    })
    expect(t.status(id)).toBe('in_bearbeitung')
    expect(t.history(id).at(-1)).toEqual({
      action: 'Zurück an Jörg Weiß mit Anmerkung',
      detail: 'Bitte das Einkommen des Sohnes berücksichtigen.',
    })
    expect(
      outboxEntries(t.desk.ctx.db, ['pending'])
        .filter((o) => o.caseId === id)
        .at(-1),
    ).toMatchObject({
      type: 'case.status',
      payload: { from: 'entscheidungsreif', to: 'in_bearbeitung' },
    })
    expect(
      (await t.call<{ rows: { caseId: string }[] }>('decisions.cosignInbox', {})).rows.map(
        (r) => r.caseId,
      ),
    ).not.toContain(id)
    t.as('u-jweiss')
    const v = await t.view(id)
    expect(v.decision!.returned).toMatchObject({
      byName: 'Sabine Bäumer',
      note: 'Bitte das Einkommen des Sohnes berücksichtigen.',
    })
    expect(v).toMatchObject({ cosignPending: false, canIssue: false })
    expect((await t.reopenAndSave(id)).mutationId).not.toBeNull()
    expect(t.history(id).at(-1)!.action).toBe('Entscheidung erneut zur Mitzeichnung vorgelegt')
    expect(t.status(id)).toBe('entscheidungsreif')
    expect((await t.view(id)).decision!.returned).toBeNull()
  })

  it('a draft or a returned decision moved to „Entscheidungsreif“ by hand is not offered for co-signature', async () => {
    t.as('u-jweiss')
    const id = t.add('wohngeld', wohngeldForm)
    await t.call('decisions.decide', {
      id,
      outcome: 'stattgegeben',
      fields: { monthlyAmount: 612.5, periodFrom: '2026-12-01', periodTo: '2027-11-30' },
      reasons: 'Weil [Begründung].',
    })
    expect(t.status(id)).toBe('in_bearbeitung')
    await t.call('casework.setStatus', { id, to: 'entscheidungsreif' })
    t.as('u-sbaeumer')
    expect(
      (await t.call<{ rows: { caseId: string }[] }>('decisions.cosignInbox', {})).rows.map(
        (r) => r.caseId,
      ),
    ).not.toContain(id)
    expect(await t.dispatch('decisions.cosign', { id })).toMatchObject({
      ok: false,
      error: { code: 'invalid_transition' },
    })
    t.as('u-jweiss')
    await decideAbove(id)
    t.as('u-sbaeumer')
    await t.call('decisions.returnForChanges', { id, note: 'Bitte prüfen.' })
    t.as('u-jweiss')
    await t.call('casework.setStatus', { id, to: 'entscheidungsreif' })
    t.as('u-sbaeumer')
    expect(
      (await t.call<{ rows: { caseId: string }[] }>('decisions.cosignInbox', {})).rows.map(
        (r) => r.caseId,
      ),
    ).not.toContain(id)
    expect(await t.dispatch('decisions.cosign', { id })).toMatchObject({
      ok: false,
      error: { code: 'invalid_transition' },
    })
  })

  it('the co-signer must be another person than the decider: a lead who decided cannot co-sign, nor the lead of another team; another lead of the team can', async () => {
    t.as('u-sbaeumer')
    const id = t.add('wohngeld', wohngeldForm, 'u-sbaeumer')
    await decideAbove(id)
    expect((await t.view(id)).canCosign).toBe(false)
    expect(await t.dispatch('decisions.cosign', { id })).toMatchObject({
      ok: false,
      error: { code: 'forbidden', message: expect.stringContaining('Vier-Augen-Prinzip') },
    })
    expect(await t.dispatch('decisions.returnForChanges', { id, note: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    })
    expect(
      (await t.call<{ rows: { caseId: string }[] }>('decisions.cosignInbox', {})).rows.map(
        (r) => r.caseId,
      ),
    ).not.toContain(id)
    // a lead, but of the other team: not for a Wohngeld case
    t.as('u-hjuengling')
    expect(
      (await t.call<{ rows: { caseId: string }[] }>('decisions.cosignInbox', {})).rows.map(
        (r) => r.caseId,
      ),
    ).not.toContain(id)
    expect(await t.dispatch('decisions.cosign', { id })).toMatchObject({
      ok: false,
      error: { code: 'forbidden', message: expect.stringContaining('Sachgebiet Soziales') },
    })
    // a second lead of the Wohngeld team (the office directory as the hub would send it)
    const dir = t.desk.ctx.directory()
    saveOfficeDirectory(t.desk.ctx.db, {
      ...dir,
      users: [
        ...dir.users.flatMap((u) => (u.role === 'readonly' ? [] : [{ ...u, role: u.role }])),
        { userId: 'u-zweite', name: 'Zora Zweite', role: 'lead', teamId: 'team-soziales' },
      ],
      procedures: [],
      filePlan: [],
    })
    t.as('u-zweite')
    expect(
      (await t.call<{ rows: { caseId: string }[] }>('decisions.cosignInbox', {})).rows.map(
        (r) => r.caseId,
      ),
    ).toContain(id)
    await t.call('decisions.cosign', { id })
    expect(getDecision(t.desk.ctx.db, id)).toMatchObject({
      decidedBy: 'u-sbaeumer',
      cosignedBy: 'u-zweite',
    })
  })
})

describe('sign and send in two steps; the Postausgang (issue #15)', () => {
  const t = deskFor('send')
  afterAll(() => t.desk.close())

  it('a Bußgeldbescheid: Einspruch within two weeks (§ 67 OWiG) in the summary and the decision view', async () => {
    t.as('u-lkoehler') // a fine belongs to team-ordnung (main/core/rights.ts)
    const id = t.add('bussgeld', {})
    await t.call('decisions.decide', {
      id,
      outcome: 'stattgegeben',
      fields: {
        offenceDate: '2026-09-18',
        offenceLocation: 'Görlitz, Zittauer Straße',
        offence: 'Geschwindigkeitsüberschreitung um 18 km/h',
        legalBasis: '§ 41 Abs. 1 StVO; § 24 StVG',
        evidence: ['Messprotokoll'],
        amount: 150,
        fees: 25,
        expenses: 3.5,
        totalAmount: 178.5,
      },
      reasons: 'Die Ordnungswidrigkeit ist durch das Messprotokoll nachgewiesen.',
      hearing: { done: true, date: '2026-10-02' },
    })
    expect(t.status(id)).toBe('entschieden')
    // dispatched Thu 26.11.2026 → notified Mon 30.11. → two weeks: Mon 14.12.2026 (not 30.12.)
    expect(await t.call('notices.summary', { id, channel: 'post' })).toMatchObject({
      deliveredOn: '2026-11-30',
      objectionEnd: '2026-12-14',
      objection: { name: 'Einspruch', period: 'zwei Wochen', norm: '§ 67 Abs. 1 OWiG' },
    })
    expect((await t.view(id)).law).toEqual({
      bekanntgabePost: '§ 51 Abs. 1 OWiG i. V. m. § 4 Abs. 2 VwZG',
      bekanntgabePortal: '§ 51 Abs. 1 OWiG i. V. m. § 5a VwZG',
      objection: { name: 'Einspruch', period: 'zwei Wochen', norm: '§ 67 Abs. 1 OWiG' },
    })
  })

  it('the summary names addressee, channel, amounts, Bekanntgabe and objection dates before anything is sent', async () => {
    t.as('u-jweiss')
    const id = t.add('wohngeld', wohngeldForm)
    await t.call('decisions.decide', {
      id,
      outcome: 'stattgegeben',
      fields: { monthlyAmount: 187.5, periodFrom: '2026-12-01', periodTo: '2027-11-30' },
      reasons: complete,
    })
    const s = await t.call('notices.summary', { id, channel: 'post' })
    // dispatched Thu 26.11.2026 → fourth day Mon 30.11. → objection period ends Wed 30.12.2026
    expect(s).toEqual({
      addressee: ['Käthe Müßig', 'Straßburger Straße 4', '02826 Görlitz'],
      channel: 'post',
      channelLabel: expect.stringContaining('Post'),
      outcomeLabel: 'Bewilligung',
      amounts: [{ label: 'Monatliches Wohngeld', value: '187,50\u00a0€' }],
      dispatchDate: '2026-11-26',
      deliveredOn: '2026-11-30',
      objectionEnd: '2026-12-30',
      objection: { name: 'Widerspruch', period: 'ein Monat', norm: '§ 70 Abs. 1 VwGO' },
    })
    expect(await t.call('notices.summary', { id, channel: 'portal' })).toMatchObject({
      deliveredOn: null,
      objectionEnd: null,
    })
    expect(t.status(id)).toBe('entschieden')
    expect(
      outboxEntries(t.desk.ctx.db, ['pending'])
        .filter((o) => o.caseId === id)
        .map((o) => o.type),
    ).toEqual(['case.decide'])
  })

  it('a notice sent by post waits in the Postausgang until it is noted as handed to the post', async () => {
    const id = t.add('wohngeld', wohngeldForm)
    await t.call('decisions.decide', {
      id,
      outcome: 'stattgegeben',
      fields: { monthlyAmount: 187.5, periodFrom: '2026-12-01', periodTo: '2027-11-30' },
      reasons: complete,
    })
    await t.call('notices.issue', { id, certificate: 'seal', password: 'demo', channel: 'post' })
    const detail = await t.call<{ documents: { id: string; kind: string; title: string }[] }>(
      'cases.get',
      { id },
    )
    const notice = detail.documents.find((d) => d.kind === 'bescheid')!
    expect(notice.title).toBe('Bescheid vom 26.11.2026 (Bewilligung)')
    const out = await t.call<{
      rows: { caseId: string; documentId: string; addressee: string[] }[]
    }>('notices.postOutbox', {})
    expect(out.rows).toEqual([
      expect.objectContaining({
        caseId: id,
        documentId: notice.id,
        addressee: ['Käthe Müßig', 'Straßburger Straße 4', '02826 Görlitz'],
      }),
    ])
    await t.call('notices.markPosted', { id })
    expect((await t.call<{ rows: unknown[] }>('notices.postOutbox', {})).rows).toEqual([])
    expect(t.history(id).at(-1)).toMatchObject({ action: 'Bescheid zur Post gegeben' })
    expect(
      outboxEntries(t.desk.ctx.db, ['pending'])
        .filter((o) => o.caseId === id)
        .at(-1),
    ).toMatchObject({ type: 'notice.posted', payload: { postedOn: '2026-11-26' } })
    expect(await t.call('notices.markPosted', { id })).toEqual({ mutationId: null })
  })
})

describe('a paper application without the values the skeleton names', () => {
  const t = deskFor('paper')
  afterAll(() => t.desk.close())
  it('leaves them open and names them in German', async () => {
    t.as('u-jweiss')
    const id = t.add('wohngeld', {})
    const skeleton = (await t.view(id)).outcomes.find(
      (o) => o.value === 'stattgegeben',
    )!.reasonsSkeleton
    expect(skeleton).toContain('{{householdSize}}')
    await t.call('decisions.decide', {
      id,
      outcome: 'stattgegeben',
      fields: { monthlyAmount: 187.5, periodFrom: '2026-12-01', periodTo: '2027-11-30' },
      reasons: skeleton,
    })
    const open = (await t.view(id)).decision!.open.map((m) => m.messageDe).join(' ')
    expect(open).toContain(
      'Die Begründung enthält noch offene Stellen: „Zahl der Haushaltsmitglieder“, „Zu berücksichtigende Miete“, „Monatliches Gesamteinkommen“.',
    )
    expect(t.status(id)).toBe('in_bearbeitung')
  })
})
