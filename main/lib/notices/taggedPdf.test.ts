import { readFileSync } from 'node:fs'
import { PDFDocument, rgb } from 'pdf-lib'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadPkcs12 } from '../signature/identity'
import type { SigningIdentity } from '../signature/identity'
import { pdfInfo, pdfPageText } from '../signature/pdfTools.testutil'
import { signPdf } from '../signature/signPdf'
import { assetPath } from './assets'
import { listProcedureIds, sampleNoticeInput } from './noticeModel'
import { renderDocumentRequestLetter, renderNotice } from './noticePdf'
import { checkTaggedPdf } from './pdfStructure.testutil'
import { signNotice } from './signNotice'

const now = new Date('2026-11-27T09:00:00Z')
const signingTime = new Date('2026-11-27T13:05:00Z')
let clerk: SigningIdentity

beforeAll(async () => {
  clerk = await loadPkcs12(readFileSync(assetPath('certs', 'demo-sachbearbeiter.p12')), 'demo')
})

describe('PDF/UA: getaggte Bescheide und Schreiben', () => {
  it.each(listProcedureIds())(
    '%s: jeder Inhalt getaggt oder Artefakt, Baum und ParentTree stimmig, pdfinfo „Tagged: yes“',
    async (id) => {
      for (const pdf of [
        await renderNotice(sampleNoticeInput(id), { now }),
        await signNotice(sampleNoticeInput(id), clerk, { signingTime, now }),
      ]) {
        const r = await checkTaggedPdf(pdf)
        expect(r.problems).toEqual([])
        expect(r.paintOps).toBeGreaterThan(50)
        expect(r.artifacts).toBeGreaterThanOrEqual(5) // Falzmarken, Balken, Linien, Fußzeilen
        expect(r.types.slice(0, 3)).toEqual(['Document', 'Div', 'P'])
        expect(r.types).toEqual(
          expect.arrayContaining([
            'H1',
            'H2',
            'P',
            'L',
            'LI',
            'Lbl',
            'LBody',
            'Table',
            'TR',
            'TH',
            'TD',
          ]),
        )
        expect(pdfInfo(pdf)).toMatch(/Tagged:\s+yes/)
      }
    },
  )

  it('signiert: Signaturblock im Platzhalter „Signatur“ mit Form-Element und OBJR; unsigniert fehlt der Platzhalter', async () => {
    const signed = await checkTaggedPdf(
      await signNotice(sampleNoticeInput('wohngeld'), clerk, { signingTime, now }),
    )
    const unsigned = await checkTaggedPdf(
      await renderNotice(sampleNoticeInput('wohngeld'), { now }),
    )
    expect(signed.types).toContain('Form')
    expect(unsigned.types).not.toContain('Form')
    // Platzhalter-Div entfällt unsigniert: ein Div weniger
    expect(signed.types.filter((t) => t === 'Div').length).toBe(
      unsigned.types.filter((t) => t === 'Div').length + 1,
    )
  })

  it('Struktur: Tabellenköpfe mit Scope, Listen nummeriert, Betreff als H1 vor dem ersten H2', async () => {
    const pdf = await renderNotice(sampleNoticeInput('wohngeld'), { now })
    const tree = pdfInfo(pdf, '-struct-text')
    expect(tree).toMatch(/TH:\s+\/Scope \/Row\s+"Aktenzeichen"/)
    expect(tree).toContain('/ListNumbering /Decimal')
    expect(tree.indexOf('H1')).toBeLessThan(tree.indexOf('H2'))
    // umbrochene Zeilen behalten ihr Leerzeichen (Vorlesen aus dem Baum)
    expect(tree).toContain('als Mietzuschuss in Höhe')
  })

  it('Nachforderung über signPdf (geladenes PDF): bleibt getaggt, Signatur ergänzt', async () => {
    const s = sampleNoticeInput('sondernutzung')
    const letter = await renderDocumentRequestLetter({
      authority: s.authority,
      addressee: s.addressee,
      aktenzeichen: s.aktenzeichen,
      date: '2026-11-03',
      clerk: s.clerk,
      requestedDocuments: ['Lageplan im Maßstab 1:500', 'Haftpflichtversicherung'],
      deadline: '2026-11-17',
    })
    expect((await checkTaggedPdf(letter)).problems).toEqual([])
    const signed = await signPdf(letter, clerk, {
      reason: 'Nachforderung',
      location: 'Görlitz',
      signingTime,
    })
    const r = await checkTaggedPdf(signed)
    expect(r.problems).toEqual([])
    expect(r.types).toContain('Form')
  })

  it('die Prüfung schlägt an: ungetaggter Strich, fehlendes MarkInfo', async () => {
    const doc = await PDFDocument.load(await renderNotice(sampleNoticeInput('kfz'), { now }))
    doc
      .getPages()[0]
      ?.drawLine({ start: { x: 10, y: 10 }, end: { x: 50, y: 10 }, color: rgb(0, 0, 0) })
    const r = await checkTaggedPdf(await doc.save({ useObjectStreams: false }))
    expect(r.problems).toContain('Seite 1: Operator S weder getaggt noch Artefakt')
    const plain = await PDFDocument.create()
    plain.addPage().drawText('x')
    expect((await checkTaggedPdf(await plain.save())).problems).toEqual(
      expect.arrayContaining(['MarkInfo /Marked true fehlt', 'StructTreeRoot fehlt']),
    )
  })

  it('Lesereihenfolge (Strukturbaum, wie ein Screenreader liest): Briefkopf, Anschrift, Informationsblock, Betreff, Anrede, Tenor; Fußzeilen nicht', async () => {
    const pdf = await renderNotice(sampleNoticeInput('wohngeld'), { now })
    const tree = pdfInfo(pdf, '-struct-text')
    const order = [
      '"Stadtverwaltung Görlitz"',
      'Frau Renate Müßig',
      '"Aktenzeichen"',
      'Wohngeld nach dem Wohngeldgesetz',
      'Sehr geehrte Frau Müßig',
      '"Bescheid"',
      '"Begründung"',
      '"Im Auftrag"',
    ]
    const pos = order.map((s) => tree.indexOf(s))
    expect(
      pos.every((p) => p >= 0),
      tree,
    ).toBe(true)
    expect([...pos].sort((a, b) => a - b)).toEqual(pos)
    expect(tree).not.toContain('Seite 1 von')
    // pdftotext (physische Anordnung) findet den Text der Seite vollständig, mit Umlauten
    expect(pdfPageText(pdf, 1)).toContain('Frau Renate Müßig')
  })
})
