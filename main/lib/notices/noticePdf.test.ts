import { readFileSync } from 'node:fs'
import { PDFDocument, PDFName, PDFRawStream, PDFArray, PDFDict, decodePDFRawStream } from 'pdf-lib'
import { describe, expect, it } from 'vitest'
import { pdfText, qpdfCheck } from '../signature/pdfTools.testutil'
import { assetPath } from './assets'
import { listProcedureIds, loadProcedures, sampleNoticeInput } from './noticeModel'
import { formatMoney, renderDocumentRequestLetter, renderNotice } from './noticePdf'

const now = new Date('2026-11-27T09:00:00Z')
const norm = (s: string) => s.replace(/\s+/g, ' ')

// Erwarteter Tenor-Ausschnitt je Verfahren (Beispieldaten der Vorlage)
const TENOR: Record<string, string> = {
  wohngeld: 'Wohngeld als Mietzuschuss in Höhe von monatlich 287,50 € bewilligt',
  sondernutzung: 'Sondernutzungsgebühr in Höhe von 420,00 € festgesetzt',
  kfz: 'das Kennzeichen GR-GW 482 zugeteilt',
  bussgeld: 'eine Geldbuße in Höhe von 150,00 € festgesetzt',
  baugenehmigung: 'wird die Baugenehmigung nach Maßgabe',
}

describe('renderNotice', () => {
  it.each(listProcedureIds())(
    '%s: Tenor, Rechtsbehelfsbelehrung, Aktenzeichen, Umlaute, Seitenzahlen',
    async (id) => {
      const input = sampleNoticeInput(id)
      const pdf = await renderNotice(input, { now })
      const text = norm(pdfText(pdf))
      expect(text).toContain(TENOR[id])
      expect(text).toContain('Rechtsbehelfsbelehrung')
      expect(text).toContain(
        id === 'bussgeld'
          ? 'innerhalb von zwei Wochen nach Zustellung Einspruch'
          : 'innerhalb eines Monats nach Bekanntgabe Widerspruch',
      )
      expect(text).toContain(loadProcedures().authority.objectionAddress)
      expect(text).toContain(input.aktenzeichen)
      expect(text).toContain('Begründung')
      expect(text).toMatch(/Seite 1 von \d/)
      expect(text).toContain('Jörg Weiß')
      expect(text).toContain('Stadtverwaltung Görlitz')
      expect(text).toContain('Mit freundlichen Grüßen')
      expect(text).not.toContain('[fehlt')
      expect(text).not.toContain('{{')
    },
  )

  it('rendert ä ö ü ß € „ “ und setzt Metadaten, XMP (PDF/A-2a, PDF/UA-1), OutputIntent (Standard-sRGB), Sprache', async () => {
    const input = sampleNoticeInput('baugenehmigung')
    const pdf = await renderNotice(input, { now })
    const text = pdfText(pdf)
    for (const ch of ['ä', 'ö', 'ü', 'ß', '€', '„', '“', 'Käthe Lößnitz'])
      expect(text).toContain(ch)
    expect(qpdfCheck(pdf).status).toBe(0)
    const doc = await PDFDocument.load(pdf, { updateMetadata: false })
    expect(doc.getAuthor()).toBe('Stadtverwaltung Görlitz')
    expect(doc.getTitle()).toContain('632.4-2026-000219')
    expect(doc.catalog.get(PDFName.of('Lang'))?.toString()).toContain('de-DE')
    const md = doc.catalog.lookup(PDFName.of('Metadata'))
    expect(md).toBeInstanceOf(PDFRawStream)
    const xmp = Buffer.from((md as PDFRawStream).getContents()).toString('utf8')
    expect(xmp).toContain('<pdfaid:part>2</pdfaid:part>')
    expect(xmp).toContain('<pdfaid:conformance>A</pdfaid:conformance>')
    expect(xmp).toContain('<pdfuaid:part>1</pdfuaid:part>')
    expect(xmp).toContain('Stadtverwaltung Görlitz')
    const intents = doc.catalog.lookup(PDFName.of('OutputIntents'), PDFArray)
    expect(intents.size()).toBe(1)
    const intent = doc.context.lookup(intents.get(0), PDFDict)
    const profile = intent.lookup(PDFName.of('DestOutputProfile')) as PDFRawStream
    const shipped = readFileSync(assetPath('icc', 'sRGB.icc'))
    expect(Buffer.from(decodePDFRawStream(profile).decode()).equals(shipped)).toBe(true)
    expect(shipped.subarray(36, 40).toString('latin1')).toBe('acsp') // ICC-Signatur
  })

  it('lässt optionale Absätze weg und nummeriert neu; zeigt fehlende Pflichtangaben in der Vorschau', async () => {
    const input = sampleNoticeInput('baugenehmigung')
    delete input.fields.deviations
    const text = norm(pdfText(await renderNotice(input, { now })))
    expect(text).not.toContain('Abweichungen und Befreiungen')
    expect(text).toMatch(/2\. Die Baugenehmigung ergeht unter den nachstehenden Nebenbestimmungen/)
    const w = sampleNoticeInput('wohngeld')
    delete w.fields.monthlyAmount
    expect(norm(pdfText(await renderNotice(w, { now })))).toContain('[fehlt: Monatliches Wohngeld]')
  })

  it('nummeriert selbst nummerierte Nebenbestimmungen nicht doppelt („1. 1.“)', async () => {
    const input = sampleNoticeInput('baugenehmigung')
    input.fields.conditions = [
      '1. Vor Baubeginn ist der Standsicherheitsnachweis vorzulegen.',
      '2) Das Niederschlagswasser ist auf dem Grundstück zu versickern.',
      '(3) Der Spitzahorn ist zu schützen.',
      '- Die Geländeoberfläche darf nicht verändert werden.',
      '• Die Zufahrt ist freizuhalten.',
      'a) Baulärm ist werktags auf 7 bis 20 Uhr zu beschränken.',
      '2026 wird die Straße ausgebaut; die Zufahrt ist abzustimmen.',
      'z. B. bei Frost ist die Baustelle zu sichern.',
    ]
    const text = norm(pdfText(await renderNotice(input, { now })))
    const section = /Nebenbestimmungen (1\..*?)Kostenentscheidung/.exec(text)?.[1] ?? ''
    expect(section).toMatch(
      /^1\. Vor Baubeginn .* 2\. Das Niederschlagswasser .* 3\. Der Spitzahorn .* 4\. Die Geländeoberfläche .* 5\. Die Zufahrt .* 6\. Baulärm .* 7\. 2026 wird die Straße .* 8\. z\. B\. bei Frost .* 9\. Der Ausführungsbeginn .* 10\. Die Baugenehmigung und die Bauvorlagen/,
    )
    expect(section).not.toMatch(/\d\.\s+(\d+[.)]|\(\d+\)|[-•]|[a-z]\))\s/)
  })

  it('rendert alle Ergebnisse jedes Verfahrens', async () => {
    for (const id of listProcedureIds()) {
      for (const outcome of [
        'stattgegeben',
        'teilweise_stattgegeben',
        'abgelehnt',
        'eingestellt',
      ] as const) {
        const sample = sampleNoticeInput(id)
        const input = {
          ...sample,
          outcome,
          hearing: sample.hearing ?? { done: true as const, date: '2026-11-20' },
        }
        if (id === 'bussgeld' && outcome === 'abgelehnt') continue
        const text = norm(pdfText(await renderNotice(input, { now })))
        expect(text, `${id}/${outcome}`).toContain('Rechtsbehelfsbelehrung')
        expect(text, `${id}/${outcome}`).not.toContain('[fehlt')
      }
    }
  })

  it('bricht lange Texte über Seiten um', async () => {
    const input = sampleNoticeInput('wohngeld')
    input.reasons = Array.from(
      { length: 12 },
      (_, i) =>
        `Absatz ${i + 1}: ${'Die Wohngeldbehörde hat die vorgelegten Nachweise geprüft und berücksichtigt. '.repeat(6)}`,
    ).join('\n\n')
    const pdf = await renderNotice(input, { now })
    const doc = await PDFDocument.load(pdf)
    expect(doc.getPageCount()).toBeGreaterThanOrEqual(3)
    const text = norm(pdfText(pdf))
    expect(text).toContain(`Seite ${doc.getPageCount()} von ${doc.getPageCount()}`)
    expect(text).toContain('Absatz 12:')
  })
})

describe('renderDocumentRequestLetter', () => {
  it('listet die Unterlagen und die Frist', async () => {
    const s = sampleNoticeInput('wohngeld')
    const pdf = await renderDocumentRequestLetter(
      {
        procedureId: 'wohngeld',
        authority: s.authority,
        addressee: s.addressee,
        aktenzeichen: s.aktenzeichen,
        date: '2026-10-20',
        clerk: s.clerk,
        applicationDate: '2026-10-14',
        requestedDocuments: [
          'Mietbescheinigung des Vermieters',
          'Einkommensnachweise der letzten 12 Monate',
        ],
        deadline: '2026-11-09',
      },
      { now },
    )
    const text = norm(pdfText(pdf))
    expect(text).toContain('Anforderung fehlender Unterlagen')
    expect(text).toContain('1. Mietbescheinigung des Vermieters')
    expect(text).toContain('2. Einkommensnachweise der letzten 12 Monate')
    expect(text).toContain('bis zum 09.11.2026')
    expect(text).toContain('§§ 60, 66 SGB I')
    expect(text).toContain('Frau Renate Müßig')
    expect(text).toContain('über das Serviceportal')
    // a paper application is not told to use a portal it never used
    const paper = norm(
      pdfText(
        await renderDocumentRequestLetter(
          {
            procedureId: 'wohngeld',
            authority: s.authority,
            addressee: s.addressee,
            aktenzeichen: s.aktenzeichen,
            date: '2026-10-20',
            clerk: s.clerk,
            requestedDocuments: ['Mietbescheinigung'],
            deadline: '2026-11-09',
            channel: 'paper',
          },
          { now },
        ),
      ),
    )
    expect(paper).toContain('per Post oder persönlich')
    expect(paper).not.toContain('Serviceportal')
  })
})

describe('formatMoney', () => {
  it('formatiert deutsch', () => {
    expect(formatMoney(1284).replace(/\u00a0/g, ' ')).toBe('1.284,00 €')
  })
})
