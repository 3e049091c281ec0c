// Code lists of xdomea 3.0.0 used by the archive export. Values copied from
// assets/xdomea/xdomea_3.0.0/code_lists/*.xml (genericode) and the XSD enumerations in
// xdomea-Datentypen.xsd; codes.test.ts checks this file against those sources.

export const XDOMEA_NS = 'urn:xoev-de:xdomea:schema:3.0.0'
/** The spec (xdomea 3.0.0, section 4.2) mandates this namespace prefix. */
export const XDOMEA_PREFIX = 'xdomea'

/** Nachrichtentyp_2.0.xml */
export const NACHRICHTENTYP = {
  listURI: 'urn:xoev-de:xdomea:codeliste:nachrichtentyp',
  listVersionID: '2.0',
  codes: {
    '0501': 'Aussonderung.Anbieteverzeichnis',
    '0502': 'Aussonderung.Bewertungsverzeichnis',
    '0503': 'Aussonderung.Aussonderung',
    '0504': 'Aussonderung.AnbietungEmpfangBestaetigen',
    '0505': 'Aussonderung.BewertungEmpfangBestaetigen',
    '0506': 'Aussonderung.AussonderungImportBestaetigen',
    '0507': 'Aussonderung.AussonderungEmpfangBestaetigen',
  },
} as const

export type NachrichtentypCode = keyof typeof NACHRICHTENTYP.codes

/** Root element name of a message, e.g. 'Aussonderung.Aussonderung.0503'. */
export function messageElementName(code: NachrichtentypCode): string {
  return `${NACHRICHTENTYP.codes[code]}.${code}`
}

/** Aussonderungsart_1.0.xml: A archivwürdig, B bewerten, V vernichten. */
export const AUSSONDERUNGSART = {
  listURI: 'urn:xoev-de:xdomea:codeliste:aussonderungsart',
  listVersionID: '1.0',
  codes: {
    A: 'Das Schriftgutobjekt ist archivwürdig.',
    B: 'Das Schriftgutobjekt ist zum Bewerten markiert.',
    V: 'Das Schriftgutobjekt ist zum Vernichten markiert.',
  },
} as const

export type AussonderungsartCode = keyof typeof AUSSONDERUNGSART.codes

/** Disposal values of assets/procedures.json → Aussonderungsart code. */
export const DISPOSAL_TO_AUSSONDERUNGSART = {
  archivwürdig: 'A',
  vernichten: 'V',
  prüfen: 'B',
} as const satisfies Record<string, AussonderungsartCode>

export type Disposal = keyof typeof DISPOSAL_TO_AUSSONDERUNGSART

/** Medium_1.0.xml */
export const MEDIUM = {
  listURI: 'urn:xoev-de:xdomea:codeliste:medium',
  listVersionID: '1.0',
  elektronisch: {
    code: '001',
    name: 'Elektronisch: Das Schriftgutobjekt liegt ausschließlich in elektronischer Form vor.',
  },
} as const

/**
 * Dateiformat_1.0.xml: file extension → code. Where the list has several entries for one
 * extension we use the generic one (doc → 003 Word for Windows; pdf → 018). 044 "PDF (Archival)"
 * is chosen in messages.ts only for PDFs whose XMP claims PDF/A (pdfa.ts; the claim is read, not
 * validated). Everything else is 100 Sonstiges.
 */
export const DATEIFORMAT = {
  listURI: 'urn:xoev-de:xdomea:codeliste:dateiformat',
  listVersionID: '1.0',
  sonstiges: '100',
  byExtension: {
    bmp: '001',
    csv: '002',
    doc: '003',
    eml: '006',
    htm: '007',
    html: '008',
    jpe: '009',
    jpeg: '010',
    jpg: '011',
    msg: '012',
    odp: '013',
    ods: '014',
    odt: '015',
    otp: '016',
    ots: '017',
    pdf: '018',
    png: '019',
    ppt: '020',
    ps: '021',
    rtf: '022',
    tif: '023',
    tiff: '024',
    wps: '025',
    xlc: '026',
    xlm: '027',
    xls: '028',
    xlw: '029',
    xml: '030',
    xsd: '031',
    dot: '032',
    pot: '033',
    xlt: '034',
    docx: '035',
    xlsx: '036',
    pptx: '037',
    dotx: '038',
    xltx: '039',
    potx: '040',
    dtd: '041',
    mpp: '042',
    ott: '043',
    txt: '045',
  } as Readonly<Record<string, string>>,
} as const

/** MIME type → preferred extension, used when the original file name has no usable extension. */
const MIME_EXTENSIONS: Readonly<Record<string, string>> = {
  'application/pdf': 'pdf',
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/tiff': 'tif',
  'image/bmp': 'bmp',
  'text/plain': 'txt',
  'text/csv': 'csv',
  'text/html': 'html',
  'application/xml': 'xml',
  'text/xml': 'xml',
  'application/rtf': 'rtf',
  'application/msword': 'doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'pptx',
  'application/vnd.ms-excel': 'xls',
  'application/vnd.ms-powerpoint': 'ppt',
  'application/vnd.oasis.opendocument.text': 'odt',
  'application/vnd.oasis.opendocument.spreadsheet': 'ods',
  'application/vnd.oasis.opendocument.presentation': 'odp',
  'message/rfc822': 'eml',
}

export interface FileFormat {
  /** Extension used for the primary document's file name inside the container (lower case). */
  extension: string
  /** Dateiformat code. */
  code: string
  /** For code 100 (Sonstiges): a human-readable format name. */
  otherName?: string
}

/**
 * Determines extension and Dateiformat code of a document. The original file name is only
 * metadata (docs/architecture.md: never a path), so the extension is reduced to [a-z0-9].
 */
export function fileFormatOf(filename: string, mimeType: string): FileFormat {
  const dot = filename.lastIndexOf('.')
  const fromName = dot > 0 ? filename.slice(dot + 1).toLowerCase() : ''
  const mime = mimeType.toLowerCase().split(';')[0]?.trim() ?? ''
  const fromMime = MIME_EXTENSIONS[mime]
  const known = (ext: string) => (ext && DATEIFORMAT.byExtension[ext] ? ext : undefined)
  const ext = known(fromName) ?? known(fromMime ?? '')
  if (ext) return { extension: ext, code: DATEIFORMAT.byExtension[ext] ?? DATEIFORMAT.sonstiges }
  const safe = /^[a-z0-9]{1,10}$/.test(fromName) ? fromName : 'bin'
  return { extension: safe, code: DATEIFORMAT.sonstiges, otherName: mime || safe }
}
