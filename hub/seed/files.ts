// Small but real attachment files for the demo: PDFs (pdf-lib) and JPEGs (jpeg-js).
import { PDFDocument, StandardFonts, rgb } from 'pdf-lib'
import jpeg from 'jpeg-js'
import type { Rng } from './prng'

/** A4 PDF with a title and text lines; `pages` pages at least, more if the lines need them. */
export async function makePdf(opts: {
  title: string
  lines: string[]
  pages?: number
  date: Date
}): Promise<Uint8Array> {
  const doc = await PDFDocument.create()
  doc.setTitle(opts.title)
  doc.setAuthor('Aktenfluss Demo-Portal')
  doc.setProducer('Aktenfluss Demo-Portal (pdf-lib)')
  doc.setCreator('Aktenfluss hub:seed')
  doc.setCreationDate(opts.date)
  doc.setModificationDate(opts.date)
  const font = await doc.embedFont(StandardFonts.Helvetica)
  const bold = await doc.embedFont(StandardFonts.HelveticaBold)
  const minPages = opts.pages ?? 1
  const perPage = 40
  const lines = [...opts.lines]
  let pageNo = 0
  while (pageNo < minPages || lines.length > 0) {
    pageNo++
    const page = doc.addPage([595.28, 841.89])
    page.drawText(opts.title, { x: 56, y: 780, size: 15, font: bold, color: rgb(0.1, 0.2, 0.4) })
    let y = 750
    for (const line of lines.splice(0, perPage)) {
      page.drawText(line.slice(0, 95), { x: 56, y, size: 10, font })
      y -= 16
    }
    page.drawText(`Seite ${pageNo}`, { x: 500, y: 40, size: 8, font })
  }
  return doc.save()
}

/** A small JPEG (gradient with noise, like a phone photo of a document). */
export function makeJpeg(rng: Rng, width = 96, height = 64): Uint8Array {
  const data = Buffer.alloc(width * height * 4)
  const base = [rng.int(120, 230), rng.int(120, 230), rng.int(120, 230)] as const
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4
      const n = rng.int(-12, 12)
      data[i] = Math.max(0, Math.min(255, base[0] - x + n))
      data[i + 1] = Math.max(0, Math.min(255, base[1] - y + n))
      data[i + 2] = Math.max(0, Math.min(255, base[2] + n))
      data[i + 3] = 255
    }
  }
  return new Uint8Array(jpeg.encode({ data, width, height }, 75).data)
}
