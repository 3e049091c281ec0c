// Datentypen des Briefbilds: Briefinhalt (LetterSpec, Block), Render-Optionen und Ergebnis.
import type { PDFDocument, PDFFont } from 'pdf-lib'
import type { Rect } from '../signature/signPdf'
import type { Addressee, Authority, Clerk } from './noticeModel'
import type { PdfStructure } from './pdfStructure'
import type { TextMeasure } from './textFlow'

export type Block =
  | { type: 'heading'; text: string }
  | { type: 'center'; text: string; size?: number }
  | { type: 'para'; text: string; bold?: boolean }
  | { type: 'list'; items: string[]; marker: 'number' | 'dash' }
  | { type: 'space'; lines: number }
  /** label/value rows (Zahlungsangaben), tagged as a table with row headers */
  | { type: 'table'; title: string; rows: Array<[string, string]> }

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

/** Eingebettete Schriften eines Dokuments. */
export interface LetterFonts {
  regular: PDFFont
  bold: PDFFont
}

/** Breitenmessung je Schnitt (FontMetrics aus fontMetrics.ts). */
export interface Measures {
  regular: TextMeasure
  bold: TextMeasure
}
