// Anschriftfeld (mit Rücksendeangabe) und Informationsblock der ersten Seite, getaggt.
import type { PDFPage } from 'pdf-lib'
import { GREY, MM, PAGE_H, RIGHT } from './letterGeometry'
import type { LetterFonts, LetterSpec, Measures } from './letterSpec'
import type { PdfStructure } from './pdfStructure'
import { withBreakSpaces, wrapText } from './textFlow'

/** Briefdatum JJJJ-MM-TT → TT.MM.JJJJ (anderes unverändert). */
export function formatDateDe(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso)
  return m ? `${m[3]}.${m[2]}.${m[1]}` : iso
}

/** Anschriftfeld (Form B) mit Rücksendeangabe und Empfänger. */
export function drawAddressField(
  page: PDFPage,
  fonts: LetterFonts,
  metrics: Measures,
  spec: LetterSpec,
  s: PdfStructure,
): void {
  const a = spec.authority
  const { regular } = fonts
  // Anschriftfeld (Form B): 20 mm links, 45 mm oben, 85 × 45 mm; Text 5 mm eingerückt
  const address = s.elem('Div', s.document, { title: 'Anschrift' })
  const fx = 25 * MM
  const returnLine = [a.name, a.street, `${a.postalCode} ${a.city}`].join(' · ')
  const rs = 7
  const ry = PAGE_H - 45 * MM - 12 * MM
  s.content(page, s.elem('P', address, { title: 'Rücksendeangabe' }), () =>
    page.drawText(returnLine, { x: fx, y: ry, size: rs, font: regular, color: GREY }),
  )
  s.artifact(page, () =>
    page.drawLine({
      start: { x: fx, y: ry - 1.2 },
      end: { x: fx + metrics.regular.widthOfTextAtSize(returnLine, rs), y: ry - 1.2 },
      thickness: 0.3,
      color: GREY,
    }),
  )
  const ad = spec.addressee
  const addrLines = [
    ...wrapText(ad.name, metrics.regular, 10, 75 * MM),
    ad.street,
    `${ad.postalCode} ${ad.city}`,
  ].slice(0, 9)
  let ay = PAGE_H - (45 + 17.7) * MM - 10
  s.content(page, s.elem('P', address, { title: 'Empfänger' }), () => {
    for (const l of withBreakSpaces(addrLines)) {
      page.drawText(l, { x: fx, y: ay, size: 10, font: regular })
      ay -= 12
    }
  })
}

/** Informationsblock (Aktenzeichen, Datum, Bearbeitung …) als Tabelle mit Zeilenköpfen. */
export function drawInfoBlock(
  page: PDFPage,
  fonts: LetterFonts,
  metrics: Measures,
  spec: LetterSpec,
  s: PdfStructure,
): void {
  const a = spec.authority
  const { regular } = fonts
  // Informationsblock ab 125 mm / 50 mm: Tabelle mit Zeilenköpfen
  const ix = 125 * MM
  const vx = ix + 20.5 * MM
  const vw = RIGHT - vx
  let iy = PAGE_H - 50 * MM - 8
  const info: Array<[string, string]> = [
    ['Aktenzeichen', spec.aktenzeichen],
    ['Datum', formatDateDe(spec.date)],
    ['Bearbeitung', spec.clerk.name],
    ['Telefon', spec.clerk.phone],
    ['E-Mail', spec.clerk.email],
  ]
  const infoBox = s.elem('Div', s.document, { title: 'Informationsblock' })
  const table = s.elem('Table', infoBox, { title: 'Angaben zum Schreiben' })
  for (const [label, value] of info) {
    const tr = s.elem('TR', table)
    s.content(page, s.elem('TH', tr, { attributes: { O: 'Table', Scope: 'Row' } }), () =>
      page.drawText(label, { x: ix, y: iy, size: 7.5, font: regular, color: GREY }),
    )
    s.content(page, s.elem('TD', tr), () => {
      for (const l of withBreakSpaces(wrapText(value, metrics.regular, 8, vw))) {
        page.drawText(l, { x: vx, y: iy, size: 8, font: regular })
        iy -= 11
      }
    })
  }
  // Hinweis auf Sprechzeiten/Anschrift im Block
  iy -= 4
  s.content(page, s.elem('P', infoBox), () => {
    for (const l of withBreakSpaces([`${a.street}`, `${a.postalCode} ${a.city}`])) {
      page.drawText(l, { x: ix, y: iy, size: 8, font: regular, color: GREY })
      iy -= 10
    }
  })
}
