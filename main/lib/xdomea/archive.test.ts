import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { strFromU8, unzipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import { create } from 'xmlbuilder2'
import { PDFDocument } from 'pdf-lib'
import { sampleNoticeInput } from '../notices/noticeModel'
import { renderNotice } from '../notices/noticePdf'
import { archivalFormatFindings, pdfaClaim } from './pdfa'
import { parseArchiveExport } from './input'
import { pdfaRenditionFileName } from './messages'
import {
  AUSSONDERUNGSART,
  ArchiveInputError,
  ArchiveReceiptError,
  DATEIFORMAT,
  NACHRICHTENTYP,
  XDOMEA_NS,
  XmllintMissingError,
  buildAnbieteverzeichnis0501,
  buildAussonderung0503,
  buildAussonderungImportBestaetigen0506,
  buildBewertungsverzeichnis0502,
  buildEmpfangBestaetigung,
  fileFormatOf,
  parseArchiveReceipt,
  retentionEnd,
  validateXdomea,
  type ArchiveExportInput,
} from './index'

const PROZESS = '3f2b8c1e-6a4d-4e2b-9c1f-2a7d5e8b9c01'
const CASE_A = '7c9e6679-7425-40de-944b-e07fc1f90ae7'
const CASE_B = 'b3d0f1a2-5c6e-4f70-8a9b-0c1d2e3f4a5b'
const DOC_1 = 'a1b2c3d4-0000-4000-8000-000000000001'
const DOC_2 = 'a1b2c3d4-0000-4000-8000-000000000002'
const DOC_3 = 'a1b2c3d4-0000-4000-8000-000000000003'

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex')
const bytes = (s: string) => new TextEncoder().encode(s)

const HOSTILE_BETREFF = 'Antrag <script>alert("x")</script> & <b>Fett</b> ]]> Müller'

function fixture(): ArchiveExportInput {
  const pdf = bytes('%PDF-1.7\n% signierter Bescheid für Jürgen Weiß\n%%EOF\n')
  const png = new Uint8Array([
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 1, 2, 3, 255,
  ])
  return {
    prozessId: PROZESS,
    createdAt: '2026-11-20T09:15:00+01:00',
    sender: {
      name: 'Stadtverwaltung Görlitz',
      department: 'Bürgeramt',
      behoerdenkennung: { praefix: 'ags:', kennung: '14626110' },
      street: 'Untermarkt',
      houseNumber: '6–8',
      postalCode: '02826',
      city: 'Görlitz',
    },
    receiver: { name: 'Stadtarchiv Görlitz' },
    system: { product: 'Aktenfluss', version: '0.1.0', instanceId: 'desk-07' },
    cases: [
      {
        id: CASE_A,
        aktenzeichen: '632.4-2026-000042',
        betreff: 'Baugenehmigung Einfamilienhaus, Straße der Befreiung 12 – Jürgen Weiß',
        fileCode: '632.4',
        fileTitle: 'Baugenehmigungsverfahren',
        retentionYears: 30,
        disposal: 'archivwürdig',
        openedAt: '2026-03-02',
        closedAt: '2026-11-19T23:30:00Z', // already 20 November in Görlitz
        history: [
          {
            at: '2026-11-18T10:00:00Z',
            actor: 'Jürgen Weiß',
            action: 'Bescheid signiert',
            text: 'Mitzeichnung durch Sachgebietsleitung',
          },
          {
            at: '2026-03-02T07:12:00Z',
            actor: 'System',
            action: 'Eingang',
            text: 'über FIT-Connect',
          },
        ],
        documents: [
          {
            id: DOC_1,
            title: 'Bescheid',
            filename: 'Bescheid Weiß.pdf',
            mimeType: 'application/pdf',
            createdAt: '2026-11-18T10:00:00Z',
            bytes: pdf,
            signed: true,
            author: 'Jürgen Weiß',
          },
          {
            id: DOC_2,
            title: 'Lageplan',
            filename: 'lageplan.PNG',
            mimeType: 'image/png',
            createdAt: '2026-03-02T07:12:00Z',
            bytes: png,
          },
        ],
      },
      {
        id: CASE_B,
        aktenzeichen: '632.1-2026-000007',
        betreff: HOSTILE_BETREFF,
        fileCode: '632.1',
        fileTitle: 'Wohngeld',
        retentionYears: 6,
        disposal: 'vernichten',
        openedAt: '2026-01-05T09:00:00+01:00',
        closedAt: '2026-02-27',
        history: [],
        documents: [
          {
            id: DOC_3,
            title: 'Mietbescheinigung (Scan)',
            filename: 'miete.heic',
            mimeType: 'image/heic',
            createdAt: '2026-01-05T08:00:00Z',
            bytes: bytes('heic…'),
          },
        ],
      },
    ],
  }
}

type Dom = {
  getElementsByTagNameNS(ns: string, name: string): ArrayLike<{ textContent: string | null }>
}
function texts(xml: string, name: string): string[] {
  const doc = create(xml).node as unknown as Dom
  return Array.from(doc.getElementsByTagNameNS(XDOMEA_NS, name), (n) => n.textContent ?? '')
}

function expectValid(xml: string): void {
  const r = validateXdomea(xml)
  expect(r.errors).toEqual([])
  expect(r.valid).toBe(true)
}

describe('0501 Aussonderung.Anbieteverzeichnis', () => {
  const m = buildAnbieteverzeichnis0501(fixture())

  it('validates against xdomea 3.0.0 (xmllint)', () => expectValid(m.xml))

  it('is named <ProzessID>_Aussonderung.Anbieteverzeichnis.0501 and zipped alone', () => {
    expect(m.fileName).toBe(`${PROZESS}_Aussonderung.Anbieteverzeichnis.0501.xml`)
    expect(m.zipFileName).toBe(`${PROZESS}_Aussonderung.Anbieteverzeichnis.0501.zip`)
    const files = unzipSync(m.zip)
    expect(Object.keys(files)).toEqual([m.fileName])
    expect(strFromU8(files[m.fileName] ?? new Uint8Array())).toBe(m.xml)
  })

  it('carries metadata, disposal codes and no primary documents', () => {
    expect(m.xml).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<xdomea:Aussonderung\.Anbieteverzeichnis\.0501 xmlns:xdomea="urn:xoev-de:xdomea:schema:3\.0\.0">/,
    )
    expect(texts(m.xml, 'ProzessID')).toEqual([PROZESS])
    expect(texts(m.xml, 'Kennzeichen')).toEqual([
      '632.4-2026-000042',
      '632.4',
      '632.1-2026-000007',
      '632.1',
    ])
    expect(m.xml).toContain('<code>0501</code>')
    expect(m.xml).toContain('<xdomea:Empfangsbestaetigung>1</xdomea:Empfangsbestaetigung>')
    expect(m.xml).not.toContain('Primaerdokument')
    expect(m.xml).not.toContain('Importbestaetigung')
    const arten = [
      ...m.xml.matchAll(/codeliste:aussonderungsart" listVersionID="1.0">\s*<code>(\w)<\/code>/g),
    ].map((x) => x[1])
    expect(arten).toEqual(['A', 'V'])
  })
})

describe('0503 Aussonderung.Aussonderung', () => {
  const input = fixture()
  const m = buildAussonderung0503(input)
  const files = unzipSync(m.zip)

  it('validates against xdomea 3.0.0 (xmllint)', () => expectValid(m.xml))

  it('follows the container naming convention', () => {
    expect(m.fileName).toBe(`${PROZESS}_Aussonderung.Aussonderung.0503.zip`)
    expect(m.xmlFileName).toBe(`${PROZESS}_Aussonderung.Aussonderung.0503.xml`)
    expect(Object.keys(files).sort()).toEqual(
      [m.xmlFileName, `${DOC_1}.pdf`, `${DOC_2}.png`, `${DOC_3}.heic`].sort(),
    )
    expect(strFromU8(files[m.xmlFileName] ?? new Uint8Array())).toBe(m.xml)
  })

  it('every primary document in the XML is in the ZIP with identical bytes', () => {
    const names = texts(m.xml, 'Dateiname')
    expect(names).toEqual([`${DOC_1}.pdf`, `${DOC_2}.png`, `${DOC_3}.heic`])
    const docs = input.cases.flatMap((c) => c.documents ?? [])
    names.forEach((name, i) => {
      const inZip = files[name]
      expect(inZip, name).toBeDefined()
      expect(sha(inZip ?? new Uint8Array())).toBe(sha(docs[i]?.bytes ?? new Uint8Array([1])))
    })
    for (const e of m.entries) expect(sha(files[e.name] ?? new Uint8Array())).toBe(e.sha256)
    expect(texts(m.xml, 'DateinameOriginal')).toEqual([
      'Bescheid Weiß.pdf',
      'lageplan.PNG',
      'miete.heic',
    ])
  })

  it('maps formats to the Dateiformat code list', () => {
    const codes = [
      ...m.xml.matchAll(/codeliste:dateiformat" listVersionID="1.0">\s*<code>(\d+)<\/code>/g),
    ].map((x) => x[1])
    expect(codes).toEqual(['018', '019', '100'])
    expect(texts(m.xml, 'SonstigerName')).toEqual(['image/heic'])
    expect(m.xml).toContain('<xdomea:Version>1.7</xdomea:Version>') // from the %PDF-1.7 header
    expect(m.xml).toContain(
      '<xdomea:SignaturSiegelEingebettet>1</xdomea:SignaturSiegelEingebettet>',
    )
  })

  it('keeps umlauts and escapes HTML-ish text', () => {
    expect(texts(m.xml, 'Betreff')).toContain(
      'Baugenehmigung Einfamilienhaus, Straße der Befreiung 12 – Jürgen Weiß',
    )
    expect(texts(m.xml, 'Betreff')).toContain(HOSTILE_BETREFF)
    expect(m.xml).not.toContain('<script>')
    expect(m.xml).not.toContain('<b>')
    expect(m.xml).toContain(
      '&lt;script&gt;alert("x")&lt;/script&gt; &amp; &lt;b&gt;Fett&lt;/b&gt; ]]&gt; Müller',
    )
    // raw UTF-8, not numeric character references
    expect(m.xml).toContain('Görlitz')
    expect(Buffer.from(files[m.xmlFileName] ?? []).toString('utf8')).toContain(
      'Straße der Befreiung',
    )
  })

  it('writes lifecycle, retention and history in schema order', () => {
    expect(texts(m.xml, 'ZdADatum')).toEqual(['2026-11-20', '2026-02-27'])
    expect(texts(m.xml, 'Beginn')).toEqual(['2026-03-02', '2026-01-05'])
    expect(texts(m.xml, 'AnzahlJahre')).toEqual(['30', '6'])
    expect(texts(m.xml, 'Aufbewahrungsende')).toEqual(['2056-12-31', '2032-12-31'])
    expect(texts(m.xml, 'Aktion')).toEqual(['Eingang', 'Bescheid signiert']) // chronological
    expect(texts(m.xml, 'Akteur')).toEqual(['System', 'Jürgen Weiß'])
    expect(m.xml).toContain('<xdomea:Importbestaetigung>1</xdomea:Importbestaetigung>')
    expect(m.xml).toContain(
      '<xdomea:RueckmeldungArchivkennung>1</xdomea:RueckmeldungArchivkennung>',
    )
  })

  it('is deterministic for the same input', () => {
    const again = buildAussonderung0503(fixture())
    expect(sha(again.zip)).toBe(sha(m.zip))
  })

  it('removes characters XML 1.0 cannot carry, and NFC-normalises', () => {
    const f = fixture()
    const c = f.cases[0]
    if (!c) throw new Error('fixture')
    c.betreff = 'Steuer\u0000\u0007bescheid M\u0075\u0308ller \uD800'
    const r = buildAussonderung0503(f)
    expectValid(r.xml)
    expect(texts(r.xml, 'Betreff')[0]).toBe('Steuerbescheid Müller ')
  })
})

describe('input validation', () => {
  it.each([
    ['bad process id', (f: ArchiveExportInput) => void (f.prozessId = 'nicht-uuid'), /prozessId/],
    [
      'duplicate ids',
      (f: ArchiveExportInput) => void (f.cases[1]!.id = CASE_A.toUpperCase()),
      /mehrfach/,
    ],
    [
      'closed before opened',
      (f: ArchiveExportInput) => void (f.cases[0]!.closedAt = '2026-01-01'),
      /closedAt/,
    ],
    ['no cases', (f: ArchiveExportInput) => void (f.cases = []), /cases/],
    [
      'bytes not binary',
      (f: ArchiveExportInput) =>
        void ((f.cases[0]!.documents![0] as { bytes: unknown }).bytes = 'JVBERi0='),
      /Uint8Array/,
    ],
    [
      'bad disposal',
      (f: ArchiveExportInput) => void ((f.cases[0] as { disposal: string }).disposal = 'behalten'),
      /disposal/,
    ],
  ])('%s', (_label, mutate, message) => {
    const f = fixture()
    mutate(f)
    expect(() => buildAussonderung0503(f)).toThrow(ArchiveInputError)
    expect(() => buildAussonderung0503(f)).toThrow(message)
  })
})

describe('xmllint validation', () => {
  it('reports schema errors (the validator is not a no-op)', () => {
    const { xml } = buildAnbieteverzeichnis0501(fixture())
    const broken = xml.replace(
      /<xdomea:ProzessID>[^<]*<\/xdomea:ProzessID>/,
      '<xdomea:ProzessID>123</xdomea:ProzessID>',
    )
    const r = validateXdomea(broken)
    expect(r.valid).toBe(false)
    expect(r.errors.join('\n')).toMatch(/ProzessID/)
  })

  it('fails with an install hint when xmllint is missing', () => {
    expect(() => validateXdomea('<x/>', { xmllint: '/nonexistent/xmllint' })).toThrow(
      XmllintMissingError,
    )
    expect(() => validateXdomea('<x/>', { xmllint: '/nonexistent/xmllint' })).toThrow(
      'apt-get install libxml2-utils',
    )
  })
})

describe('archive receipts', () => {
  const archive = { name: 'Stadtarchiv Görlitz' }
  const authority = { name: 'Stadtverwaltung Görlitz', department: 'Bürgeramt' }
  const header = {
    prozessId: PROZESS,
    createdAt: '2026-12-01T14:00:00+01:00',
    sender: archive,
    receiver: authority,
  }

  it('round trip: 0506 validates and confirms only successfully imported cases', () => {
    const xml = buildAussonderungImportBestaetigen0506({
      ...header,
      results: [
        { id: CASE_A.toUpperCase(), success: true, archiveId: 'StA GR, Best. 632/2026 Nr. 42' },
        {
          id: CASE_B,
          success: false,
          errors: ['Primärdokument miete.heic: Format nicht archivfähig'],
        },
      ],
    })
    expectValid(xml)
    const r = parseArchiveReceipt(xml, {
      prozessId: PROZESS.toUpperCase(),
      caseIds: [CASE_A, CASE_B],
    })
    expect(r.messageType).toBe('0506')
    expect(r.messageName).toBe('Aussonderung.AussonderungImportBestaetigen.0506')
    expect(r.sender).toBe('Stadtarchiv Görlitz')
    expect(r.confirmedCaseIds).toEqual([CASE_A])
    expect(r.failed).toEqual([
      {
        id: CASE_B,
        errors: ['Primärdokument miete.heic: Format nicht archivfähig'],
        errorCodes: [],
      },
    ])
    expect(r.archiveIds).toEqual({ [CASE_A]: 'StA GR, Best. 632/2026 Nr. 42' })
    expect(r.missingCaseIds).toEqual([])
  })

  it('reports expected cases the archive did not mention', () => {
    const xml = buildAussonderungImportBestaetigen0506({
      ...header,
      results: [{ id: CASE_A, success: true }],
    })
    const r = parseArchiveReceipt(new TextEncoder().encode(xml), { caseIds: [CASE_A, CASE_B] })
    expect(r.confirmedCaseIds).toEqual([CASE_A])
    expect(r.missingCaseIds).toEqual([CASE_B])
  })

  it.each(['0504', '0507'] as const)(
    '%s only acknowledges receipt: nothing may be deleted',
    (code) => {
      const xml = buildEmpfangBestaetigung(code, header)
      expectValid(xml)
      const r = parseArchiveReceipt(xml, { caseIds: [CASE_A] })
      expect(r.messageType).toBe(code)
      expect(r.confirmedCaseIds).toEqual([])
      expect(r.archivedIds).toEqual([])
    },
  )

  it('0502 evaluation list', () => {
    const xml = buildBewertungsverzeichnis0502({
      ...header,
      evaluations: [
        { id: CASE_A, aussonderungsart: 'A' },
        { id: CASE_B, aussonderungsart: 'V' },
      ],
    })
    expectValid(xml)
    const r = parseArchiveReceipt(xml)
    expect(r.evaluations).toEqual([
      { id: CASE_A, aussonderungsart: 'A' },
      { id: CASE_B, aussonderungsart: 'V' },
    ])
    expect(r.confirmedCaseIds).toEqual([])
  })

  it('accepts another namespace prefix', () => {
    const xml = buildAussonderungImportBestaetigen0506({
      ...header,
      results: [{ id: CASE_A, success: true }],
    })
      .replaceAll('<xdomea:', '<x:')
      .replaceAll('</xdomea:', '</x:')
      .replace('xmlns:xdomea=', 'xmlns:x=')
    expect(parseArchiveReceipt(xml).confirmedCaseIds).toEqual([CASE_A])
  })

  it.each([
    [
      'another process',
      () => buildEmpfangBestaetigung('0507', header),
      { prozessId: CASE_A },
      /gehört zu Prozess/,
    ],
    ['our own 0503', () => buildAussonderung0503(fixture()).xml, {}, /Keine Rückmeldung/],
    ['a DOCTYPE', () => '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x/>', {}, /DOCTYPE/],
    ['not XML', () => 'kein xml <', {}, /wohlgeformt/],
    [
      'another namespace',
      () => '<Aussonderung.AussonderungImportBestaetigen.0506 xmlns="urn:other"/>',
      {},
      /Namensraum/,
    ],
    [
      'a bad boolean',
      () =>
        buildAussonderungImportBestaetigen0506({
          ...header,
          results: [{ id: CASE_A, success: true }],
        }).replace('<xdomea:Erfolgreich>1<', '<xdomea:Erfolgreich>ja<'),
      {},
      /xs:boolean/,
    ],
  ])('rejects %s', (_label, make, expectOpt, message) => {
    expect(() => parseArchiveReceipt(make(), expectOpt)).toThrow(ArchiveReceiptError)
    expect(() => parseArchiveReceipt(make(), expectOpt)).toThrow(message)
  })
})

describe('code lists', () => {
  const codeList = (file: string) => {
    const xml = readFileSync(
      new URL(`../../../assets/xdomea/xdomea_3.0.0/code_lists/${file}`, import.meta.url),
      'utf8',
    )
    return [
      ...xml.matchAll(
        /<Row>\s*<Value ColumnRef="[Cc]ode">\s*<SimpleValue>([^<]*)<\/SimpleValue>\s*<\/Value>\s*<Value ColumnRef="[Bb]eschreibung">\s*<SimpleValue>([^<]*)<\/SimpleValue>/g,
      ),
    ].map((m) => [m[1] ?? '', m[2] ?? ''] as const)
  }

  it('Dateiformat table matches Dateiformat_1.0.xml', () => {
    const rows = new Map(codeList('Dateiformat_1.0.xml'))
    expect(rows.size).toBe(46)
    for (const [ext, code] of Object.entries(DATEIFORMAT.byExtension)) {
      expect(rows.get(code), `${ext} → ${code}`).toMatch(new RegExp(`^${ext} - `))
    }
    expect(rows.get(DATEIFORMAT.sonstiges)).toBe('Sonstiges')
  })

  it('Nachrichtentyp and Aussonderungsart match their lists', () => {
    const types = new Map(codeList('Nachrichtentyp_2.0.xml'))
    for (const [code, name] of Object.entries(NACHRICHTENTYP.codes))
      expect(types.get(code)).toBe(name)
    expect(Object.fromEntries(codeList('Aussonderungsart_1.0.xml'))).toEqual(AUSSONDERUNGSART.codes)
  })

  it.each([
    ['Bescheid.PDF', 'application/pdf', 'pdf', '018'],
    ['scan', 'image/jpeg', 'jpg', '011'],
    ['foto.jpeg', 'image/jpeg', 'jpeg', '010'],
    ['../../etc/passwd', 'text/plain', 'txt', '045'],
    ['archiv.tar.gz', 'application/gzip', 'gz', '100'],
    ['böse.ex€', 'application/octet-stream', 'bin', '100'],
  ])('fileFormatOf(%s, %s)', (name, mime, ext, code) => {
    expect(fileFormatOf(name, mime)).toMatchObject({ extension: ext, code })
  })

  it('retention ends on 31 December of closing year + retention years', () => {
    expect(retentionEnd('2026-02-27', 6)).toBe('2032-12-31')
    expect(retentionEnd('2026-12-31T23:30:00Z', 10)).toBe('2037-12-31') // 1 Jan 2027 in Berlin
  })
})

describe('PDF/A in der Aussonderung', () => {
  async function pdfaFixture(): Promise<{
    input: ArchiveExportInput
    notice: Uint8Array
    plan: Uint8Array
  }> {
    const notice = await renderNotice(sampleNoticeInput('baugenehmigung'), {
      now: new Date('2026-11-18T10:00:00Z'),
    })
    const planDoc = await PDFDocument.create()
    planDoc.addPage().drawText('Lageplan 1:500')
    const plan = await planDoc.save()
    const input = fixture()
    const c = input.cases[0]
    if (!c) throw new Error('fixture')
    c.documents = [
      {
        id: DOC_1,
        title: 'Bescheid',
        filename: 'Bescheid.pdf',
        mimeType: 'application/pdf',
        createdAt: '2026-11-18T10:00:00Z',
        bytes: notice,
        signed: true,
      },
      {
        id: DOC_2,
        title: 'Lageplan',
        filename: 'Lageplan.pdf',
        mimeType: 'application/pdf',
        createdAt: '2026-03-02T07:12:00Z',
        bytes: plan,
      },
    ]
    return { input, notice, plan }
  }

  it('erkennt den PDF/A-Anspruch aus dem XMP (Bescheid) und sein Fehlen (Lageplan aus pdf-lib)', async () => {
    const { notice, plan } = await pdfaFixture()
    expect(pdfaClaim(notice)).toEqual({ part: 2, conformance: 'A' })
    expect(pdfaClaim(plan)).toBeUndefined()
    expect(pdfaClaim(bytes('kein PDF <pdfaid:part>2</pdfaid:part>'))).toBeUndefined()
  })

  it('0503 ohne Konverter: Bescheid als 044 „PDF/A-2a“, Lageplan als 018 mit PDF-Version, im Aussonderungsverzeichnis markiert; XSD gültig', async () => {
    const { input } = await pdfaFixture()
    const m = buildAussonderung0503(input)
    expectValid(m.xml)
    expect(
      texts(m.xml, 'Version').filter((v) => v.startsWith('PDF/A') || /^\d\.\d$/.test(v)),
    ).toEqual(['PDF/A-2a', '1.7'])
    const names = texts(m.xml, 'Name').filter((n) => /^\d{3}$/.test(n))
    expect(names).toContain('044')
    expect(names).toContain('018')
    expect(m.findings.map((f) => [f.title, f.status])).toEqual([
      ['Lageplan', 'not-pdfa'],
      ['Mietbescheinigung (Scan)', 'other-format'],
    ])
    expect(m.findings[0]?.note).toContain('kein Konverter verfügbar')
    expect(buildAnbieteverzeichnis0501(input).findings).toEqual(m.findings)
  })

  it('mit Konverter: Lageplan zusätzlich als PDF/A-Fassung (zweites Format, eigene Datei); signierte PDFs werden nie konvertiert', async () => {
    const { input, notice } = await pdfaFixture()
    const calls: number[] = []
    const converter = (pdf: Uint8Array) => {
      calls.push(pdf.length)
      return notice // steht hier für die konvertierte Fassung (trägt einen PDF/A-Anspruch)
    }
    const m = buildAussonderung0503(input, { pdfaConverter: converter })
    expectValid(m.xml)
    expect(calls).toHaveLength(1) // nur der Lageplan; der signierte Bescheid ist schon PDF/A
    const files = unzipSync(m.zip)
    expect(files[pdfaRenditionFileName({ id: DOC_2 })]).toBeDefined()
    expect(m.findings.find((f) => f.title === 'Lageplan')?.status).toBe('converted')
    expect(texts(m.xml, 'Dateiname')).toContain(pdfaRenditionFileName({ id: DOC_2 }))

    // ein signiertes Nicht-PDF/A bleibt, wie es ist
    const signedPlan = { ...fixture() }
    const c = signedPlan.cases[0]
    if (!c) throw new Error('fixture')
    const planDoc = await PDFDocument.create()
    planDoc.addPage()
    c.documents = [
      {
        id: DOC_1,
        title: 'Signierter Plan',
        filename: 'plan.pdf',
        mimeType: 'application/pdf',
        createdAt: '2026-11-18T10:00:00Z',
        bytes: await planDoc.save(),
        signed: true,
      },
    ]
    const before = calls.length
    const f = archivalFormatFindings(parseArchiveExport(signedPlan), converter)
    expect(calls.length).toBe(before)
    expect(f.find((x) => x.title === 'Signierter Plan')?.status).toBe('signed-not-pdfa')
  })
})
