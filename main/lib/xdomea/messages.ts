// xdomea 3.0.0 Aussonderung: 0501 Anbieteverzeichnis (offer list, metadata only) and 0503
// Aussonderung (transfer with primary documents) for the municipal archive.
//
// Structure (xdomea-Nachrichten-AussonderungDurchfuehren.xsd, xdomea-Baukasten.xsd):
//   Aussonderung.Anbieteverzeichnis.0501
//     Kopf (NkNichtFVDatenEinEmpfaengerMitEmpfangsbestaetigungType)
//     Schriftgutobjekt+ → Vorgang (one per case; a case is a "Vorgang" in our domain)
//   Aussonderung.Aussonderung.0503
//     Kopf (NkAussonderungType: … Importbestaetigung=1, RueckmeldungArchivkennung, Empfangsbestaetigung)
//     Schriftgutobjekt+ → Vorgang
//       Identifikation/ID, AllgemeineMetadaten (Betreff, Kennzeichen = Aktenzeichen, Medium,
//       Aktenplaneinheit), ArchivspezifischeMetadaten (Aufbewahrungsdauer, Aussonderungsart,
//       Aufbewahrungsende), ZdA, ZdADatum, Laufzeit, HistorienProtokollInformation*,
//       Dokument* → Version → Format (Name = Dateiformat code, Version) → Primaerdokument
//       (Dateiname = <UUID>.<ext>, DateinameOriginal, DatumUhrzeit, SignaturSiegel)
//
// Container naming (xdomea 3.0.0 specification p. 11, as applied by the Landesarchiv NRW
// examples and the Landesarchiv Thüringen x-man importer): the ZIP is
// `<ProzessID>_<Nachrichtentyp>.zip`, the message inside `<ProzessID>_<Nachrichtentyp>.xml`,
// primary documents `<UUID>.<ext>`, all at the top level of the ZIP.
// In xdomea 3 a message has no own id: ProzessID + Nachrichtentyp identify it, so one process
// has at most one message of each type.

import { createHash } from 'node:crypto'
import { strToU8, zipSync, type Zippable } from 'fflate'
import {
  AUSSONDERUNGSART,
  DATEIFORMAT,
  DISPOSAL_TO_AUSSONDERUNGSART,
  MEDIUM,
  fileFormatOf,
  messageElementName,
} from './codes'
import {
  berlinDate,
  parseArchiveExport,
  type ArchiveCase,
  type ArchiveDocument,
  type ArchiveExportInput,
} from './input'
import {
  archivalFormatFindings,
  archivalRendition,
  pdfaLabel,
  type FormatFinding,
  type PdfAConverter,
} from './pdfa'
import { kopfBasis, newMessage, x, xBool, xCode, xOpt, type El } from './xml'

/** Dateiformat_1.0.xml: 044 „pdf - Portable Document Format (Archival)“ */
const DATEIFORMAT_PDFA = '044'

export interface ArchiveBuildOptions {
  /** Converter for unsigned non-PDF/A PDFs (e.g. ghostscriptPdfaConverter()); none: flag only. */
  pdfaConverter?: PdfAConverter
}

export interface Message0501 {
  /** `<ProzessID>_Aussonderung.Anbieteverzeichnis.0501.xml` */
  fileName: string
  xml: string
  /** Transport container `<ProzessID>_Aussonderung.Anbieteverzeichnis.0501.zip` (holds only the XML). */
  zipFileName: string
  zip: Uint8Array
  /** Documents that are not PDF/A (flags for the offer list). */
  findings: FormatFinding[]
}

export interface ContainerEntry {
  name: string
  size: number
  sha256: string
}

export interface Message0503 {
  /** `<ProzessID>_Aussonderung.Aussonderung.0503.zip` */
  fileName: string
  zip: Uint8Array
  /** `<ProzessID>_Aussonderung.Aussonderung.0503.xml` (inside the ZIP) */
  xmlFileName: string
  xml: string
  /** Every file in the ZIP with its SHA-256, for the audit trail. */
  entries: ContainerEntry[]
  /** Documents that are not PDF/A and what the transfer carries for them. */
  findings: FormatFinding[]
}

/** File name of the PDF/A rendition of a document: `<document UUID>_pdfa.pdf`. */
export function pdfaRenditionFileName(doc: Pick<ArchiveDocument, 'id'>): string {
  return `${doc.id.toLowerCase()}_pdfa.pdf`
}

/** `<ProzessID>_<Nachrichtentyp>` without extension, e.g. `…_Aussonderung.Aussonderung.0503`. */
export function messageBaseName(
  prozessId: string,
  code: '0501' | '0503' | '0504' | '0506' | '0507',
): string {
  return `${prozessId.toLowerCase()}_${messageElementName(code)}`
}

/** File name of a primary document inside the container: `<document UUID>.<ext>`. */
export function primaryDocumentFileName(
  doc: Pick<ArchiveDocument, 'id' | 'filename' | 'mimeType'>,
): string {
  return `${doc.id.toLowerCase()}.${fileFormatOf(doc.filename, doc.mimeType).extension}`
}

export function buildAnbieteverzeichnis0501(input: ArchiveExportInput): Message0501 {
  const data = parseArchiveExport(input)
  const { root, end } = newMessage('0501')
  const kopf = kopfBasis(root, '0501', data)
  xBool(kopf, 'Empfangsbestaetigung', data.requestReceipt ?? true)
  for (const c of data.cases) vorgang(x(x(root, 'Schriftgutobjekt'), 'Vorgang'), c, false)
  const xml = end()
  const base = messageBaseName(data.prozessId, '0501')
  const fileName = `${base}.xml`
  const zip = zipSync({ [fileName]: strToU8(xml) }, { level: 6, mtime: new Date(data.createdAt) })
  return { fileName, xml, zipFileName: `${base}.zip`, zip, findings: archivalFormatFindings(data) }
}

export function buildAussonderung0503(
  input: ArchiveExportInput,
  opts: ArchiveBuildOptions = {},
): Message0503 {
  const data = parseArchiveExport(input)
  const converted = new Map<string, Uint8Array>()
  const { root, end } = newMessage('0503')
  const kopf = kopfBasis(root, '0503', data)
  x(kopf, 'Importbestaetigung', '1') // fixed="1" in NkAussonderungType
  xBool(kopf, 'RueckmeldungArchivkennung', data.requestArchiveIds ?? true)
  xBool(kopf, 'Empfangsbestaetigung', data.requestReceipt ?? false)
  for (const c of data.cases)
    vorgang(x(x(root, 'Schriftgutobjekt'), 'Vorgang'), c, true, opts.pdfaConverter, converted)
  const xml = end()

  const base = messageBaseName(data.prozessId, '0503')
  const xmlFileName = `${base}.xml`
  const files: Zippable = { [xmlFileName]: strToU8(xml) }
  for (const c of data.cases) {
    for (const d of c.documents) {
      files[primaryDocumentFileName(d)] = d.bytes
      const pdfa = converted.get(d.id)
      if (pdfa) files[pdfaRenditionFileName(d)] = pdfa
    }
  }
  const entries = Object.entries(files).map(([name, bytes]) => {
    const b = bytes as Uint8Array
    return { name, size: b.byteLength, sha256: createHash('sha256').update(b).digest('hex') }
  })
  const zip = zipSync(files, { level: 6, mtime: new Date(data.createdAt) })
  const findings = archivalFormatFindings(data).map((f) =>
    converted.has(f.documentId)
      ? {
          ...f,
          status: 'converted' as const,
          note: 'kein PDF/A – zusätzlich als PDF/A-Fassung übergeben (Konvertierung)',
        }
      : f,
  )
  return { fileName: `${base}.zip`, zip, xmlFileName, xml, entries, findings }
}

/**
 * The retention period starts with the end of the year in which the case was closed (zdA),
 * as usual in German records management (Registraturrichtlinie); it ends on 31 December of
 * closing year + retention years.
 */
export function retentionEnd(closedAt: string, retentionYears: number): string {
  const year = Number(berlinDate(closedAt).slice(0, 4))
  return `${String(year + retentionYears).padStart(4, '0')}-12-31`
}

function vorgang(
  v: El,
  c: ArchiveCase,
  withPrimaryDocuments: boolean,
  converter?: PdfAConverter,
  converted?: Map<string, Uint8Array>,
): void {
  x(x(v, 'Identifikation'), 'ID', c.id.toLowerCase())

  const meta = x(v, 'AllgemeineMetadaten')
  x(meta, 'Betreff', c.betreff)
  x(meta, 'Kennzeichen', c.aktenzeichen)
  xCode(meta, 'Medium', MEDIUM, MEDIUM.elektronisch.code, MEDIUM.elektronisch.name)
  const ape = x(meta, 'Aktenplaneinheit')
  x(ape, 'Kennzeichen', c.fileCode)
  x(ape, 'Inhaltsangabe', c.fileTitle)

  const archiv = x(v, 'ArchivspezifischeMetadaten')
  x(x(archiv, 'Aufbewahrungsdauer'), 'AnzahlJahre', c.retentionYears)
  const art = DISPOSAL_TO_AUSSONDERUNGSART[c.disposal]
  xCode(
    x(archiv, 'Aussonderungsart'),
    'Aussonderungsart',
    AUSSONDERUNGSART,
    art,
    AUSSONDERUNGSART.codes[art],
  )
  x(archiv, 'Aufbewahrungsende', retentionEnd(c.closedAt, c.retentionYears))

  xBool(v, 'ZdA', true)
  x(v, 'ZdADatum', berlinDate(c.closedAt))
  const lz = x(v, 'Laufzeit')
  x(lz, 'Beginn', berlinDate(c.openedAt))
  x(lz, 'Ende', berlinDate(c.closedAt))

  for (const h of [...c.history].sort((a, b) => Date.parse(a.at) - Date.parse(b.at))) {
    const p = x(v, 'HistorienProtokollInformation')
    x(p, 'Akteur', h.actor)
    x(p, 'DatumUhrzeit', h.at)
    xOpt(p, 'Bemerkung', h.text)
    x(p, 'Aktion', h.action)
  }

  c.documents.forEach((d, i) =>
    dokument(x(v, 'Dokument'), d, i + 1, withPrimaryDocuments, converter, converted),
  )
}

function dokument(
  e: El,
  d: ArchiveDocument,
  position: number,
  withPrimaryDocument: boolean,
  converter?: PdfAConverter,
  converted?: Map<string, Uint8Array>,
): void {
  const id = x(e, 'Identifikation')
  x(id, 'ID', d.id.toLowerCase())
  x(id, 'NummerImUebergeordnetenContainer', position)
  const meta = x(e, 'AllgemeineMetadaten')
  x(meta, 'Betreff', d.title)
  xCode(meta, 'Medium', MEDIUM, MEDIUM.elektronisch.code, MEDIUM.elektronisch.name)
  xOpt(e, 'Bearbeiter', d.author)

  // 0501 carries no primary documents (implementationHint in the schema).
  if (!withPrimaryDocument) return
  const version = x(e, 'Version')
  x(version, 'Nummer', '1')
  const format = fileFormatOf(d.filename, d.mimeType)
  // PDF/A (per XMP claim) → 044 „PDF (Archival)“ with e.g. „PDF/A-2a“; any other PDF stays 018 with its version
  const rendition = archivalRendition(d, converter)
  const f = x(version, 'Format')
  xCode(f, 'Name', DATEIFORMAT, rendition.claim ? DATEIFORMAT_PDFA : format.code)
  xOpt(f, 'SonstigerName', format.otherName)
  x(
    f,
    'Version',
    rendition.claim ? pdfaLabel(rendition.claim) : formatVersion(format.extension, d.bytes),
  )
  const p = x(f, 'Primaerdokument')
  x(p, 'Dateiname', primaryDocumentFileName(d))
  x(p, 'DateinameOriginal', d.filename)
  xOpt(p, 'Ersteller', d.author)
  x(p, 'DatumUhrzeit', d.createdAt)
  if (d.signed) x(x(p, 'SignaturSiegel'), 'SignaturSiegelEingebettet', '1')
  if (rendition.converted && rendition.convertedClaim) {
    // the converted rendition as a second format of the same version
    converted?.set(d.id, rendition.converted)
    const g = x(version, 'Format')
    xCode(g, 'Name', DATEIFORMAT, DATEIFORMAT_PDFA)
    x(g, 'Version', pdfaLabel(rendition.convertedClaim))
    const q = x(g, 'Primaerdokument')
    x(q, 'Dateiname', pdfaRenditionFileName(d))
    x(q, 'DateinameOriginal', d.filename.replace(/(\.pdf)?$/i, ' (PDF-A).pdf'))
    x(q, 'DatumUhrzeit', d.createdAt)
  }
}

/** The format version where it can be read from the file (PDF header), otherwise empty. */
function formatVersion(extension: string, bytes: Uint8Array): string {
  if (extension === 'pdf') {
    const head = String.fromCharCode(...bytes.subarray(0, 16))
    const m = /^%PDF-(\d\.\d)/.exec(head)
    if (m?.[1]) return m[1]
  }
  return ''
}
