// Schneller Weg für Briefschriften: Glyphen und Breiten je Zeichen aus einem Cache, Ligaturen nachgebildet, Rest über fontkit.
import type { Font, Glyph, GlyphRun } from '@pdf-lib/fontkit'
import { planGsub } from './gsubPlan'
import type { GsubPlan, Ligature } from './gsubPlan'

/** Zeichen, die für den schnellen Weg in Frage kommen (BMP, keine Marken, keine Steuer-/ignorierbaren Zeichen). */
const PLAIN_RANGES: Array<[number, number]> = [
  [0x20, 0x7e],
  [0xa0, 0xac], // ohne U+00AD (weiches Trennzeichen: „default ignorable“, fontkit blendet es aus)
  [0xae, 0x17f],
  [0x2010, 0x2027],
  [0x2030, 0x203e],
  [0x20ac, 0x20ac],
  [0x2116, 0x2116],
  [0x2122, 0x2122],
  [0x2190, 0x2193],
  [0x2212, 0x2212],
]

const LATIN = /\p{Script=Latin}/u

/** Schnelle Sicht auf eine Schrift; `font` ist das gemeinsame fontkit-Objekt. */
export interface FontMetrics {
  readonly font: Font
  readonly unitsPerEm: number
  /** Breite in pt, gleich pdf-lib PDFFont.widthOfTextAtSize (ohne Kerning). */
  widthOfTextAtSize(text: string, size: number): number
  /** true, wenn `text` ohne fontkit-Shaping gesetzt werden kann (nur für Tests/Diagnose). */
  isPlain(text: string): boolean
}

export class CachedFont implements FontMetrics {
  readonly unitsPerEm: number
  /** pdf-lib-Skalierung 1000 / unitsPerEm */
  private readonly scale: number
  /** Glyph je UTF-16-Einheit (nur „plain“), sonst undefined */
  private readonly glyphByUnit: Array<Glyph | undefined> = []
  /** advanceWidth × scale je UTF-16-Einheit (nur „plain“), sonst NaN */
  private readonly advByUnit = new Float64Array(0x10000).fill(Number.NaN)
  private readonly latinUnit = new Uint8Array(0x10000)
  private readonly ligatures: GsubPlan['ligatures']
  private readonly originalLayout: Font['layout']

  constructor(readonly font: Font) {
    this.unitsPerEm = font.unitsPerEm
    this.scale = 1000 / font.unitsPerEm
    this.originalLayout = font.layout.bind(font)
    const candidates = new Map<number, number>()
    for (const [from, to] of PLAIN_RANGES) {
      for (let cu = from; cu <= to; cu++) {
        const g = font.glyphForCodePoint(cu)
        if (g && g.id !== 0) candidates.set(cu, g.id)
      }
    }
    const plan = planGsub(font, new Set(candidates.values()))
    this.ligatures = plan.ligatures
    for (const [cu, id] of candidates) {
      if (plan.unsafe.has(id)) continue
      const glyph = font.glyphForCodePoint(cu)
      this.glyphByUnit[cu] = glyph
      this.advByUnit[cu] = glyph.advanceWidth * this.scale
      if (LATIN.test(String.fromCharCode(cu))) this.latinUnit[cu] = 1
    }
    // Ligatur-Glyphen einmal mit den Codepoints ihrer Bestandteile anlegen (ToUnicode „fi“ usw.;
    // fontkit legt je Glyph-ID ein Objekt an, die Codepoints des ersten Aufrufs bleiben)
    for (const map of [this.ligatures.latin, this.ligatures.common]) {
      for (const [first, ligs] of map) {
        for (const lig of ligs) {
          const codePoints = [first, ...lig.components].flatMap(
            (id) => font.getGlyph(id).codePoints,
          )
          lig.glyphObj = font.getGlyph(lig.glyph, codePoints)
          lig.advance = lig.glyphObj.advanceWidth * this.scale
        }
      }
    }
  }

  isPlain(text: string): boolean {
    for (let i = 0; i < text.length; i++)
      if (this.glyphByUnit[text.charCodeAt(i)] === undefined) return false
    return true
  }

  private ligaturesFor(text: string): Map<number, Ligature[]> {
    for (let i = 0; i < text.length; i++)
      if (this.latinUnit[text.charCodeAt(i)]) return this.ligatures.latin
    return this.ligatures.common
  }

  /** Glyphen wie fontkit.layout(text).glyphs – oder null, wenn der Text nicht „plain“ ist. */
  glyphsOf(text: string): Glyph[] | null {
    const n = text.length
    const ligs = this.ligaturesFor(text)
    const glyphs: Glyph[] = []
    for (let i = 0; i < n; i++) {
      const g = this.glyphByUnit[text.charCodeAt(i)]
      if (g === undefined) return null
      const lig = ligs.size ? this.matchLigature(text, i, ligs.get(g.id)) : undefined
      if (lig) {
        glyphs.push(lig.glyphObj)
        i += lig.components.length
      } else glyphs.push(g)
    }
    return glyphs
  }

  /** Ligatur ab Position i (erste passende in Tabellenreihenfolge, wie fontkit). */
  private matchLigature(
    text: string,
    i: number,
    cands: Ligature[] | undefined,
  ): Ligature | undefined {
    if (!cands) return undefined
    return cands.find((lig) =>
      lig.components.every((c, k) => this.glyphByUnit[text.charCodeAt(i + 1 + k)]?.id === c),
    )
  }

  /** Ersatz für font.layout: schneller Weg für „plain“-Text, sonst fontkit. */
  layout(text: string, features?: Parameters<Font['layout']>[1]): GlyphRun {
    const hasFeatures =
      features !== undefined &&
      (Array.isArray(features) ? features.length > 0 : Object.keys(features).length > 0)
    const glyphs = hasFeatures ? null : this.glyphsOf(text)
    if (!glyphs) return this.originalLayout(text, features)
    const original = this.originalLayout
    let full: GlyphRun | undefined
    const lazy = () => (full ??= original(text, features))
    // pdf-lib liest nur .glyphs; alles andere (Positionen mit Kerning usw.) rechnet fontkit bei Bedarf
    return {
      glyphs,
      get script() {
        return lazy().script
      },
      get language() {
        return lazy().language
      },
      get direction() {
        return lazy().direction
      },
      get positions() {
        return lazy().positions
      },
      get features() {
        return lazy().features
      },
      get advanceWidth() {
        return lazy().advanceWidth
      },
      get advanceHeight() {
        return lazy().advanceHeight
      },
      get bbox() {
        return lazy().bbox
      },
    }
  }

  widthOfTextAtSize(text: string, size: number): number {
    // gleiche Summationsreihenfolge wie pdf-lib (Glyph für Glyph, advanceWidth × 1000/unitsPerEm)
    const ligs = this.ligaturesFor(text)
    let total = 0
    for (let i = 0; i < text.length; i++) {
      const cu = text.charCodeAt(i)
      const a = this.advByUnit[cu] as number
      if (a !== a) return this.slowWidth(text, size) // NaN: nicht „plain“
      const lig = ligs.size
        ? this.matchLigature(text, i, ligs.get((this.glyphByUnit[cu] as Glyph).id))
        : undefined
      if (lig) {
        total += lig.advance
        i += lig.components.length
      } else total += a
    }
    return total * (size / 1000)
  }

  private slowWidth(text: string, size: number): number {
    let total = 0
    for (const g of this.originalLayout(text).glyphs) total += g.advanceWidth * this.scale
    return total * (size / 1000)
  }
}
