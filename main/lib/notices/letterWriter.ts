// Textfluss auf den Seiten: Writer setzt Zeilen und Blöcke (Absätze, Listen, Überschriften) mit Seitenwechsel und Tagging.
import type { PDFDocument, PDFFont, PDFPage, RGB } from 'pdf-lib'
import { drawAddressField, drawInfoBlock } from './addressInfoBlock'
import {
  A4,
  BLACK,
  BOTTOM_LIMIT,
  BODY_SIZE,
  FOLLOW_TOP,
  LEFT,
  LINE,
  GREY,
  MM,
  PAGE_H,
  TEXT_W,
} from './letterGeometry'
import type { Block, LetterFonts, LetterSpec, Measures } from './letterSpec'
import { drawFoldMarks, drawFollowHeader, drawLetterhead } from './pageFurniture'
import type { PdfStructure, StructElem } from './pdfStructure'
import { withBreakSpaces, wrapText } from './textFlow'

/** Setzt den Brief seitenweise; `y` ist die aktuelle Grundlinie, neue Seiten entstehen bei Bedarf. */
export class Writer {
  page!: PDFPage
  y = 0
  pages: PDFPage[] = []
  /** offene Liste für aufeinanderfolgende nummerierte Absätze (Tenor „1. … 2. …“) */
  private list: StructElem | undefined
  constructor(
    readonly doc: PDFDocument,
    readonly fonts: LetterFonts,
    readonly metrics: Measures,
    readonly spec: LetterSpec,
    readonly s: PdfStructure,
  ) {}

  newPage(first: boolean): void {
    this.page = this.doc.addPage(A4)
    this.pages.push(this.page)
    if (first) {
      drawFoldMarks(this.page, this.s)
      drawLetterhead(this.page, this.fonts, this.spec, this.s)
      drawAddressField(this.page, this.fonts, this.metrics, this.spec, this.s)
      drawInfoBlock(this.page, this.fonts, this.metrics, this.spec, this.s)
      this.y = PAGE_H - 98.5 * MM
    } else {
      drawFollowHeader(this.page, this.fonts, this.spec, this.s)
      this.y = PAGE_H - FOLLOW_TOP
    }
  }

  ensure(height: number): void {
    if (this.y - height < BOTTOM_LIMIT) this.newPage(false)
  }

  /** Zeilen eines Elements; läuft es über eine Seite, bekommt jede Seite eine eigene Inhaltsmarke. */
  lines(
    el: StructElem,
    lines: string[],
    opts: { font?: PDFFont; size?: number; x?: number; color?: RGB; keep?: number } = {},
  ): void {
    const font = opts.font ?? this.fonts.regular
    const size = opts.size ?? BODY_SIZE
    // mindestens 2 Zeilen eines Absatzes zusammenhalten (Schusterjunge)
    this.ensure(Math.min(lines.length, opts.keep ?? 2) * LINE)
    let open: PDFPage | undefined
    withBreakSpaces(lines).forEach((line) => {
      this.ensure(LINE)
      if (open !== this.page) {
        if (open) this.s.end(open)
        open = this.page
        this.s.begin(open, el)
      }
      this.y -= LINE
      const x = opts.x ?? LEFT
      this.page.drawText(line, { x, y: this.y + 3.5, size, font, color: opts.color ?? BLACK })
    })
    if (open) this.s.end(open)
  }

  gap(n = 0.6): void {
    this.y -= LINE * n
  }

  block(b: Block, parent: StructElem = this.s.document): void {
    const { regular, bold } = this.fonts
    const m = this.metrics
    const s = this.s
    const inList = b.type === 'para' && /^(\d+\.|[a-z]\)|–|-)\s+/.test(b.text)
    if (!inList && parent === s.document) this.list = undefined
    switch (b.type) {
      case 'heading': {
        this.gap(0.5)
        this.ensure(LINE * 3) // Überschrift nicht allein am Seitenende
        this.lines(s.elem('H2', parent), wrapText(b.text, m.bold, BODY_SIZE + 0.5, TEXT_W), {
          font: bold,
          size: BODY_SIZE + 0.5,
        })
        this.gap(0.25)
        return
      }
      case 'center': {
        const size = b.size ?? 13
        this.gap(0.4)
        this.ensure(LINE * 3)
        this.y -= LINE + 2
        const w = m.bold.widthOfTextAtSize(b.text, size)
        s.content(this.page, s.elem('H2', parent), () =>
          this.page.drawText(b.text, {
            x: LEFT + (TEXT_W - w) / 2,
            y: this.y + 3,
            size,
            font: bold,
          }),
        )
        this.gap(0.6)
        return
      }
      case 'para': {
        const font = b.bold ? bold : regular
        const measure = b.bold ? m.bold : m.regular
        const mark = /^(\d+\.|[a-z]\)|–|-)\s+/.exec(b.text)
        if (mark) {
          // Absatz mit Marke = Listenpunkt; aufeinanderfolgende bilden eine Liste
          const numbering = /^\d/.test(mark[1] ?? '')
            ? 'Decimal'
            : /^[a-z]/.test(mark[1] ?? '')
              ? 'LowerAlpha'
              : 'None'
          const list =
            parent.type === 'L'
              ? parent
              : (this.list ??= s.elem('L', parent, {
                  attributes: { O: 'List', ListNumbering: numbering },
                }))
          const li = s.elem('LI', list)
          const indent = 7 * MM
          const body = b.text.slice(mark[0].length)
          const ls = wrapText(body, measure, BODY_SIZE, TEXT_W - indent)
          this.ensure(Math.min(2, ls.length) * LINE)
          // erste Zeile steht sicher auf dieser Seite: Marke links daneben
          s.content(this.page, s.elem('Lbl', li), () =>
            this.page.drawText(mark[1] ?? '', {
              x: LEFT,
              y: this.y - LINE + 3.5,
              size: BODY_SIZE,
              font,
            }),
          )
          this.lines(s.elem('LBody', li), ls, { font, x: LEFT + indent })
        } else {
          this.lines(s.elem('P', parent), wrapText(b.text, measure, BODY_SIZE, TEXT_W), { font })
        }
        this.gap(0.45)
        return
      }
      case 'list': {
        const list = s.elem('L', parent, {
          attributes: { O: 'List', ListNumbering: b.marker === 'number' ? 'Decimal' : 'None' },
        })
        this.list = undefined
        b.items.forEach((item, i) =>
          this.block(
            { type: 'para', text: `${b.marker === 'number' ? `${i + 1}.` : '–'} ${item}` },
            list,
          ),
        )
        this.list = undefined
        return
      }
      case 'space':
        this.gap(b.lines)
        return
      case 'table': {
        const table = s.elem('Table', parent, { title: b.title })
        const labelW = 50 * MM
        this.list = undefined
        for (const [label, value] of b.rows) {
          const ll = wrapText(label, m.regular, BODY_SIZE, labelW - 3 * MM)
          const vl = wrapText(value, m.regular, BODY_SIZE, TEXT_W - labelW)
          const rows = Math.max(ll.length, vl.length)
          const tr = s.elem('TR', table)
          // a row stays on one page: label and value side by side
          this.ensure(rows * LINE)
          const top = this.y
          s.content(this.page, s.elem('TH', tr, { attributes: { O: 'Table', Scope: 'Row' } }), () =>
            withBreakSpaces(ll).forEach((l, i) =>
              this.page.drawText(l, {
                x: LEFT,
                y: top - (i + 1) * LINE + 3.5,
                size: BODY_SIZE,
                font: regular,
                color: GREY,
              }),
            ),
          )
          this.lines(s.elem('TD', tr), vl, { x: LEFT + labelW, keep: vl.length })
          this.y = top - rows * LINE
        }
        this.gap(0.45)
        return
      }
    }
  }
}
