// Der sichtbare Signaturblock: Zeitformat, Zeilenumbruch und Zeichnen in den Seiteninhalt.
import { rgb } from 'pdf-lib'
import type { PDFFont, PDFPage } from 'pdf-lib'
import type { PdfStructure, StructElem } from '../notices/pdfStructure'
import type { Rect } from './signPdf'

const berlinDateTime = new Intl.DateTimeFormat('de-DE', {
  timeZone: 'Europe/Berlin',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  timeZoneName: 'short',
})

export function formatSigningTime(d: Date): string {
  const parts = berlinDateTime.formatToParts(d)
  const get = (t: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === t)?.value ?? ''
  return `${get('day')}.${get('month')}.${get('year')}, ${get('hour')}:${get('minute')}:${get('second')} Uhr (${get('timeZoneName')})`
}

function wrap(text: string, font: PDFFont, size: number, maxWidth: number): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word
    if (font.widthOfTextAtSize(candidate, size) <= maxWidth || !line) line = candidate
    else {
      lines.push(line)
      line = word
    }
  }
  if (line) lines.push(line)
  return lines
}

export interface SignatureBlockFonts {
  regular: PDFFont
  bold: PDFFont
}

/**
 * Zeichnet den sichtbaren Signaturblock in den Seiteninhalt (vor dem Platzhalter). Mit `tag`
 * (getaggtes PDF): Rahmen und Balken als Artefakt, der Text als Absatz unter `tag.parent`.
 */
export function drawSignatureBlock(
  page: PDFPage,
  rect: Rect,
  fonts: SignatureBlockFonts,
  info: { signerName: string; signingTime: Date; subject: string; kind?: string },
  tag?: { structure: PdfStructure; parent: StructElem },
): void {
  const [x1, y1, x2, y2] = rect
  const w = x2 - x1
  const h = y2 - y1
  const frame = () => {
    page.drawRectangle({
      x: x1,
      y: y1,
      width: w,
      height: h,
      borderColor: rgb(0.15, 0.3, 0.55),
      borderWidth: 0.8,
      color: rgb(0.95, 0.97, 1),
    })
    page.drawRectangle({ x: x1, y: y1, width: 3, height: h, color: rgb(0.15, 0.3, 0.55) })
  }
  if (tag) {
    tag.structure.artifact(page, frame)
    tag.structure.content(page, tag.structure.elem('P', tag.parent), () =>
      drawSignatureText(page, rect, fonts, info),
    )
  } else {
    frame()
    drawSignatureText(page, rect, fonts, info)
  }
}

function drawSignatureText(
  page: PDFPage,
  rect: Rect,
  fonts: SignatureBlockFonts,
  info: { signerName: string; signingTime: Date; subject: string; kind?: string },
): void {
  const [x1, y1, x2, y2] = rect
  const w = x2 - x1
  const pad = 7
  const maxW = w - pad * 2 - 3
  const tx = x1 + pad + 3
  let y = y2 - pad - 8
  page.drawText(`${info.kind ?? 'Elektronisch signiert'} `, {
    x: tx,
    y,
    size: 8.5,
    font: fonts.bold,
    color: rgb(0.15, 0.3, 0.55),
  })
  y -= 11
  page.drawText(`${info.signerName} `, {
    x: tx,
    y,
    size: 8.5,
    font: fonts.bold,
    color: rgb(0, 0, 0),
  })
  y -= 10
  page.drawText(`${formatSigningTime(info.signingTime)} `, {
    x: tx,
    y,
    size: 7.5,
    font: fonts.regular,
    color: rgb(0, 0, 0),
  })
  y -= 10
  for (const line of wrap(`Zertifikat: ${info.subject}`, fonts.regular, 6.5, maxW)) {
    if (y < y1 + 4) break
    page.drawText(`${line} `, {
      x: tx,
      y,
      size: 6.5,
      font: fonts.regular,
      color: rgb(0.25, 0.25, 0.25),
    })
    y -= 8
  }
}
