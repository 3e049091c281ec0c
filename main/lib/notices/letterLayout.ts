/**
 * Gemeinsames Briefbild für Bescheide und Schreiben (DIN 5008, Form B) auf pdf-lib.
 *
 * Geometrie (mm, von oben links): Briefkopf 0–45; Anschriftfeld 20/45, 85 × 45 mit
 * Rücksendeangabe in der Zusatz- und Vermerkzone (17,7 mm) und Anschriftzone (27,3 mm);
 * Informationsblock ab 125/50; Betreff ab 98,5; Falzmarken 105 und 210, Lochmarke 148,5;
 * Text links 25, rechts 20; Fußzeile mit Behördenanschrift und „Seite x von y“.
 *
 * Barrierefreiheit (PDF/UA-1, BITV 2.0): getaggt über pdfStructure.ts – Briefkopf, Anschrift,
 * Informationsblock (Tabelle: Zeilenköpfe TH/Scope Row), Betreff (H1), Überschriften (H2), Absätze
 * (P), Aufzählungen (L/LI/Lbl/LBody), Grußformel, Signatur (Form mit dem Signatur-Widget, beim
 * Signieren ergänzt); Falzmarken, Linien, Farbbalken, Kopf- und Fußzeilen sind Artefakte.
 * /MarkInfo, /Lang, DisplayDocTitle, /Tabs /S, XMP mit pdfuaid:part 1 (mit Erweiterungsschema).
 *
 * PDF/A-2 – was hier getan wird: alle Schriften eingebettet (DejaVu Sans, Teilmenge mit Kennung
 * „ABCDEF+DejaVuSans“, mit ToUnicode; einmal pro Prozess zerlegt und vermessen: fontMetrics.ts),
 * Dokumentinfo + XMP-Metadaten (gleiche Werte, pdfaid:part 2, conformance A – getaggt, Unicode –,
 * dc:language), OutputIntent GTS_PDFA1 mit dem Standard-sRGB-Profil (assets/icc), /Lang de-DE, Trailer-/ID, keine Transparenz,
 * keine Verschlüsselung, keine JavaScript-/Multimedia-Objekte, Signatur-Widget mit Druck-Flag und Erscheinungsbild.
 * Was für echtes PDF/A noch fehlt bzw. nicht geprüft ist:
 *  - keine Validierung mit veraPDF (hier nicht verfügbar; auf Rechnern mit veraPDF:
 *    `verapdf --flavour 2a bescheid.pdf` und `verapdf --flavour ua1 bescheid.pdf`); geprüft wird
 *    hier mit poppler (pdfinfo „Tagged: yes“, pdftotext) und dem Strukturtest in noticePdf.test.ts;
 *  - pdf-lib setzt keinen CIDSet-Eintrag (in PDF/A-2 optional) und schreibt die Kopfzeile
 *    %PDF-1.7 (zulässig);
 *  - beim Signieren wird das Dokument einmal neu geschrieben (signierte Revision); PAdES B-LT
 *    hängt den DSS als inkrementelle Aktualisierung an (dss.ts). XMP-ModifyDate bleibt die
 *    Erstellungszeit, die Signaturzeit steht in /M, die belegte Zeit im Signaturzeitstempel.
 */
import { createHash } from 'node:crypto'
import { PDFDocument, PDFHexString, PDFName, PDFString, rgb } from 'pdf-lib'
import type { PDFFont, PDFPage, RGB } from 'pdf-lib'
import { reserveSignatureRect } from '../signature/signPdf'
import type { Rect } from '../signature/signPdf'
import { loadFontBytes } from './assets'
import { letterFontkit, letterFonts } from './fontMetrics'
import type { Addressee, Authority, Clerk } from './noticeModel'
import { PdfStructure, SIGNATURE_STRUCT_TITLE } from './pdfStructure'
import type { StructElem } from './pdfStructure'
import { srgbIccProfileDeflated } from './srgbIcc'

export const MM = 72 / 25.4
export const A4: [number, number] = [595.28, 841.89]
const PAGE_H = A4[1]
const LEFT = 25 * MM
const RIGHT = A4[0] - 20 * MM
const TEXT_W = RIGHT - LEFT
const BODY_SIZE = 10.5
const LINE = 14.2
const BOTTOM_LIMIT = 30 * MM
const FOLLOW_TOP = 25 * MM
const ACCENT = rgb(0.1, 0.25, 0.5)
const GREY = rgb(0.35, 0.35, 0.35)
const BLACK = rgb(0, 0, 0)

/** Höhe des sichtbaren Signaturblocks, der auf der letzten Seite freigehalten wird. */
export const SIGNATURE_BLOCK_HEIGHT = 26 * MM
export const SIGNATURE_BLOCK_WIDTH = 85 * MM

export type Block =
  | { type: 'heading'; text: string }
  | { type: 'center'; text: string; size?: number }
  | { type: 'para'; text: string; bold?: boolean }
  | { type: 'list'; items: string[]; marker: 'number' | 'dash' }
  | { type: 'space'; lines: number }

export interface LetterSpec {
  authority: Authority
  addressee: Addressee
  aktenzeichen: string
  /** Briefdatum, JJJJ-MM-TT */
  date: string
  clerk: Clerk
  /** Betreff (fett), ggf. mehrere Zeilen */
  subject: string[]
  salutation: string
  blocks: Block[]
  closing: { greeting: string; signatureNote: string }
  /** Kurzbezeichnung für Folgeseiten, z. B. „Bescheid vom 27.11.2026“ */
  runningTitle: string
  metadata: { title: string; subject: string; keywords: string[] }
}

export interface RenderOptions {
  /** Erstellungszeitpunkt (Dokumentinfo, XMP); injiziert, Standard: jetzt. */
  now?: Date
}

export interface RenderedLetter {
  doc: PDFDocument
  fonts: { regular: PDFFont; bold: PDFFont }
  signatureRect: Rect
  structure: PdfStructure
}


export function formatDateDe(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso)
  return m ? `${m[3]}.${m[2]}.${m[1]}` : iso
}

/** Alles, was Textbreiten misst (FontMetrics aus fontMetrics.ts oder ein PDFFont). */
export interface TextMeasure {
  widthOfTextAtSize(text: string, size: number): number
}

interface LetterFonts {
  regular: PDFFont
  bold: PDFFont
}

interface Measures {
  regular: TextMeasure
  bold: TextMeasure
}

export function wrapText(text: string, font: TextMeasure, size: number, maxWidth: number): string[] {
  const out: string[] = []
  // geschützte Leerzeichen: „§ 49“, „Abs. 2“, „Nr. 5“, „150,00 €“ nicht trennen
  const glued = text.replace(/(§§?|Abs\.|Nr\.|Satz|Art\.) (?=\d)/g, '$1\u00a0').replace(/(\d) (€|km\/h|m²|m\b)/g, '$1\u00a0$2')
  for (const rawLine of glued.split('\n')) {
    const words = rawLine.split(/ +/).filter((w) => w !== '')
    let line = ''
    for (let word of words) {
      const candidate = line ? `${line} ${word}` : word
      if (font.widthOfTextAtSize(candidate, size) <= maxWidth) {
        line = candidate
        continue
      }
      if (line) out.push(line)
      // überlange Wörter (z. B. URLs, FIN) hart umbrechen
      while (font.widthOfTextAtSize(word, size) > maxWidth) {
        let cut = word.length - 1
        while (cut > 1 && font.widthOfTextAtSize(word.slice(0, cut), size) > maxWidth) cut--
        out.push(word.slice(0, cut))
        word = word.slice(cut)
      }
      line = word
    }
    out.push(line)
  }
  return out
}

function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c)
}

function xmpDate(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z')
}

function buildXmp(meta: { title: string; author: string; subject: string; keywords: string; creator: string; producer: string; date: Date }): string {
  const d = xmpDate(meta.date)
  return `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"
    xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"
    xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
    xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
    xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">${escapeXml(meta.title)}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>${escapeXml(meta.author)}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">${escapeXml(meta.subject)}</rdf:li></rdf:Alt></dc:description>
   <dc:language><rdf:Bag><rdf:li>de-DE</rdf:li></rdf:Bag></dc:language>
   <xmp:CreatorTool>${escapeXml(meta.creator)}</xmp:CreatorTool>
   <xmp:CreateDate>${d}</xmp:CreateDate>
   <xmp:ModifyDate>${d}</xmp:ModifyDate>
   <xmp:MetadataDate>${d}</xmp:MetadataDate>
   <pdf:Producer>${escapeXml(meta.producer)}</pdf:Producer>
   <pdf:Keywords>${escapeXml(meta.keywords)}</pdf:Keywords>
   <pdfaid:part>2</pdfaid:part>
   <pdfaid:conformance>A</pdfaid:conformance>
   <pdfuaid:part>1</pdfuaid:part>
   <pdfaExtension:schemas>
    <rdf:Bag>
     <rdf:li rdf:parseType="Resource">
      <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
      <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
      <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
      <pdfaSchema:property>
       <rdf:Seq>
        <rdf:li rdf:parseType="Resource">
         <pdfaProperty:name>part</pdfaProperty:name>
         <pdfaProperty:valueType>Integer</pdfaProperty:valueType>
         <pdfaProperty:category>internal</pdfaProperty:category>
         <pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description>
        </rdf:li>
       </rdf:Seq>
      </pdfaSchema:property>
     </rdf:li>
    </rdf:Bag>
   </pdfaExtension:schemas>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`
}

/** Dokumentinfo, XMP, OutputIntent, Sprache, Trailer-ID. */
function applyPdfA(doc: PDFDocument, spec: LetterSpec, now: Date): void {
  const creator = 'Aktenfluss'
  const producer = 'Aktenfluss (pdf-lib)'
  const keywords = spec.metadata.keywords.join(', ')
  doc.setTitle(spec.metadata.title, { showInWindowTitleBar: true })
  doc.setAuthor(spec.authority.name)
  doc.setSubject(spec.metadata.subject)
  doc.setKeywords([keywords])
  doc.setCreator(creator)
  doc.setProducer(producer)
  doc.setLanguage('de-DE')
  doc.setCreationDate(now)
  doc.setModificationDate(now)

  const ctx = doc.context
  const xmp = buildXmp({ title: spec.metadata.title, author: spec.authority.name, subject: spec.metadata.subject, keywords, creator, producer, date: now })
  const metadata = ctx.stream(new Uint8Array(Buffer.from(xmp, 'utf8')), { Type: 'Metadata', Subtype: 'XML' })
  doc.catalog.set(PDFName.of('Metadata'), ctx.register(metadata))

  // einmal pro Prozess komprimiert (das Profil ist bei jedem Bescheid dasselbe)
  const icc = ctx.stream(srgbIccProfileDeflated(), { N: 3, Filter: 'FlateDecode' })
  const intent = ctx.obj({
    Type: 'OutputIntent',
    S: 'GTS_PDFA1',
    OutputConditionIdentifier: PDFString.of('sRGB IEC61966-2.1'),
    Info: PDFString.of('sRGB IEC61966-2.1'),
    RegistryName: PDFString.of('http://www.color.org'),
    DestOutputProfile: ctx.register(icc),
  })
  doc.catalog.set(PDFName.of('OutputIntents'), ctx.obj([ctx.register(intent)]))

  const id = createHash('md5').update(`${spec.aktenzeichen}|${spec.date}|${now.toISOString()}|${spec.metadata.title}`).digest('hex')
  ctx.trailerInfo.ID = ctx.obj([PDFHexString.of(id), PDFHexString.of(id)])
}

class Writer {
  page!: PDFPage
  y = 0
  pages: PDFPage[] = []
  /** offene Liste für aufeinanderfolgende nummerierte Absätze (Tenor „1. … 2. …“) */
  private list: StructElem | undefined
  constructor(
    readonly doc: PDFDocument,
    readonly fonts: LetterFonts,
    readonly metrics: Measures,
    readonly spec: LetterSpec,
    readonly s: PdfStructure,
  ) {}

  newPage(first: boolean): void {
    this.page = this.doc.addPage(A4)
    this.pages.push(this.page)
    if (first) {
      drawFoldMarks(this.page, this.s)
      drawLetterhead(this.page, this.fonts, this.metrics, this.spec, this.s)
      this.y = PAGE_H - 98.5 * MM
    } else {
      const t = `${this.spec.authority.name} · Aktenzeichen ${this.spec.aktenzeichen} · ${this.spec.runningTitle}`
      this.s.artifact(
        this.page,
        () => {
          this.page.drawText(t, { x: LEFT, y: PAGE_H - 14 * MM, size: 8, font: this.fonts.regular, color: GREY })
          this.page.drawLine({ start: { x: LEFT, y: PAGE_H - 16 * MM }, end: { x: RIGHT, y: PAGE_H - 16 * MM }, thickness: 0.4, color: GREY })
        },
        'Pagination',
        'Header',
      )
      this.y = PAGE_H - FOLLOW_TOP
    }
  }

  ensure(height: number): void {
    if (this.y - height < BOTTOM_LIMIT) this.newPage(false)
  }

  /** Zeilen eines Elements; läuft es über eine Seite, bekommt jede Seite eine eigene Inhaltsmarke. */
  lines(el: StructElem, lines: string[], opts: { font?: PDFFont; size?: number; x?: number; color?: RGB; keep?: number } = {}): void {
    const font = opts.font ?? this.fonts.regular
    const size = opts.size ?? BODY_SIZE
    // mindestens 2 Zeilen eines Absatzes zusammenhalten (Schusterjunge)
    this.ensure(Math.min(lines.length, opts.keep ?? 2) * LINE)
    let open: PDFPage | undefined
    withBreakSpaces(lines).forEach((line) => {
      this.ensure(LINE)
      if (open !== this.page) {
        if (open) this.s.end(open)
        open = this.page
        this.s.begin(open, el)
      }
      this.y -= LINE
      const x = opts.x ?? LEFT
      this.page.drawText(line, { x, y: this.y + 3.5, size, font, color: opts.color ?? BLACK })
    })
    if (open) this.s.end(open)
  }

  gap(n = 0.6): void {
    this.y -= LINE * n
  }

  block(b: Block, parent: StructElem = this.s.document): void {
    const { regular, bold } = this.fonts
    const m = this.metrics
    const s = this.s
    const inList = b.type === 'para' && /^(\d+\.|[a-z]\)|–|-)\s+/.test(b.text)
    if (!inList && parent === s.document) this.list = undefined
    switch (b.type) {
      case 'heading': {
        this.gap(0.5)
        this.ensure(LINE * 3) // Überschrift nicht allein am Seitenende
        this.lines(s.elem('H2', parent), wrapText(b.text, m.bold, BODY_SIZE + 0.5, TEXT_W), { font: bold, size: BODY_SIZE + 0.5 })
        this.gap(0.25)
        return
      }
      case 'center': {
        const size = b.size ?? 13
        this.gap(0.4)
        this.ensure(LINE * 3)
        this.y -= LINE + 2
        const w = m.bold.widthOfTextAtSize(b.text, size)
        s.content(this.page, s.elem('H2', parent), () => this.page.drawText(b.text, { x: LEFT + (TEXT_W - w) / 2, y: this.y + 3, size, font: bold }))
        this.gap(0.6)
        return
      }
      case 'para': {
        const font = b.bold ? bold : regular
        const measure = b.bold ? m.bold : m.regular
        const mark = /^(\d+\.|[a-z]\)|–|-)\s+/.exec(b.text)
        if (mark) {
          // Absatz mit Marke = Listenpunkt; aufeinanderfolgende bilden eine Liste
          const numbering = /^\d/.test(mark[1] ?? '') ? 'Decimal' : /^[a-z]/.test(mark[1] ?? '') ? 'LowerAlpha' : 'None'
          const list = parent.type === 'L' ? parent : (this.list ??= s.elem('L', parent, { attributes: { O: 'List', ListNumbering: numbering } }))
          const li = s.elem('LI', list)
          const indent = 7 * MM
          const body = b.text.slice(mark[0].length)
          const ls = wrapText(body, measure, BODY_SIZE, TEXT_W - indent)
          this.ensure(Math.min(2, ls.length) * LINE)
          // erste Zeile steht sicher auf dieser Seite: Marke links daneben
          s.content(this.page, s.elem('Lbl', li), () => this.page.drawText(mark[1] ?? '', { x: LEFT, y: this.y - LINE + 3.5, size: BODY_SIZE, font }))
          this.lines(s.elem('LBody', li), ls, { font, x: LEFT + indent })
        } else {
          this.lines(s.elem('P', parent), wrapText(b.text, measure, BODY_SIZE, TEXT_W), { font })
        }
        this.gap(0.45)
        return
      }
      case 'list': {
        const list = s.elem('L', parent, { attributes: { O: 'List', ListNumbering: b.marker === 'number' ? 'Decimal' : 'None' } })
        this.list = undefined
        b.items.forEach((item, i) => this.block({ type: 'para', text: `${b.marker === 'number' ? `${i + 1}.` : '–'} ${item}` }, list))
        this.list = undefined
        return
      }
      case 'space':
        this.gap(b.lines)
        return
    }
  }
}

/**
 * Hängt an jede umbrochene Zeile (außer der letzten) das Leerzeichen an, an dem umbrochen wurde:
 * unsichtbar, aber Textauszug und Vorlesen aus dem Strukturbaum trennen die Wörter dann richtig
 * („Mietzuschuss in“ statt „Mietzuschussin“).
 */
export function withBreakSpaces(lines: string[]): string[] {
  return lines.map((l, i) => (i < lines.length - 1 && !/[\s-]$/.test(l) ? `${l} ` : l))
}

function drawFoldMarks(page: PDFPage, s: PdfStructure): void {
  s.artifact(page, () => {
    for (const [mm, len] of [
      [105, 5],
      [148.5, 8],
      [210, 5],
    ] as const) {
      const y = PAGE_H - mm * MM
      page.drawLine({ start: { x: 3 * MM, y }, end: { x: (3 + len) * MM, y }, thickness: 0.3, color: GREY })
    }
  })
}

function drawLetterhead(page: PDFPage, fonts: LetterFonts, metrics: Measures, spec: LetterSpec, s: PdfStructure): void {
  const a = spec.authority
  const { regular, bold } = fonts
  // Kopf: Farbbalken und Linie sind Schmuck, Name und Abteilung Text
  const head = s.elem('Div', s.document, { title: 'Briefkopf' })
  s.artifact(page, () => page.drawRectangle({ x: LEFT, y: PAGE_H - 24 * MM, width: 2.2 * MM, height: 12 * MM, color: ACCENT }))
  s.content(page, s.elem('P', head), () => page.drawText(a.name, { x: LEFT + 5 * MM, y: PAGE_H - 17 * MM, size: 17, font: bold, color: ACCENT }))
  if (a.department) {
    const department = a.department
    s.content(page, s.elem('P', head), () => page.drawText(department, { x: LEFT + 5 * MM, y: PAGE_H - 23.3 * MM, size: 10.5, font: regular, color: GREY }))
  }
  s.artifact(page, () => page.drawLine({ start: { x: LEFT, y: PAGE_H - 32 * MM }, end: { x: RIGHT, y: PAGE_H - 32 * MM }, thickness: 0.6, color: ACCENT }))

  // Anschriftfeld (Form B): 20 mm links, 45 mm oben, 85 × 45 mm; Text 5 mm eingerückt
  const address = s.elem('Div', s.document, { title: 'Anschrift' })
  const fx = 25 * MM
  const returnLine = [a.name, a.street, `${a.postalCode} ${a.city}`].join(' · ')
  const rs = 7
  const ry = PAGE_H - 45 * MM - 12 * MM
  s.content(page, s.elem('P', address, { title: 'Rücksendeangabe' }), () => page.drawText(returnLine, { x: fx, y: ry, size: rs, font: regular, color: GREY }))
  s.artifact(page, () => page.drawLine({ start: { x: fx, y: ry - 1.2 }, end: { x: fx + metrics.regular.widthOfTextAtSize(returnLine, rs), y: ry - 1.2 }, thickness: 0.3, color: GREY }))
  const ad = spec.addressee
  const addrLines = [...wrapText(ad.name, metrics.regular, 10, 75 * MM), ad.street, `${ad.postalCode} ${ad.city}`].slice(0, 9)
  let ay = PAGE_H - (45 + 17.7) * MM - 10
  s.content(page, s.elem('P', address, { title: 'Empfänger' }), () => {
    for (const l of withBreakSpaces(addrLines)) {
      page.drawText(l, { x: fx, y: ay, size: 10, font: regular })
      ay -= 12
    }
  })

  // Informationsblock ab 125 mm / 50 mm: Tabelle mit Zeilenköpfen
  const ix = 125 * MM
  const vx = ix + 20.5 * MM
  const vw = RIGHT - vx
  let iy = PAGE_H - 50 * MM - 8
  const info: Array<[string, string]> = [
    ['Aktenzeichen', spec.aktenzeichen],
    ['Datum', formatDateDe(spec.date)],
    ['Bearbeitung', spec.clerk.name],
    ['Telefon', spec.clerk.phone],
    ['E-Mail', spec.clerk.email],
  ]
  const infoBox = s.elem('Div', s.document, { title: 'Informationsblock' })
  const table = s.elem('Table', infoBox, { title: 'Angaben zum Schreiben' })
  for (const [label, value] of info) {
    const tr = s.elem('TR', table)
    s.content(page, s.elem('TH', tr, { attributes: { O: 'Table', Scope: 'Row' } }), () => page.drawText(label, { x: ix, y: iy, size: 7.5, font: regular, color: GREY }))
    s.content(page, s.elem('TD', tr), () => {
      for (const l of withBreakSpaces(wrapText(value, metrics.regular, 8, vw))) {
        page.drawText(l, { x: vx, y: iy, size: 8, font: regular })
        iy -= 11
      }
    })
  }
  // Hinweis auf Sprechzeiten/Anschrift im Block
  iy -= 4
  s.content(page, s.elem('P', infoBox), () => {
    for (const l of withBreakSpaces([`${a.street}`, `${a.postalCode} ${a.city}`])) {
      page.drawText(l, { x: ix, y: iy, size: 8, font: regular, color: GREY })
      iy -= 10
    }
  })
}

function drawFooters(pages: PDFPage[], fonts: LetterFonts, metrics: Measures, a: Authority, s: PdfStructure): void {
  const size = 7.5
  const cols = [
    [a.name, a.department ?? '', `${a.street}, ${a.postalCode} ${a.city}`],
    [a.phone ? `Telefon ${a.phone}` : '', a.email ?? '', a.web ?? ''],
  ]
  pages.forEach((page, i) => {
    // Fußzeile wiederholt sich auf jeder Seite: Artefakt (Paginierung), nicht Teil der Lesereihenfolge
    s.artifact(
      page,
      () => {
        const top = 20 * MM
        page.drawLine({ start: { x: LEFT, y: top }, end: { x: RIGHT, y: top }, thickness: 0.4, color: GREY })
        cols.forEach((col, c) => {
          let y = top - 10
          for (const l of col.filter(Boolean)) {
            page.drawText(l, { x: LEFT + c * 62 * MM, y, size, font: fonts.regular, color: GREY })
            y -= 9
          }
        })
        const label = `Seite ${i + 1} von ${pages.length}`
        const w = metrics.regular.widthOfTextAtSize(label, 8)
        page.drawText(label, { x: RIGHT - w, y: top - 10, size: 8, font: fonts.regular, color: BLACK })
      },
      'Pagination',
      'Footer',
    )
  })
}

/**
 * Teilmengen-Kennungen (ISO 32000-1, 9.6.4: sechs Großbuchstaben + „+“ vor dem Schriftnamen,
 * verschieden je Teilmenge einer Datei), deterministisch aus den Dokumentdaten. Ohne Kennung
 * (pdf-lib-Standard „DejaVuSans-1234“) erkennen Prüfwerkzeuge (pdffonts, veraPDF) die
 * eingebettete Teilmenge nicht als solche.
 */
function subsetTags(seed: string): [string, string] {
  const h = createHash('sha256').update(seed).digest()
  const tag = (offset: number) => Array.from(h.subarray(offset, offset + 6), (b) => String.fromCharCode(65 + (b % 26))).join('')
  const regular = tag(0)
  let bold = tag(6)
  if (bold === regular) bold = tag(12)
  return [regular, bold]
}

/** Setzt den Brief und gibt das offene Dokument zurück (zum Speichern oder direkten Signieren). */
export async function layoutLetter(spec: LetterSpec, opts: RenderOptions = {}): Promise<RenderedLetter> {
  const doc = await PDFDocument.create({ updateMetadata: false })
  // Schriften einmal pro Prozess zerlegt (fontMetrics.ts); eingebettet wird je Dokument eine Teilmenge
  const metrics = letterFonts()
  doc.registerFontkit(letterFontkit)
  const bytes = loadFontBytes()
  const now = opts.now ?? new Date()
  const [regularTag, boldTag] = subsetTags(`${spec.aktenzeichen}|${spec.date}|${now.toISOString()}|${spec.metadata.title}`)
  const fonts = {
    regular: await doc.embedFont(bytes.regular, { subset: true, customName: `${regularTag}+${metrics.regular.font.postscriptName}` }),
    bold: await doc.embedFont(bytes.bold, { subset: true, customName: `${boldTag}+${metrics.bold.font.postscriptName}` }),
  }
  const structure = PdfStructure.create(doc, { lang: 'de-DE' })
  const w = new Writer(doc, fonts, metrics, spec, structure)
  w.newPage(true)

  // Betreff: Überschrift der ersten Ebene (der Betreff ist der Titel des Schreibens)
  const subject = structure.elem('H1')
  for (const s of spec.subject) w.lines(subject, wrapText(s, metrics.bold, BODY_SIZE + 0.5, TEXT_W), { font: fonts.bold, size: BODY_SIZE + 0.5 })
  w.gap(1.2)
  w.lines(structure.elem('P'), wrapText(spec.salutation, metrics.regular, BODY_SIZE, TEXT_W))
  w.gap(0.6)
  // Grußformel + Platz für den Signaturblock + Name
  const closingHeight = LINE * 3 + SIGNATURE_BLOCK_HEIGHT + LINE * 2 + 8
  spec.blocks.forEach((b, i) => {
    // letzten Absatz mit der Grußformel zusammenhalten (Grußformel nie allein auf einer Seite)
    if (i === spec.blocks.length - 1 && b.type === 'para') {
      const h = wrapText(b.text, metrics.regular, BODY_SIZE, TEXT_W - 7 * MM).length * LINE + LINE
      if (h + closingHeight < PAGE_H - FOLLOW_TOP - BOTTOM_LIMIT) w.ensure(h + closingHeight)
    }
    w.block(b)
  })
  w.gap(0.6)
  w.ensure(closingHeight)
  const closing = structure.elem('Div', structure.document, { title: 'Grußformel' })
  w.lines(structure.elem('P', closing), [spec.closing.greeting])
  w.lines(structure.elem('P', closing), [spec.closing.signatureNote])
  // Platzhalter für den Signaturblock (signPdf.ts füllt ihn; unsigniert wird er entfernt)
  structure.elem('Div', closing, { title: SIGNATURE_STRUCT_TITLE })
  w.y -= 6
  const rect: Rect = [LEFT, w.y - SIGNATURE_BLOCK_HEIGHT, LEFT + SIGNATURE_BLOCK_WIDTH, w.y]
  w.y -= SIGNATURE_BLOCK_HEIGHT + 2
  w.lines(structure.elem('P', closing), [spec.clerk.name])
  reserveSignatureRect(w.page, rect)

  drawFooters(w.pages, fonts, metrics, spec.authority, structure)
  applyPdfA(doc, spec, now)
  return { doc, fonts, signatureRect: rect, structure }
}

/** Speichert unsigniert (ein ungenutzter Signatur-Platzhalter im Strukturbaum entfällt). */
export async function saveLetter(doc: PDFDocument): Promise<Uint8Array> {
  const structure = PdfStructure.open(doc)
  const placeholder = structure?.findByTitle(SIGNATURE_STRUCT_TITLE)
  if (structure && placeholder) structure.removeIfEmpty(placeholder)
  return doc.save({ useObjectStreams: false, updateFieldAppearances: false })
}
