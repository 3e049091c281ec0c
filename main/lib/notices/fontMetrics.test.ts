import { spawnSync } from 'node:child_process'
import fontkit from '@pdf-lib/fontkit'
import type { Font } from '@pdf-lib/fontkit'
import { PDFDocument } from 'pdf-lib'
import type { PDFFont } from 'pdf-lib'
import { beforeAll, describe, expect, it } from 'vitest'
import { tempPdf } from '../signature/pdfTools.testutil'
import { loadFontBytes, readAssetJson } from './assets'
import { letterFontkit, letterFonts } from './fontMetrics'
import { A4, MM, wrapText } from './letterLayout'
import { OUTCOMES, listProcedureIds, sampleNoticeInput } from './noticeModel'
import { buildNoticeSpec, renderNotice } from './noticePdf'

const TEXT_W = A4[0] - 45 * MM

function collectStrings(v: unknown, out: string[]): void {
  if (typeof v === 'string') out.push(v)
  else if (Array.isArray(v)) v.forEach((x) => collectStrings(x, out))
  else if (v && typeof v === 'object') Object.values(v).forEach((x) => collectStrings(x, out))
}

/** Alle Texte der 5 Vorlagen: roh (mit Platzhaltern) und gefüllt für jedes Ergebnis. */
function templateTexts(): string[] {
  const out: string[] = []
  for (const id of listProcedureIds()) {
    collectStrings(readAssetJson('notices', `${id}.json`), out)
    for (const outcome of OUTCOMES) {
      let spec
      try {
        spec = buildNoticeSpec({ ...sampleNoticeInput(id), outcome })
      } catch {
        continue // Ergebnis in dieser Vorlage nicht vorgesehen
      }
      collectStrings(spec, out)
    }
  }
  return [...new Set(out)].flatMap((s) => s.split('\n')).filter((s) => s.trim() !== '')
}

const EDGE = [
  'offizielle Aufführung: Effizienz, Schifffahrt, Sauerstoffflasche, Pfiff, Riff; fff ffl ffi fi fl ff',
  'Grundstück Flurstück 12/3 – Gemarkung Görlitz, „Käthe Lößnitz“, 1.284,00 € ‰ № ™',
  '§ 49 Abs. 2 Nr. 5 VwVfG · 150,00\u00a0€ · 30\u00a0km/h',
  '1234567890 ,.;:-–— ()[]{} / \\ | ¦ ° ± × ÷ ²³ ½',
  'ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞßàáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿ ŁłŚśŹźŻżĆćŃńĘęĄą İı Ĳĳ',
  // nicht „plain“: geht durch fontkit (Akzent-Kombination, Ligatur-Zeichen, Bruch, weiches Trennzeichen)
  'naïve i\u0307 j\u0301 e\u0301 ﬁ ﬂ 1⁄2 Trenn\u00adstrich Ǆ',
  'ı',
  'ff',
  'f',
  'fi',
  'ffi',
  'x',
  '',
  ' ',
  '€',
]

let corpus: string[]
let reference: { regular: Font; bold: Font }
let oldFonts: { regular: PDFFont; bold: PDFFont }

beforeAll(async () => {
  corpus = [...templateTexts(), ...EDGE]
  const bytes = loadFontBytes()
  // Referenz = bisheriger Weg: eigene Kopie der Bytes (nicht im Cache), echtes fontkit, pdf-lib-Messung
  reference = {
    regular: fontkit.create(new Uint8Array(bytes.regular)),
    bold: fontkit.create(new Uint8Array(bytes.bold)),
  }
  const doc = await PDFDocument.create()
  doc.registerFontkit(fontkit)
  oldFonts = {
    regular: await doc.embedFont(new Uint8Array(bytes.regular), { subset: true }),
    bold: await doc.embedFont(new Uint8Array(bytes.bold), { subset: true }),
  }
})

describe('fontMetrics', () => {
  it('zerlegt die Schriften einmal pro Prozess und gibt pdf-lib dasselbe Font-Objekt', () => {
    const bytes = loadFontBytes()
    const m = letterFonts()
    expect(letterFonts().regular).toBe(m.regular)
    expect(letterFontkit.create(bytes.regular)).toBe(m.regular.font)
    expect(letterFontkit.create(bytes.bold)).toBe(m.bold.font)
    // fremde Bytes gehen an fontkit
    expect(letterFontkit.create(new Uint8Array(bytes.regular))).not.toBe(m.regular.font)
  })

  it('gecachte Breite = fontkit-Breite (±0,5 pt) für Beispieltexte', () => {
    const m = letterFonts()
    const long = [
      'Auf Ihren Antrag vom 14.10.2026 wird Ihnen Wohngeld als Mietzuschuss in Höhe von monatlich 287,50 € bewilligt.',
      'Gegen diesen Bescheid kann innerhalb eines Monats nach Bekanntgabe Widerspruch erhoben werden.',
    ]
    const short = [
      'Sehr geehrte Damen und Herren,',
      'Rechtsbehelfsbelehrung',
      'Käthe Lößnitz, „Grüße“ – ä ö ü ß € Straße',
      'offizielle Aufführung',
      'Bescheid',
      'Wohngeld',
    ]
    for (const [key, size] of [
      ['regular', 10.5],
      ['bold', 11],
      ['regular', 8],
    ] as const) {
      const font = reference[key]
      for (const s of [...short, ...long]) {
        const run = font.layout(s)
        const ours = m[key].widthOfTextAtSize(s, size)
        // Vorschubbreiten der fontkit-Glyphen (so zeichnet pdf-lib: Tj ohne Kerning)
        const advances =
          (run.glyphs.reduce((a, g) => a + g.advanceWidth, 0) * size) / font.unitsPerEm
        expect(Math.abs(ours - advances), `${key} ${size} „${s}“`).toBeLessThanOrEqual(0.5)
        expect(Math.abs(ours - advances)).toBeLessThan(1e-9)
        // fontkit mit Kerning (GPOS) ist schmaler (über eine Zeile ~1 pt): ohne Kerning messen ist
        // für den Umbruch die sichere Seite und entspricht dem, was pdf-lib zeichnet
        const kerned = (run.positions.reduce((a, p) => a + p.xAdvance, 0) * size) / font.unitsPerEm
        expect(ours, `kern ${key} ${size} „${s}“`).toBeGreaterThanOrEqual(kerned - 1e-9)
      }
    }
  })

  it('misst alle Vorlagentexte genau wie bisher pdf-lib (widthOfTextAtSize, ohne Kerning)', () => {
    const m = letterFonts()
    for (const key of ['regular', 'bold'] as const) {
      for (const s of corpus) {
        for (const size of [7.5, 8, 10.5, 11]) {
          expect(m[key].widthOfTextAtSize(s, size), `${key} ${size} „${s}“`).toBe(
            oldFonts[key].widthOfTextAtSize(s, size),
          )
        }
      }
    }
  })

  it('setzt dieselben Glyphen wie fontkit-Shaping (Ligaturen, Akzente, Fallback)', () => {
    const m = letterFonts()
    let plain = 0
    for (const key of ['regular', 'bold'] as const) {
      for (const s of corpus) {
        if (m[key].isPlain(s)) plain++
        const fast = m[key].font.layout(s).glyphs
        const ref = reference[key].layout(s).glyphs
        expect(
          fast.map((g) => g.id),
          `${key} „${s}“`,
        ).toEqual(ref.map((g) => g.id))
        expect(fast.map((g) => g.advanceWidth)).toEqual(ref.map((g) => g.advanceWidth))
      }
    }
    // der schnelle Weg wird tatsächlich genommen
    expect(plain / (2 * corpus.length)).toBeGreaterThan(0.9)
    // Ligaturen tragen die Codepoints ihrer Bestandteile (ToUnicode „fi“)
    const fi = m.regular.font.layout('fi').glyphs
    expect(fi).toHaveLength(1)
    expect(String.fromCodePoint(...(fi[0]?.codePoints ?? []))).toBe('fi')
  })

  it('bricht alle Vorlagentexte genau wie bisher um; keine Zeile über den rechten Rand', () => {
    const m = letterFonts()
    // wie im Briefbild: Absatz, eingerückter Absatz, Überschrift/Betreff, Anschrift, Infoblock; dazu schmal
    const cases = [
      ['regular', 10.5, TEXT_W],
      ['regular', 10.5, TEXT_W - 7 * MM],
      ['bold', 10.5, TEXT_W - 7 * MM],
      ['bold', 11, TEXT_W],
      ['regular', 10, 75 * MM],
      ['regular', 8, A4[0] - 165.5 * MM],
      ['regular', 10.5, 40 * MM],
    ] as const
    for (const [key, size, width] of cases) {
      for (const s of corpus) {
        const lines = wrapText(s, m[key], size, width)
        expect(lines, `${key} ${size} ${width} „${s}“`).toEqual(
          wrapText(s, oldFonts[key], size, width),
        )
        // gezeichnete Breite (pdf-lib: Glyphen aus fontkit-Shaping, ohne Kerning) passt in die Spalte
        for (const l of lines)
          expect(oldFonts[key].widthOfTextAtSize(l, size), `„${l}“`).toBeLessThanOrEqual(width)
      }
    }
  })

  it('bettet Teilmengen-Schriften mit Kennung ein (pdffonts: emb/sub/uni)', async () => {
    const pdf = await renderNotice(sampleNoticeInput('baugenehmigung'), {
      now: new Date('2026-11-27T09:00:00Z'),
    })
    const r = spawnSync('pdffonts', [tempPdf(pdf)], { encoding: 'utf8' })
    if (r.error || r.status !== 0)
      throw new Error(`pdffonts fehlt oder scheitert (apt-get install poppler-utils): ${r.stderr}`)
    const rows = r.stdout.split('\n').filter((l) => /DejaVu/.test(l))
    expect(rows).toHaveLength(2)
    const tags = new Set<string>()
    for (const row of rows) {
      const cols = row.trim().split(/\s+/) // name, Typ (2 Wörter), Kodierung, emb, sub, uni, Objekt, Generation
      const name = cols[0]
      const [emb, sub, uni] = cols.slice(-5, -2)
      expect(name).toMatch(/^[A-Z]{6}\+DejaVuSans(-Bold)?$/)
      tags.add(name?.slice(0, 6) ?? '')
      expect([emb, sub, uni]).toEqual(['yes', 'yes', 'yes'])
    }
    expect(tags.size).toBe(2)
    expect(pdf.length).toBeLessThan(120_000) // Teilmengen, nicht die ganzen TTFs (~700 KB)
  })
})
