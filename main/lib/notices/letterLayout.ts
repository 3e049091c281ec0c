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
 *
 * Aufteilung: letterGeometry.ts (Maße, Schriftgrade, Farben), letterSpec.ts (Typen),
 * textFlow.ts (Zeilenumbruch), letterWriter.ts (Textfluss über die Seiten, Blöcke),
 * pageFurniture.ts (Falzmarken, Briefkopf, Kopf-/Fußzeilen), addressInfoBlock.ts (Anschrift,
 * Informationsblock), pdfaMetadata.ts (PDF/A-/PDF/UA-Kennzeichnung); hier: Zusammensetzen,
 * Schrifteinbettung, Speichern.
 */
import { createHash } from 'node:crypto'
import { PDFDocument } from 'pdf-lib'
import { reserveSignatureRect } from '../signature/signPdf'
import type { Rect } from '../signature/signPdf'
import { loadFontBytes } from './assets'
import { letterFontkit, letterFonts } from './fontMetrics'
import {
  BODY_SIZE,
  BOTTOM_LIMIT,
  FOLLOW_TOP,
  LEFT,
  LINE,
  MM,
  PAGE_H,
  SIGNATURE_BLOCK_HEIGHT,
  SIGNATURE_BLOCK_WIDTH,
  TEXT_W,
} from './letterGeometry'
import type { LetterSpec, RenderOptions, RenderedLetter } from './letterSpec'
import { Writer } from './letterWriter'
import { drawFooters } from './pageFurniture'
import { applyPdfA } from './pdfaMetadata'
import { PdfStructure, SIGNATURE_STRUCT_TITLE } from './pdfStructure'
import { wrapText } from './textFlow'

export { A4, MM, SIGNATURE_BLOCK_HEIGHT, SIGNATURE_BLOCK_WIDTH } from './letterGeometry'
export type { Block, LetterSpec, RenderOptions, RenderedLetter } from './letterSpec'
export { formatDateDe } from './addressInfoBlock'
export { withBreakSpaces, wrapText } from './textFlow'
export type { TextMeasure } from './textFlow'

/**
 * Teilmengen-Kennungen (ISO 32000-1, 9.6.4: sechs Großbuchstaben + „+“ vor dem Schriftnamen,
 * verschieden je Teilmenge einer Datei), deterministisch aus den Dokumentdaten. Ohne Kennung
 * (pdf-lib-Standard „DejaVuSans-1234“) erkennen Prüfwerkzeuge (pdffonts, veraPDF) die
 * eingebettete Teilmenge nicht als solche.
 */
function subsetTags(seed: string): [string, string] {
  const h = createHash('sha256').update(seed).digest()
  const tag = (offset: number) =>
    Array.from(h.subarray(offset, offset + 6), (b) => String.fromCharCode(65 + (b % 26))).join('')
  const regular = tag(0)
  let bold = tag(6)
  if (bold === regular) bold = tag(12)
  return [regular, bold]
}

/** Setzt den Brief und gibt das offene Dokument zurück (zum Speichern oder direkten Signieren). */
export async function layoutLetter(
  spec: LetterSpec,
  opts: RenderOptions = {},
): Promise<RenderedLetter> {
  const doc = await PDFDocument.create({ updateMetadata: false })
  // Schriften einmal pro Prozess zerlegt (fontMetrics.ts); eingebettet wird je Dokument eine Teilmenge
  const metrics = letterFonts()
  doc.registerFontkit(letterFontkit)
  const bytes = loadFontBytes()
  const now = opts.now ?? new Date()
  const [regularTag, boldTag] = subsetTags(
    `${spec.aktenzeichen}|${spec.date}|${now.toISOString()}|${spec.metadata.title}`,
  )
  const fonts = {
    regular: await doc.embedFont(bytes.regular, {
      subset: true,
      customName: `${regularTag}+${metrics.regular.font.postscriptName}`,
    }),
    bold: await doc.embedFont(bytes.bold, {
      subset: true,
      customName: `${boldTag}+${metrics.bold.font.postscriptName}`,
    }),
  }
  const structure = PdfStructure.create(doc, { lang: 'de-DE' })
  const w = new Writer(doc, fonts, metrics, spec, structure)
  w.newPage(true)

  // Betreff: Überschrift der ersten Ebene (der Betreff ist der Titel des Schreibens)
  const subject = structure.elem('H1')
  for (const s of spec.subject)
    w.lines(subject, wrapText(s, metrics.bold, BODY_SIZE + 0.5, TEXT_W), {
      font: fonts.bold,
      size: BODY_SIZE + 0.5,
    })
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
