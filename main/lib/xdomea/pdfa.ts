// PDF/A status of documents in an archive transfer (xdomea 0501/0503).
//
// A PDF counts as PDF/A when its XMP metadata claims it (pdfaid:part, pdfaid:conformance). The
// claim is read, not validated: a validator (veraPDF) is not available on these machines. PDF/A
// requires the metadata stream to be uncompressed (ISO 19005-2, 6.6.2.1), so a plain scan of the
// file finds the claim. Documents that are not PDF/A are flagged in the offer list (0501) and in
// the transfer (0503); where a converter is available (e.g. Ghostscript with -dPDFA=2) an unsigned
// PDF gets a PDF/A rendition as a second format; a signed PDF is never converted (conversion
// would break the signature), it is recorded as what it is (Dateiformat 018 with its PDF version).

import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileFormatOf } from './codes'
import type { ArchiveDocument, ArchiveExport } from './input'

export interface PdfAClaim {
  part: number
  /** 'A', 'B' or 'U' */
  conformance: string
}

/** The PDF/A claim of a PDF's XMP metadata, or undefined. */
export function pdfaClaim(bytes: Uint8Array): PdfAClaim | undefined {
  if (!/^%PDF-/.test(Buffer.from(bytes.subarray(0, 8)).toString('latin1'))) return undefined
  const text = Buffer.from(bytes).toString('latin1')
  const part = /<pdfaid:part>\s*(\d)\s*<\/pdfaid:part>|pdfaid:part\s*=\s*["'](\d)["']/.exec(text)
  if (!part) return undefined
  const conf =
    /<pdfaid:conformance>\s*([ABUabu])\s*<\/pdfaid:conformance>|pdfaid:conformance\s*=\s*["']([ABUabu])["']/.exec(
      text,
    )
  return {
    part: Number(part[1] ?? part[2]),
    conformance: (conf?.[1] ?? conf?.[2] ?? 'B').toUpperCase(),
  }
}

/** "PDF/A-2a" */
export function pdfaLabel(claim: PdfAClaim): string {
  return `PDF/A-${claim.part}${claim.conformance.toLowerCase()}`
}

/** Converts a PDF to PDF/A (bytes with a PDF/A claim) or returns undefined when it cannot. */
export type PdfAConverter = (pdf: Uint8Array) => Uint8Array | undefined

/** Ghostscript as converter (PDF/A-2b), if `gs` is on the PATH; otherwise undefined. */
export function ghostscriptPdfaConverter(): PdfAConverter | undefined {
  if (spawnSync('sh', ['-c', 'command -v gs'], { encoding: 'utf8' }).status !== 0) return undefined
  return (pdf) => {
    const dir = mkdtempSync(join(tmpdir(), 'aktenfluss-pdfa-'))
    try {
      writeFileSync(join(dir, 'in.pdf'), pdf)
      const r = spawnSync(
        'gs',
        [
          '-q',
          '-dPDFA=2',
          '-dBATCH',
          '-dNOPAUSE',
          '-dNOSAFER',
          '-sColorConversionStrategy=RGB',
          '-sDEVICE=pdfwrite',
          '-dPDFACompatibilityPolicy=1',
          `-sOutputFile=${join(dir, 'out.pdf')}`,
          join(dir, 'in.pdf'),
        ],
        { timeout: 60_000 },
      )
      if (r.status !== 0) return undefined
      const out = new Uint8Array(readFileSync(join(dir, 'out.pdf')))
      return pdfaClaim(out) ? out : undefined
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }
}

export type ArchivalStatus = 'pdfa' | 'converted' | 'not-pdfa' | 'signed-not-pdfa' | 'other-format'

export interface FormatFinding {
  caseId: string
  aktenzeichen: string
  documentId: string
  title: string
  filename: string
  status: ArchivalStatus
  /** German note for the Aussonderung list */
  note: string
}

export interface ArchivalRendition {
  status: ArchivalStatus
  claim?: PdfAClaim
  /** PDF/A rendition from the converter (unsigned, non-PDF/A PDFs only) */
  converted?: Uint8Array
  convertedClaim?: PdfAClaim
}

/** Decides what the transfer carries for one document (conversion only with a converter). */
export function archivalRendition(
  d: ArchiveDocument,
  converter?: PdfAConverter,
): ArchivalRendition {
  if (fileFormatOf(d.filename, d.mimeType).extension !== 'pdf') return { status: 'other-format' }
  const claim = pdfaClaim(d.bytes)
  if (claim) return { status: 'pdfa', claim }
  if (d.signed) return { status: 'signed-not-pdfa' }
  const converted = converter?.(d.bytes)
  const convertedClaim = converted ? pdfaClaim(converted) : undefined
  if (converted && convertedClaim) return { status: 'converted', converted, convertedClaim }
  return { status: 'not-pdfa' }
}

const NOTES: Record<ArchivalStatus, string> = {
  pdfa: 'PDF/A (laut XMP-Metadaten; nicht mit veraPDF geprüft)',
  converted: 'kein PDF/A – zusätzlich als PDF/A-Fassung übergeben (Konvertierung)',
  'not-pdfa': 'kein PDF/A – übergeben als PDF (Dateiformat 018); kein Konverter verfügbar',
  'signed-not-pdfa':
    'kein PDF/A, signiert – unverändert als PDF übergeben (Konvertierung würde die Signatur brechen)',
  'other-format': 'kein PDF – im Originalformat übergeben',
}

/** Findings for every document that is not PDF/A (the flags of the Aussonderung list). */
export function archivalFormatFindings(
  data: ArchiveExport,
  converter?: PdfAConverter,
): FormatFinding[] {
  const out: FormatFinding[] = []
  for (const c of data.cases) {
    for (const d of c.documents) {
      const r = archivalRendition(d, converter)
      if (r.status === 'pdfa') continue
      out.push({
        caseId: c.id,
        aktenzeichen: c.aktenzeichen,
        documentId: d.id,
        title: d.title,
        filename: d.filename,
        status: r.status,
        note: NOTES[r.status],
      })
    }
  }
  return out
}
