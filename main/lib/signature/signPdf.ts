/**
 * PAdES-Signatur eines PDFs (erste Signatur): Baseline B, mit `ltv` B-T (Signaturzeitstempel)
 * und B-LT (DSS mit Kette und Sperrinformationen als inkrementelle Aktualisierung, dss.ts).
 *
 * Ablauf: sichtbaren Signaturblock in den Seiteninhalt der letzten Seite zeichnen →
 * Platzhalter mit @signpdf/placeholder-pdf-lib (SubFilter ETSI.CAdES.detached, Widget auf dem
 * Rechteck des Signaturblocks) → speichern (klassische xref, keine Objekt-Streams) →
 * @signpdf/signpdf füllt ByteRange und /Contents mit der CMS-Signatur aus {@link PadesCmsSigner}.
 */
import { pdflibAddPlaceholder } from '@signpdf/placeholder-pdf-lib'
import { SignPdf } from '@signpdf/signpdf'
import { SUBFILTER_ETSI_CADES_DETACHED } from '@signpdf/utils'
import fontkit from '@pdf-lib/fontkit'
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber, PDFRef } from 'pdf-lib'
import type { PDFPage } from 'pdf-lib'
import { loadFontBytes } from '../notices/assets'
import { PdfStructure, SIGNATURE_STRUCT_TITLE, pdfText } from '../notices/pdfStructure'
import { PadesCmsSigner, parseCertificateCached } from './cadesSigner'
import { appendDocumentTimestamp } from './docTimestamp'
import { appendDss } from './dss'
import type { SigningIdentity } from './identity'
import { collectRevocation, type LtvOptions } from './ltvOptions'
import { drawSignatureBlock, type SignatureBlockFonts } from './signatureBlock'
import { parseTimestampToken } from './timestamp'
import type { TimestampSource } from './timestamp'
export { ltvFromEnvironment, type LtvOptions } from './ltvOptions'
export { drawSignatureBlock, formatSigningTime, type SignatureBlockFonts } from './signatureBlock'

export interface SignOptions {
  /** Name im Signaturwörterbuch; Standard: commonName des Zertifikats. */
  name?: string
  reason: string
  location: string
  contactInfo?: string
  /** Signaturzeit (/M), wird injiziert (docs/architecture.md Regel 6). */
  signingTime: Date
  /** Langzeitprüfbarkeit: mit `timestamp` PAdES B-T, zusätzlich mit `revocation` B-LT. */
  ltv?: LtvOptions
}

/** [x1, y1, x2, y2] in PDF-Punkten (Ursprung unten links). */
export type Rect = [number, number, number, number]

/**
 * Länge des /Contents-Platzhalters in Hex-Ziffern (= halb so viele Bytes CMS): CMS mit
 * 2 RSA-2048-Zertifikaten ≈ 3 KB; mit Zeitstempel (Token mit TSA-Zertifikat) ≈ 4,6 KB.
 */
export const SIGNATURE_LENGTH = 8192
export const SIGNATURE_LENGTH_WITH_TIMESTAMP = 16384

/**
 * Seitenwörterbuch-Schlüssel, unter dem ein Renderer das für den Signaturblock reservierte
 * Rechteck hinterlegt (ein für Leser unsichtbarer Eintrag; fehlt er, gilt {@link defaultSignatureRect}).
 */
export const SIGNATURE_RECT_KEY = 'AKF_SignatureRect'

export class SignatureError extends Error {
  override readonly name = 'SignatureError'
  constructor(
    readonly code: 'ALREADY_SIGNED' | 'INVALID_PDF' | 'SIGNING_FAILED',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

const MM = 72 / 25.4

export function reserveSignatureRect(page: PDFPage, rect: Rect): void {
  page.node.set(PDFName.of(SIGNATURE_RECT_KEY), page.doc.context.obj(rect))
}

export function defaultSignatureRect(page: PDFPage): Rect {
  const { width } = page.getSize()
  const x2 = width - 20 * MM
  return [x2 - 85 * MM, 22 * MM, x2, 22 * MM + 26 * MM]
}

function readSignatureRect(page: PDFPage): Rect {
  const arr = page.node.lookupMaybe(PDFName.of(SIGNATURE_RECT_KEY), PDFArray)
  if (arr && arr.size() === 4) {
    const nums = arr.asArray().map((o) => (o instanceof PDFNumber ? o.asNumber() : NaN))
    if (nums.every((n) => Number.isFinite(n))) return nums as Rect
  }
  return defaultSignatureRect(page)
}

/**
 * Text für ein PDF-Literal-String (pdf-lib schreibt PDFString.of ungeprüft Byte für Byte):
 * ASCII wird escaped übernommen, alles andere als UTF-16BE mit BOM (PDF 1.7, 7.9.2.2).
 */
export function pdfTextLiteral(text: string): string {
  const escape = (bin: string) =>
    bin.replace(
      /[()\\\r\n]/g,
      (c) => ({ '(': '\\(', ')': '\\)', '\\': '\\\\', '\r': '\\r', '\n': '\\n' })[c] ?? c,
    )
  if (/^[\x20-\x7e]*$/.test(text)) return escape(text)
  let bin = '\xfe\xff'
  for (let i = 0; i < text.length; i++) {
    const u = text.charCodeAt(i)
    bin += String.fromCharCode(u >> 8, u & 0xff)
  }
  return escape(bin)
}

function hasSignature(doc: PDFDocument): boolean {
  const acroForm = doc.catalog.lookupMaybe(PDFName.of('AcroForm'), PDFDict)
  const fields = acroForm?.lookupMaybe(PDFName.of('Fields'), PDFArray)
  if (!fields) return false
  return fields.asArray().some((ref) => {
    const f = doc.context.lookup(ref)
    return (
      f instanceof PDFDict &&
      f.get(PDFName.of('FT'))?.toString() === '/Sig' &&
      f.has(PDFName.of('V'))
    )
  })
}

/**
 * Signiert ein bereits geöffnetes pdf-lib-Dokument (schneller Weg für frisch gerenderte
 * Bescheide: keine zweite Zerlegung, Schrift schon eingebettet). Verändert `doc`.
 */
export async function signPdfDocument(
  doc: PDFDocument,
  identity: SigningIdentity,
  opts: SignOptions,
  fonts: SignatureBlockFonts,
): Promise<Uint8Array> {
  if (hasSignature(doc)) {
    throw new SignatureError(
      'ALREADY_SIGNED',
      'Das Dokument ist bereits signiert; eine weitere Signatur (Mitzeichnung) wird noch nicht unterstützt.',
    )
  }
  const pages = doc.getPages()
  const page = pages[pages.length - 1]
  if (!page) throw new SignatureError('INVALID_PDF', 'Das PDF hat keine Seiten.')
  const rect = readSignatureRect(page)
  const name = opts.name ?? identity.commonName
  // getaggtes PDF: Signaturblock in den Platzhalter des Strukturbaums (sonst ans Ende)
  const structure = PdfStructure.open(doc)
  const sigElem = structure
    ? (structure.findByTitle(SIGNATURE_STRUCT_TITLE) ??
      structure.elem('Div', structure.document, { title: SIGNATURE_STRUCT_TITLE }))
    : undefined
  const tag = structure && sigElem ? { structure, parent: sigElem } : undefined
  drawSignatureBlock(
    page,
    rect,
    fonts,
    { signerName: name, signingTime: opts.signingTime, subject: identity.subject },
    tag,
  )
  page.node.delete(PDFName.of(SIGNATURE_RECT_KEY))
  const annotsBefore = page.node.lookupMaybe(PDFName.of('Annots'), PDFArray)?.size() ?? 0

  pdflibAddPlaceholder({
    pdfDoc: doc,
    pdfPage: page,
    reason: pdfTextLiteral(opts.reason),
    contactInfo: pdfTextLiteral(opts.contactInfo ?? ''),
    name: pdfTextLiteral(name),
    location: pdfTextLiteral(opts.location),
    signingTime: opts.signingTime,
    signatureLength: opts.ltv ? SIGNATURE_LENGTH_WITH_TIMESTAMP : SIGNATURE_LENGTH,
    subFilter: SUBFILTER_ETSI_CADES_DETACHED,
    widgetRect: rect,
    appName: 'Aktenfluss',
  })
  if (tag) {
    // Signaturfeld als Formularelement (PDF/UA 7.18), mit Kurzbeschreibung (TU) und Contents
    const widget = page.node.lookup(PDFName.of('Annots'), PDFArray).get(annotsBefore)
    if (widget instanceof PDFRef) {
      const description = `Elektronische Signatur von ${name}`
      const dict = doc.context.lookup(widget, PDFDict)
      dict.set(PDFName.of('TU'), pdfText(description))
      dict.set(PDFName.of('Contents'), pdfText(description))
      tag.structure.annotation(
        page,
        tag.structure.elem('Form', tag.parent, { alt: description }),
        widget,
      )
    }
  }
  const ltv = opts.ltv
  // Sperrinformation der eigenen Kette parallel zum Speichern/Signieren holen
  const chain = [identity.certificate, ...identity.chainDer.map(parseCertificateCached)]
  const revocations = ltv?.revocation ? collectRevocation(chain, ltv.revocation) : undefined
  revocations?.catch(() => undefined)
  const unsigned = await doc.save({ useObjectStreams: false, updateFieldAppearances: false })
  let tokenDer: Uint8Array | undefined
  const timestamp: TimestampSource | undefined = ltv
    ? async (digest) => {
        tokenDer = await ltv.timestamp(digest)
        return tokenDer
      }
    : undefined
  let signed: Uint8Array
  try {
    const out = await new SignPdf().sign(
      Buffer.from(unsigned.buffer, unsigned.byteOffset, unsigned.byteLength),
      new PadesCmsSigner(identity, timestamp),
    )
    signed = new Uint8Array(out.buffer, out.byteOffset, out.byteLength)
  } catch (e) {
    throw new SignatureError(
      'SIGNING_FAILED',
      `Die Signatur konnte nicht erzeugt werden: ${e instanceof Error ? e.message : String(e)}`,
      { cause: e },
    )
  }
  if (!ltv?.revocation || !revocations || !tokenDer) return signed
  try {
    const tsaCertsDer = parseTimestampToken(tokenDer).certificatesDer
    const own = await revocations
    const more = await collectRevocation(
      tsaCertsDer.map(parseCertificateCached),
      ltv.revocation,
      own.issuers,
    )
    const withDss = appendDss(signed, doc, {
      certs: [identity.certificateDer, ...identity.chainDer, ...tsaCertsDer],
      crls: [...own.values.crls, ...more.values.crls],
      ocsps: [...own.values.ocsps, ...more.values.ocsps],
    })
    return ltv.documentTimestamp
      ? await appendDocumentTimestamp(withDss, doc, ltv.timestamp)
      : withDss
  } catch (e) {
    throw new SignatureError(
      'SIGNING_FAILED',
      `Sperrinformationen für die Langzeitprüfung fehlen: ${e instanceof Error ? e.message : String(e)}`,
      { cause: e },
    )
  }
}

/** Signiert beliebige PDF-Bytes (PAdES-B, sichtbarer Block auf der letzten Seite). */
export async function signPdf(
  pdf: Uint8Array,
  identity: SigningIdentity,
  opts: SignOptions,
): Promise<Uint8Array> {
  let doc: PDFDocument
  try {
    doc = await PDFDocument.load(pdf, { updateMetadata: false })
  } catch (e) {
    throw new SignatureError('INVALID_PDF', 'Die Datei ist kein lesbares PDF.', { cause: e })
  }
  doc.registerFontkit(fontkit)
  const bytes = loadFontBytes()
  const fonts = {
    regular: await doc.embedFont(bytes.regular, { subset: true }),
    bold: await doc.embedFont(bytes.bold, { subset: true }),
  }
  return signPdfDocument(doc, identity, opts, fonts)
}
