// Issue #15: Tenor and Begründung name the same grant period — one source (the decision's period
// fields), checked on the rendered notice (pdftotext), also after the clerk corrects the period.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { getCase, insertCase } from '../../../db/repositories/cases'
import { setSetting } from '../../../db/repositories/settings'
import type { DecisionView } from '../../../preload/contract/index'
import { manualClock } from '../../core/clock'
import { createDesk } from '../../desk'
import { renderNotice } from '../../lib/notices/noticePdf'
import { pdfText } from '../../lib/signature/pdfTools.testutil'
import { getDecision } from './service'
import { noticeInputFor } from './text'

const wohngeldForm = {
  antragsteller: {
    vorname: 'Käthe',
    nachname: 'Müßig',
    strasse: 'Straßburger Straße',
    hausnummer: '4',
    plz: '02826',
    ort: 'Görlitz',
  },
  haushaltsmitglieder: [{ vorname: 'Käthe' }, { vorname: 'Emil' }],
  monatlicheMiete: 612,
  monatlichesEinkommen: 1384.2,
  // applied for in November, for a period from December
  beantragterZeitraum: { von: '2026-12-01', bis: '2027-11-30' },
}

const dataDir = mkdtempSync(join(tmpdir(), 'period-'))
const desk = createDesk({ dataDir, mode: 'browser', clock: manualClock('2026-11-26T09:00:00Z') })
afterAll(() => desk.close())
setSetting(desk.ctx.db, 'user', 'u-jweiss')

const call = async <T = unknown>(m: string, input: unknown): Promise<T> => {
  const r = await desk.dispatch(m, input)
  if (!r.ok) throw new Error(`${m}: ${r.error.message}`)
  return r.value as T
}
let n = 0
function add(): string {
  const id = `period-${++n}`
  insertCase(desk.ctx.db, {
    id,
    aktenzeichen: `632.1-2026-${String(n).padStart(6, '0')}`,
    procedureId: 'wohngeld',
    subject: 'Wohngeld',
    applicantName: 'Käthe Müßig',
    applicantAddress: 'Straßburger Straße 4, 02826 Görlitz',
    status: 'in_bearbeitung',
    assignee: 'u-jweiss',
    receivedAt: '2026-11-02T08:00:00Z',
    deadline: '2026-12-02',
    channel: 'online',
    formData: wohngeldForm,
    updatedAt: '2026-11-02T08:00:00Z',
  })
  return id
}
const skeletonOf = async (id: string, outcome: string) =>
  (await call<DecisionView>('decisions.get', { id })).outcomes.find((o) => o.value === outcome)!
    .reasonsSkeleton

/** The rendered notice's text: the Tenor's period and every period the Begründung names. */
async function periods(id: string): Promise<{ tenor: string[]; reasons: string[] }> {
  const c = getCase(desk.ctx.db, id)!
  const input = noticeInputFor(desk.ctx, c, getDecision(desk.ctx.db, id)!)
  const text = pdfText(await renderNotice(input)).replace(/\s+/g, ' ')
  const range = /(\d{2}\.\d{2}\.\d{4}) bis (\d{2}\.\d{2}\.\d{4})/g
  const between = (from: string, to: string) => text.slice(text.indexOf(from), text.indexOf(to))
  const all = (s: string) => [...s.matchAll(range)].map((m) => `${m[1]}–${m[2]}`)
  return {
    tenor: all(between(' Bescheid 1.', 'Kostenentscheidung')),
    reasons: all(between('Begründung ', 'Rechtsbehelfsbelehrung')),
  }
}

describe('grant period: Tenor and Begründung agree (issue #15)', () => {
  it('Bewilligung: the Begründung names the period the Tenor grants, and no other', async () => {
    const id = add()
    await call('decisions.decide', {
      id,
      outcome: 'stattgegeben',
      fields: { monthlyAmount: 187.5, periodFrom: '2026-12-01', periodTo: '2027-11-30' },
      reasons: await skeletonOf(id, 'stattgegeben'),
    })
    expect(getCase(desk.ctx.db, id)!.status).toBe('entschieden')
    const p = await periods(id)
    expect(p.tenor).toEqual(['01.12.2026–30.11.2027'])
    expect(p.reasons.length).toBeGreaterThan(0)
    expect(new Set(p.reasons)).toEqual(new Set(p.tenor))
  })

  it('a period corrected in the fields is the period of the whole notice', async () => {
    // the clerk grants from the month of the application (§ 25 Abs. 2 WoGG), not the one applied for
    const id = add()
    await call('decisions.decide', {
      id,
      outcome: 'teilweise_stattgegeben',
      fields: {
        monthlyAmount: 150,
        periodFrom: '2026-11-01',
        periodTo: '2027-10-31',
        partialRejection: 'für die Zeit nach dem 31.10.2027',
      },
      reasons: (await skeletonOf(id, 'teilweise_stattgegeben')).replace(
        '[Begründung]',
        'der Bewilligungszeitraum zwölf Monate beträgt',
      ),
    })
    expect(getCase(desk.ctx.db, id)!.status).toBe('entschieden')
    const p = await periods(id)
    expect(p.tenor).toEqual(['01.11.2026–31.10.2027'])
    expect(new Set(p.reasons)).toEqual(new Set(p.tenor))
  })

  it('a Begründung that still names another period keeps the decision a draft and says so', async () => {
    const id = add()
    await call('decisions.decide', {
      id,
      outcome: 'stattgegeben',
      fields: { monthlyAmount: 187.5, periodFrom: '2026-12-01', periodTo: '2027-11-30' },
      reasons: await skeletonOf(id, 'stattgegeben'),
    })
    const saved = getDecision(desk.ctx.db, id)!
    // later the period is corrected, the Begründung typed before is left as it was
    await call('decisions.decide', {
      id,
      outcome: 'stattgegeben',
      fields: { ...saved.fields, periodFrom: '2026-11-01', periodTo: '2027-10-31' },
      reasons: saved.reasons,
    })
    const v = await call<DecisionView>('decisions.get', { id })
    expect(v.decision!.draft).toBe(true)
    expect(v.canIssue).toBe(false)
    expect(v.decision!.open.map((m) => m.messageDe).join(' ')).toContain(
      'Die Begründung nennt den Zeitraum 01.12.2026 bis 30.11.2027, der Tenor den Bewilligungszeitraum 01.11.2026 bis 31.10.2027.',
    )
  })
})

describe('only the grant period is compared', () => {
  it('another period the Begründung names for another purpose (income) is no contradiction', async () => {
    const { checkNotice, sampleNoticeInput } = await import('../../lib/notices/noticeModel')
    const input = sampleNoticeInput('wohngeld')
    input.reasons = `${input.reasons}\n\nDie Einkommensnachweise für die Zeit vom 01.10.2025 bis 30.09.2026 liegen vor.`
    expect(checkNotice(input)).toEqual([])
    input.reasons = `${input.reasons}\n\nDer Bewilligungszeitraum umfasst die Zeit vom 01.11.2026 bis 31.10.2027.`
    expect(checkNotice(input).map((m) => m.code)).toEqual(['REASONS_CONFLICT'])
  })
})
