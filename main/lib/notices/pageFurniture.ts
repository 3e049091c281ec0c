// Seitenausstattung des Briefs: Falzmarken, Briefkopf, Kopfzeile der Folgeseiten, Fußzeilen (Artefakte).
import type { PDFPage } from 'pdf-lib'
import { ACCENT, BLACK, GREY, LEFT, MM, PAGE_H, RIGHT } from './letterGeometry'
import type { LetterFonts, LetterSpec, Measures } from './letterSpec'
import type { Authority } from './noticeModel'
import type { PdfStructure } from './pdfStructure'

/** Falzmarken (105 und 210 mm) und Lochmarke (148,5 mm) am linken Rand. */
export function drawFoldMarks(page: PDFPage, s: PdfStructure): void {
  s.artifact(page, () => {
    for (const [mm, len] of [
      [105, 5],
      [148.5, 8],
      [210, 5],
    ] as const) {
      const y = PAGE_H - mm * MM
      page.drawLine({
        start: { x: 3 * MM, y },
        end: { x: (3 + len) * MM, y },
        thickness: 0.3,
        color: GREY,
      })
    }
  })
}

/** Briefkopf der ersten Seite: Farbbalken, Behördenname, Abteilung, Linie. */
export function drawLetterhead(
  page: PDFPage,
  fonts: LetterFonts,
  spec: LetterSpec,
  s: PdfStructure,
): void {
  const a = spec.authority
  const { regular, bold } = fonts
  // Kopf: Farbbalken und Linie sind Schmuck, Name und Abteilung Text
  const head = s.elem('Div', s.document, { title: 'Briefkopf' })
  s.artifact(page, () =>
    page.drawRectangle({
      x: LEFT,
      y: PAGE_H - 24 * MM,
      width: 2.2 * MM,
      height: 12 * MM,
      color: ACCENT,
    }),
  )
  s.content(page, s.elem('P', head), () =>
    page.drawText(a.name, {
      x: LEFT + 5 * MM,
      y: PAGE_H - 17 * MM,
      size: 17,
      font: bold,
      color: ACCENT,
    }),
  )
  if (a.department) {
    const department = a.department
    s.content(page, s.elem('P', head), () =>
      page.drawText(department, {
        x: LEFT + 5 * MM,
        y: PAGE_H - 23.3 * MM,
        size: 10.5,
        font: regular,
        color: GREY,
      }),
    )
  }
  s.artifact(page, () =>
    page.drawLine({
      start: { x: LEFT, y: PAGE_H - 32 * MM },
      end: { x: RIGHT, y: PAGE_H - 32 * MM },
      thickness: 0.6,
      color: ACCENT,
    }),
  )
}

/** Kopfzeile der Folgeseiten (Behörde, Aktenzeichen, Kurzbezeichnung) als Paginierungsartefakt. */
export function drawFollowHeader(
  page: PDFPage,
  fonts: LetterFonts,
  spec: LetterSpec,
  s: PdfStructure,
): void {
  const t = `${spec.authority.name} · Aktenzeichen ${spec.aktenzeichen} · ${spec.runningTitle}`
  s.artifact(
    page,
    () => {
      page.drawText(t, { x: LEFT, y: PAGE_H - 14 * MM, size: 8, font: fonts.regular, color: GREY })
      page.drawLine({
        start: { x: LEFT, y: PAGE_H - 16 * MM },
        end: { x: RIGHT, y: PAGE_H - 16 * MM },
        thickness: 0.4,
        color: GREY,
      })
    },
    'Pagination',
    'Header',
  )
}

/** Fußzeile jeder Seite: Behördenanschrift, Kontakt, „Seite x von y“. */
export function drawFooters(
  pages: PDFPage[],
  fonts: LetterFonts,
  metrics: Measures,
  a: Authority,
  s: PdfStructure,
): void {
  const size = 7.5
  const cols = [
    [a.name, a.department ?? '', `${a.street}, ${a.postalCode} ${a.city}`],
    [a.phone ? `Telefon ${a.phone}` : '', a.email ?? '', a.web ?? ''],
  ]
  pages.forEach((page, i) => {
    // Fußzeile wiederholt sich auf jeder Seite: Artefakt (Paginierung), nicht Teil der Lesereihenfolge
    s.artifact(
      page,
      () => {
        const top = 20 * MM
        page.drawLine({
          start: { x: LEFT, y: top },
          end: { x: RIGHT, y: top },
          thickness: 0.4,
          color: GREY,
        })
        cols.forEach((col, c) => {
          let y = top - 10
          for (const l of col.filter(Boolean)) {
            page.drawText(l, { x: LEFT + c * 62 * MM, y, size, font: fonts.regular, color: GREY })
            y -= 9
          }
        })
        const label = `Seite ${i + 1} von ${pages.length}`
        const w = metrics.regular.widthOfTextAtSize(label, 8)
        page.drawText(label, {
          x: RIGHT - w,
          y: top - 10,
          size: 8,
          font: fonts.regular,
          color: BLACK,
        })
      },
      'Pagination',
      'Footer',
    )
  })
}
