export {
  AUSSONDERUNGSART,
  DATEIFORMAT,
  DISPOSAL_TO_AUSSONDERUNGSART,
  NACHRICHTENTYP,
  XDOMEA_NS,
  fileFormatOf,
  messageElementName,
  type AussonderungsartCode,
  type Disposal,
  type FileFormat,
  type NachrichtentypCode,
} from './codes'
export {
  ArchiveInputError,
  archiveExportSchema,
  parseArchiveExport,
  type ArchiveCase,
  type ArchiveContact,
  type ArchiveDocument,
  type ArchiveExport,
  type ArchiveExportInput,
} from './input'
export {
  buildAnbieteverzeichnis0501,
  buildAussonderung0503,
  messageBaseName,
  pdfaRenditionFileName,
  primaryDocumentFileName,
  retentionEnd,
  type ArchiveBuildOptions,
  type ContainerEntry,
  type Message0501,
  type Message0503,
} from './messages'
export {
  ArchiveReceiptError,
  buildAussonderungImportBestaetigen0506,
  buildBewertungsverzeichnis0502,
  buildEmpfangBestaetigung,
  parseArchiveReceipt,
  type ArchiveAnswerInput,
  type ArchiveReceipt,
  type ImportResult,
  type ReceiptType,
} from './receipt'
export { validateXdomea, XmllintMissingError, type XsdValidationResult } from './validate'
export {
  archivalFormatFindings,
  archivalRendition,
  ghostscriptPdfaConverter,
  pdfaClaim,
  pdfaLabel,
  type ArchivalStatus,
  type FormatFinding,
  type PdfAClaim,
  type PdfAConverter,
} from './pdfa'
