/**
 * Document Security Store (PAdES B-LT, ETSI EN 319 142-1, 5.4; ISO 32000-2, 12.8.4.3) als
 * inkrementelle Aktualisierung hinter der Signatur: die signierten Bytes bleiben unverändert,
 * angehängt werden die DSS-Objekte (Zertifikate, CRLs, OCSP-Antworten als Streams), der Katalog
 * mit /DSS, eine xref-Tabelle und ein Trailer mit /Prev.
 *
 * Voraussetzung: `doc` ist genau das pdf-lib-Dokument, aus dem `signed` gespeichert wurde
 * (klassische xref, keine Objekt-Streams; @signpdf ändert nur ByteRange und /Contents in place) –
 * die Objektnummern im Kontext stimmen dann mit der Datei überein. VRI-Einträge werden nicht
 * geschrieben (für B-LT nicht verlangt).
 */
import { PDFDict, PDFName, PDFRef } from 'pdf-lib'
import type { PDFDocument, PDFObject } from 'pdf-lib'

export interface DssValues {
  certs: Uint8Array[]
  crls: Uint8Array[]
  ocsps: Uint8Array[]
}

function uniqueBytes(list: Uint8Array[]): Uint8Array[] {
  const seen = new Set<string>()
  return list.filter((b) => {
    const k = Buffer.from(b).toString('base64')
    if (seen.has(k)) return false
    seen.add(k)
    return true
  })
}

function lastStartXref(pdf: Uint8Array): number {
  const tail = Buffer.from(pdf.subarray(Math.max(0, pdf.length - 1024))).toString('latin1')
  const m = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail)
  if (!m) throw new Error('startxref nicht gefunden')
  return Number(m[1])
}

function objectBytes(ref: PDFRef, obj: PDFObject): Uint8Array {
  const body = new Uint8Array(obj.sizeInBytes())
  obj.copyBytesInto(body, 0)
  return Buffer.concat([
    Buffer.from(`${ref.objectNumber} ${ref.generationNumber} obj\n`, 'latin1'),
    body,
    Buffer.from('\nendobj\n', 'latin1'),
  ])
}

/** Hängt den DSS als inkrementelle Aktualisierung an die signierten Bytes an. */
export function appendDss(signed: Uint8Array, doc: PDFDocument, values: DssValues): Uint8Array {
  const ctx = doc.context
  const prev = lastStartXref(signed)
  const before = ctx.largestObjectNumber
  const streams = (list: Uint8Array[]) =>
    ctx.obj(uniqueBytes(list).map((b) => ctx.register(ctx.stream(b))))
  const dssEntries: Record<string, PDFObject> = { Type: PDFName.of('DSS') }
  if (values.certs.length) dssEntries['Certs'] = streams(values.certs)
  if (values.crls.length) dssEntries['CRLs'] = streams(values.crls)
  if (values.ocsps.length) dssEntries['OCSPs'] = streams(values.ocsps)
  const dssRef = ctx.register(ctx.obj(dssEntries))

  const rootRef = ctx.trailerInfo.Root
  if (!(rootRef instanceof PDFRef)) throw new Error('Katalog ohne indirekte Referenz')
  const catalog = ctx.lookup(rootRef, PDFDict)
  catalog.set(PDFName.of('DSS'), dssRef)

  // geänderter Katalog + alle neuen Objekte (Nummern über dem bisherigen Höchststand)
  const changed: Array<[PDFRef, PDFObject]> = [[rootRef, catalog]]
  for (const [ref, obj] of ctx.enumerateIndirectObjects())
    if (ref.objectNumber > before) changed.push([ref, obj])
  changed.sort((a, b) => a[0].objectNumber - b[0].objectNumber)

  const chunks: Uint8Array[] = [signed]
  let offset = signed.length
  if (signed[signed.length - 1] !== 0x0a) {
    chunks.push(Buffer.from('\n'))
    offset += 1
  }
  const xref: string[] = []
  for (const [ref, obj] of changed) {
    const b = objectBytes(ref, obj)
    xref.push(
      `${ref.objectNumber} 1\n${String(offset).padStart(10, '0')} ${String(ref.generationNumber).padStart(5, '0')} n \n`,
    )
    chunks.push(b)
    offset += b.length
  }
  const trailer = ctx.obj({
    Size: ctx.largestObjectNumber + 1,
    Root: rootRef,
    ...(ctx.trailerInfo.Info ? { Info: ctx.trailerInfo.Info } : {}),
    ...(ctx.trailerInfo.ID ? { ID: ctx.trailerInfo.ID } : {}),
    Prev: prev,
  })
  chunks.push(
    Buffer.from(
      `xref\n${xref.join('')}trailer\n${trailer.toString()}\nstartxref\n${offset}\n%%EOF\n`,
      'latin1',
    ),
  )
  return Buffer.concat(chunks)
}
