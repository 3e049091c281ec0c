/**
 * PAdES B-LTA: Dokumentzeitstempel (ETSI EN 319 142-1, 5.5; ISO 32000-2, 12.8.5) als weitere
 * inkrementelle Aktualisierung hinter dem DSS. Ein unsichtbares, druckbares Signaturfeld
 * (Rect 0 0 0 0) trägt ein Signaturwörterbuch /Type /DocTimeStamp /SubFilter /ETSI.RFC3161, dessen
 * /Contents das RFC-3161-Token über die ByteRange ist – es sichert Signatur, Zeitstempel und DSS
 * gemeinsam (für eine spätere Erneuerung mit stärkeren Algorithmen: weiterer DSS + weiterer
 * Dokumentzeitstempel).
 *
 * Geschrieben werden alle Objekte, die sich gegenüber der vorigen Fassung geändert haben (Seite,
 * AcroForm, Strukturbaum) und die neuen – festgestellt durch Vergleich der Serialisierung vorher/nachher.
 */
import { createHash } from 'node:crypto'
import { PDFArray, PDFDict, PDFHexString, PDFName, PDFNumber, PDFString } from 'pdf-lib'
import type { PDFDocument, PDFObject, PDFRef } from 'pdf-lib'
import { PdfStructure, SIGNATURE_STRUCT_TITLE } from '../notices/pdfStructure'
import type { TimestampSource } from './timestamp'

/** Hex-Ziffern im /Contents-Platzhalter (Token mit TSA-Zertifikat ≈ 2,3 KB). */
export const DOC_TIMESTAMP_LENGTH = 12288
const PLACEHOLDER_NUMBER = 9_999_999_999

function bytesOf(obj: PDFObject): Uint8Array {
  const b = new Uint8Array(obj.sizeInBytes())
  obj.copyBytesInto(b, 0)
  return b
}

function digestOf(obj: PDFObject): string {
  return createHash('sha1').update(bytesOf(obj)).digest('base64')
}

function lastStartXref(pdf: Uint8Array): number {
  const m = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(
    Buffer.from(pdf.subarray(Math.max(0, pdf.length - 1024))).toString('latin1'),
  )
  if (!m) throw new Error('startxref nicht gefunden')
  return Number(m[1])
}

/** Hängt einen Dokumentzeitstempel an (`doc` = Kontext genau dieser Datei, z. B. nach appendDss). */
export async function appendDocumentTimestamp(
  pdf: Uint8Array,
  doc: PDFDocument,
  timestamp: TimestampSource,
): Promise<Uint8Array> {
  const ctx = doc.context
  const before = new Map<number, string>()
  for (const [ref, obj] of ctx.enumerateIndirectObjects())
    before.set(ref.objectNumber, digestOf(obj))
  const prev = lastStartXref(pdf)

  const page = doc.getPages()[0]
  if (!page) throw new Error('Das PDF hat keine Seiten.')
  const sig = ctx.obj({
    Type: 'DocTimeStamp',
    Filter: 'Adobe.PPKLite',
    SubFilter: 'ETSI.RFC3161',
    ByteRange: [0, PLACEHOLDER_NUMBER, PLACEHOLDER_NUMBER, PLACEHOLDER_NUMBER],
    Contents: PDFHexString.of('0'.repeat(DOC_TIMESTAMP_LENGTH)),
  })
  const sigRef = ctx.register(sig)
  const ap = ctx.register(
    ctx.stream(new Uint8Array(0), { Type: 'XObject', Subtype: 'Form', BBox: [0, 0, 0, 0] }),
  )
  const widget = ctx.obj({
    Type: 'Annot',
    Subtype: 'Widget',
    FT: 'Sig',
    T: PDFString.of('Dokumentzeitstempel'),
    TU: PDFString.of('Dokumentzeitstempel (Langzeitarchivierung)'),
    Contents: PDFString.of('Dokumentzeitstempel (Langzeitarchivierung)'),
    Rect: [0, 0, 0, 0],
    F: 4,
    P: page.ref,
    V: sigRef,
    AP: { N: ap },
  })
  const widgetRef = ctx.register(widget)
  const annots = page.node.lookupMaybe(PDFName.of('Annots'), PDFArray)
  if (annots) annots.push(widgetRef)
  else page.node.set(PDFName.of('Annots'), ctx.obj([widgetRef]))
  const acroForm = doc.catalog.lookupMaybe(PDFName.of('AcroForm'), PDFDict)
  if (!acroForm) throw new Error('Kein AcroForm – das PDF ist nicht signiert.')
  const fields = acroForm.lookupMaybe(PDFName.of('Fields'), PDFArray)
  if (fields) fields.push(widgetRef)
  else acroForm.set(PDFName.of('Fields'), ctx.obj([widgetRef]))
  // getaggtes PDF: das Feld als Formularelement im Signatur-Bereich (PDF/UA 7.18)
  const structure = PdfStructure.open(doc)
  if (structure) {
    const parent = structure.findByTitle(SIGNATURE_STRUCT_TITLE) ?? structure.document
    structure.annotation(
      page,
      structure.elem('Form', parent, { alt: 'Dokumentzeitstempel (Langzeitarchivierung)' }),
      widgetRef,
    )
  }

  const changed: Array<[PDFRef, PDFObject]> = []
  for (const [ref, obj] of ctx.enumerateIndirectObjects()) {
    const was = before.get(ref.objectNumber)
    if (was === undefined || was !== digestOf(obj)) changed.push([ref, obj])
  }
  changed.sort((a, b) => a[0].objectNumber - b[0].objectNumber)

  const chunks: Buffer[] = [Buffer.from(pdf)]
  let offset = pdf.length
  if (pdf[pdf.length - 1] !== 0x0a) {
    chunks.push(Buffer.from('\n'))
    offset += 1
  }
  const xref: string[] = []
  let sigObjAt = -1
  for (const [ref, obj] of changed) {
    const b = Buffer.concat([
      Buffer.from(`${ref.objectNumber} ${ref.generationNumber} obj\n`, 'latin1'),
      bytesOf(obj),
      Buffer.from('\nendobj\n', 'latin1'),
    ])
    if (ref === sigRef) sigObjAt = offset
    xref.push(
      `${ref.objectNumber} 1\n${String(offset).padStart(10, '0')} ${String(ref.generationNumber).padStart(5, '0')} n \n`,
    )
    chunks.push(b)
    offset += b.length
  }
  const trailer = ctx.obj({
    Size: ctx.largestObjectNumber + 1,
    Root: ctx.trailerInfo.Root,
    ...(ctx.trailerInfo.Info ? { Info: ctx.trailerInfo.Info } : {}),
    ...(ctx.trailerInfo.ID ? { ID: ctx.trailerInfo.ID } : {}),
    Prev: PDFNumber.of(prev),
  })
  chunks.push(
    Buffer.from(
      `xref\n${xref.join('')}trailer\n${trailer.toString()}\nstartxref\n${offset}\n%%EOF\n`,
      'latin1',
    ),
  )
  const out = Buffer.concat(chunks)

  // ByteRange und /Contents im geschriebenen Signaturwörterbuch finden und füllen
  const sigText = out.toString('latin1', sigObjAt, sigObjAt + DOC_TIMESTAMP_LENGTH + 400)
  const ph = `${PLACEHOLDER_NUMBER}`
  const brAt = sigText.indexOf('/ByteRange')
  const brOpen = sigText.indexOf('[', brAt)
  const brClose = sigText.indexOf(']', brOpen)
  const contentsAt = sigText.indexOf('<', sigText.indexOf('/Contents'))
  if (brAt < 0 || contentsAt < 0 || !sigText.slice(brOpen, brClose).includes(ph))
    throw new Error('Platzhalter des Dokumentzeitstempels nicht gefunden')
  const c0 = sigObjAt + contentsAt // '<'
  const c1 = c0 + DOC_TIMESTAMP_LENGTH + 2 // nach '>'
  const range = [0, c0, c1, out.length - c1]
  const brText = `[${range.join(' ')}]`
  const width = brClose - brOpen + 1
  if (brText.length > width) throw new Error('ByteRange passt nicht in den Platzhalter')
  out.write(brText.padEnd(width, ' '), sigObjAt + brOpen, 'latin1')
  const digest = createHash('sha256').update(out.subarray(0, c0)).update(out.subarray(c1)).digest()
  const token = await timestamp(new Uint8Array(digest))
  const hex = Buffer.from(token).toString('hex')
  if (hex.length > DOC_TIMESTAMP_LENGTH)
    throw new Error(
      `Zeitstempel zu groß für den Platzhalter (${hex.length} > ${DOC_TIMESTAMP_LENGTH})`,
    )
  out.write(hex.padEnd(DOC_TIMESTAMP_LENGTH, '0'), c0 + 1, 'latin1')
  return new Uint8Array(out)
}
