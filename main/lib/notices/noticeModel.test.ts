import { describe, expect, it } from 'vitest'
import { checkNotice, listProcedureIds, loadNoticeTemplate, sampleNoticeInput } from './noticeModel'
import type { NoticeInput } from './noticeModel'

const codes = (input: unknown) => checkNotice(input).map((m) => m.code)

describe('Vorlagen', () => {
  it('gibt es für alle fünf Verfahren, zod-gültig, mit Rechtsbehelfsbelehrung', () => {
    expect(listProcedureIds()).toEqual([
      'wohngeld',
      'sondernutzung',
      'kfz',
      'bussgeld',
      'baugenehmigung',
    ])
    for (const id of listProcedureIds()) {
      const tpl = loadNoticeTemplate(id)
      expect(tpl.procedureId).toBe(id)
      expect(tpl.legalRemedy?.paragraphs.join(' ')).toMatch(/\{\{authority\.objectionAddress\}\}/)
    }
  })

  it('verwenden nur bekannte Platzhalter (in der Begründung auch Antragsdaten und Anhörungsdatum)', () => {
    const common = [
      'aktenzeichen',
      'kassenzeichen',
      'date',
      'procedure.name',
      'addressee.name',
      'clerk.name',
      'authority.name',
      'authority.objectionAddress',
    ]
    for (const id of listProcedureIds()) {
      const tpl = loadNoticeTemplate(id)
      const known = new Set([...common, ...tpl.fields.map((f) => f.name)])
      const skeletons = Object.values(tpl.outcomes).map((o) => o.reasonsSkeleton)
      const text = JSON.stringify({
        s: tpl.subject,
        o: Object.values(tpl.outcomes).map((o) => ({ ...o, reasonsSkeleton: '' })),
        r: tpl.legalRemedy,
      })
      for (const m of text.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g))
        expect(known, `${id}: ${m[1]}`).toContain(m[1])
      // the Begründung skeleton may also name what the application holds (reasonsData) and the hearing date
      const forReasons = new Set([...known, ...Object.keys(tpl.reasonsData ?? {}), 'hearingDate'])
      for (const m of JSON.stringify(skeletons).matchAll(/\{\{\s*([\w.]+)\s*\}\}/g))
        expect(forReasons, `${id} (Begründung): ${m[1]}`).toContain(m[1])
    }
  })

  it('Beispieldaten sind vollständig (checkNotice leer)', () => {
    for (const id of listProcedureIds()) expect(checkNotice(sampleNoticeInput(id)), id).toEqual([])
  })
})

describe('checkNotice', () => {
  const base = (): NoticeInput => sampleNoticeInput('wohngeld')

  it('meldet fehlenden Adressaten, Begründung, Aktenzeichen', () => {
    const i = base()
    i.addressee = { ...i.addressee, name: ' ', city: '' }
    i.reasons = ''
    i.aktenzeichen = ''
    expect(codes(i)).toEqual(
      expect.arrayContaining(['ADDRESSEE_MISSING', 'REASONS_MISSING', 'AKTENZEICHEN_MISSING']),
    )
    expect(checkNotice(i).every((m) => m.messageDe.length > 10)).toBe(true)
  })

  it('meldet nicht ausgefüllte Stellen [..] in der Begründung', () => {
    const i = base()
    i.reasons = 'Sie haben [Anzahl] Haushaltsmitglieder.'
    expect(codes(i)).toContain('REASONS_MISSING')
  })

  it('meldet fehlende Behörde und fehlende Widerspruchsanschrift (Rechtsbehelfsbelehrung)', () => {
    const i = base()
    i.authority = { ...i.authority, name: '', objectionAddress: ' ' }
    expect(codes(i)).toEqual(expect.arrayContaining(['AUTHORITY_MISSING', 'LEGAL_REMEDY_MISSING']))
  })

  it('meldet Pflichtfelder je Ergebnis', () => {
    const i = base()
    delete i.fields.monthlyAmount
    expect(checkNotice(i)).toContainEqual(
      expect.objectContaining({
        code: 'FIELD_MISSING',
        field: 'monthlyAmount',
        messageDe: 'Pflichtangabe fehlt: Monatliches Wohngeld.',
      }),
    )
    // bei Ablehnung ist der Betrag nicht nötig
    expect(codes({ ...i, outcome: 'abgelehnt' })).not.toContain('FIELD_MISSING')
    const s = sampleNoticeInput('sondernutzung')
    s.fields.conditions = []
    expect(checkNotice(s)).toContainEqual(
      expect.objectContaining({ code: 'FIELD_MISSING', field: 'conditions' }),
    )
  })

  it('meldet ungültige Feldwerte', () => {
    const i = base()
    i.fields.monthlyAmount = 'viel'
    i.fields.periodFrom = '1.10.2026'
    expect(
      checkNotice(i)
        .filter((m) => m.code === 'FIELD_INVALID')
        .map((m) => m.field),
    ).toEqual(['monthlyAmount', 'periodFrom'])
  })

  it('verlangt bei belastenden Ergebnissen eine Anhörung oder den Grund des Absehens', () => {
    for (const outcome of ['abgelehnt', 'teilweise_stattgegeben'] as const) {
      const i = { ...base(), outcome, hearing: undefined }
      expect(codes(i), outcome).toContain('HEARING_MISSING')
      expect(codes({ ...i, hearing: { done: true, date: '2026-11-10' } })).not.toContain(
        'HEARING_MISSING',
      )
      expect(codes({ ...i, hearing: { done: false, dispensableReason: '' } })).toContain(
        'HEARING_MISSING',
      )
      expect(
        codes({ ...i, hearing: { done: false, dispensableReason: 'Gefahr im Verzug' } }),
      ).not.toContain('HEARING_MISSING')
    }
    expect(codes({ ...base(), hearing: undefined })).not.toContain('HEARING_MISSING') // Bewilligung
  })

  it('verlangt vor jedem Bußgeldbescheid die Anhörung (§ 55 OWiG), nicht bei Einstellung', () => {
    const b = { ...sampleNoticeInput('bussgeld'), hearing: undefined }
    expect(checkNotice(b)).toContainEqual(
      expect.objectContaining({
        code: 'HEARING_MISSING',
        messageDe: expect.stringContaining('§ 55 OWiG') as unknown,
      }),
    )
    expect(codes({ ...b, outcome: 'eingestellt' })).not.toContain('HEARING_MISSING')
  })

  it('meldet ein für das Verfahren nicht vorgesehenes Ergebnis und ungültige Eingaben', () => {
    expect(codes({ ...sampleNoticeInput('bussgeld'), outcome: 'abgelehnt' })).toContain(
      'OUTCOME_NOT_SUPPORTED',
    )
    expect(codes({ ...base(), procedureId: 'gibtsnicht' })).toEqual(['UNKNOWN_PROCEDURE'])
    expect(codes({ ...base(), date: '27.11.2026' })).toEqual(['INVALID_INPUT'])
  })
})
