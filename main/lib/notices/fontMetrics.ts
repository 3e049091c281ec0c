/**
 * Schriften für das Briefbild: einmal pro Prozess zerlegen, Textbreiten aus einem Zeichen-Cache.
 *
 * Warum: fontkit zerlegt die TTF sonst für jedes Dokument neu, und jede Breitenmessung beim
 * Zeilenumbruch (pdf-lib widthOfTextAtSize) sowie jedes drawText (encodeText) läuft durch das
 * volle OpenType-Shaping (GSUB/GPOS) – das war ~60 % der Erzeugungszeit.
 *
 * Was hier passiert:
 *  - `letterFontkit` wird statt fontkit bei pdf-lib registriert; `create` liefert für die
 *    gecachten Schriftbytes (assets.ts) immer dasselbe, einmal zerlegte fontkit-Font-Objekt.
 *    Eingebettet wird weiterhin als Teilmenge (embedFont mit subset: true); jede Einbettung
 *    legt ihre eigene Teilmenge an (font.createSubset()), das Font-Objekt selbst hält nur
 *    Caches (Glyphen, Metriken).
 *  - Für „einfachen“ Text (Zeichen aus einer festen Liste: ASCII, Latin-1, Latin Extended-A,
 *    typografische Anführungszeichen, Striche, €, …) ersetzt ein schneller Weg das Shaping:
 *    Zeichen → Glyph über die cmap, dazu die Ligaturen des Fonts (DejaVu: ff, fi, fl, ffi, ffl)
 *    aus der GSUB-Tabelle nachgebildet. Welche Zeichen „einfach“ sind, wird beim Laden aus der
 *    GSUB-Tabelle abgeleitet: ein Zeichen, dessen Glyph von einer Ersetzung erfasst werden
 *    könnte, die wir nicht nachbilden (z. B. i/j vor Akzenten, Arabisch, Brüche), fällt heraus –
 *    Text mit solchen Zeichen geht wie bisher durch fontkit. Ergebnis: dieselben Glyphen wie
 *    fontkit.layout, also dieselben Bytes im PDF (Test: fontMetrics.test.ts).
 *  - Breiten: pro Zeichen die Vorschubbreite (advanceWidth × 1000 / unitsPerEm, wie pdf-lib),
 *    Ligaturen mit ihrer eigenen Breite; keine Unterschneidung (kern) – pdf-lib setzt Text ohne
 *    Kerning (Tj mit Glyph-IDs), misst also ebenfalls ohne. Damit ist die gemessene Breite
 *    genau die gezeichnete, kein Umbruch läuft über den rechten Rand.
 */
import fontkit from '@pdf-lib/fontkit'
import type { Font, Glyph, GlyphRun } from '@pdf-lib/fontkit'
import { loadFontBytes } from './assets'

/** Vom Shaper (fontkit DefaultShaper, latn/DFLT) ohne Nutzerangaben angewandte GSUB-Features. */
const DEFAULT_GSUB_FEATURES = new Set(['rvrn', 'ltra', 'ltrm', 'frac', 'numr', 'dnom', 'ccmp', 'locl', 'rlig', 'calt', 'clig', 'liga', 'rclt'])

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

interface Ligature {
  components: number[]
  glyph: number
  /** Glyph-Objekt (Codepoints = Bestandteile) und Breite × 1000/unitsPerEm; beim Laden gesetzt */
  glyphObj: Glyph
  advance: number
}

/** Schnelle Sicht auf eine Schrift; `font` ist das gemeinsame fontkit-Objekt. */
export interface FontMetrics {
  readonly font: Font
  readonly unitsPerEm: number
  /** Breite in pt, gleich pdf-lib PDFFont.widthOfTextAtSize (ohne Kerning). */
  widthOfTextAtSize(text: string, size: number): number
  /** true, wenn `text` ohne fontkit-Shaping gesetzt werden kann (nur für Tests/Diagnose). */
  isPlain(text: string): boolean
}

// ------------------------------------------------------------------ GSUB-Auswertung (lose typisiert)

interface RawArray<T> {
  length: number
  toArray?: () => T[]
  get?: (i: number) => T
}
type Listish<T> = T[] | RawArray<T> | undefined | null

function list<T>(x: Listish<T>): T[] {
  if (!x) return []
  if (Array.isArray(x)) return x
  if (typeof x.toArray === 'function') return x.toArray()
  const out: T[] = []
  for (let i = 0; i < x.length; i++) {
    const v = x.get?.(i)
    if (v !== undefined) out.push(v)
  }
  return out
}

interface RawCoverage {
  version: number
  glyphs?: Listish<number>
  rangeRecords?: Listish<{ start: number; end: number }>
}
interface RawClassDef {
  version: number
  startGlyph?: number
  classValueArray?: Listish<number>
  classRangeRecord?: Listish<{ start: number; end: number; class: number }>
}
interface RawLookupRecord {
  lookupListIndex: number
}
interface RawRule {
  backtrack?: Listish<number>
  input?: Listish<number>
  lookahead?: Listish<number>
  lookupRecords?: Listish<RawLookupRecord>
}
interface RawSubtable {
  version?: number
  lookupType?: number
  extension?: RawSubtable
  coverage?: RawCoverage
  ligatureSets?: Listish<Listish<{ glyph: number; components: Listish<number> }>>
  // Kontext (Typ 5/6)
  classDef?: RawClassDef
  inputClassDef?: RawClassDef
  backtrackClassDef?: RawClassDef
  lookaheadClassDef?: RawClassDef
  classSet?: Listish<Listish<RawRule> | null>
  chainClassSet?: Listish<Listish<RawRule> | null>
  coverages?: Listish<RawCoverage>
  backtrackCoverage?: Listish<RawCoverage>
  inputCoverage?: Listish<RawCoverage>
  lookaheadCoverage?: Listish<RawCoverage>
  lookupRecords?: Listish<RawLookupRecord>
}
interface RawLookup {
  lookupType: number
  flags?: { markAttachmentType?: number; flags?: Record<string, boolean> }
  subTables: Listish<RawSubtable>
}
interface RawLangSys {
  reqFeatureIndex?: number
  featureIndexes: Listish<number>
}
interface RawGsub {
  scriptList: Listish<{ tag: string; script: { defaultLangSys?: RawLangSys | null } }>
  featureList: Listish<{ tag: string; feature: { lookupListIndexes: Listish<number> } }>
  lookupList: Listish<RawLookup>
}

function coverageGlyphs(c: RawCoverage | undefined): number[] {
  if (!c) return []
  if (c.version === 1) return list(c.glyphs)
  const out: number[] = []
  for (const r of list(c.rangeRecords)) for (let g = r.start; g <= r.end; g++) out.push(g)
  return out
}

/** Glyphen je Klasse ≥ 1 einer ClassDef. */
function classMembers(cd: RawClassDef | undefined): Map<number, number[]> {
  const m = new Map<number, number[]>()
  const add = (cls: number, g: number) => {
    const a = m.get(cls)
    if (a) a.push(g)
    else m.set(cls, [g])
  }
  if (!cd) return m
  if (cd.version === 1) list(cd.classValueArray).forEach((cls, i) => add(cls, (cd.startGlyph ?? 0) + i))
  else for (const r of list(cd.classRangeRecord)) for (let g = r.start; g <= r.end; g++) add(r.class, g)
  return m
}

interface GsubPlan {
  /** Glyphen, die eine nicht nachgebildete Ersetzung erfassen könnte. */
  unsafe: Set<number>
  /** Nachgebildete Ligaturen je Skript: erster Glyph → Ligaturen in Tabellenreihenfolge. */
  ligatures: { latin: Map<number, Ligature[]>; common: Map<number, Ligature[]> }
}

/**
 * Leitet aus der GSUB-Tabelle ab, welche „einfachen“ Glyphen (plain) sicher 1:1 gesetzt werden
 * können. Konservativ: was nicht sicher verstanden wird, macht seine Glyphen „unsafe“.
 */
function planGsub(font: Font, plain: Set<number>): GsubPlan {
  const unsafe = new Set<number>()
  const empty = { unsafe, ligatures: { latin: new Map<number, Ligature[]>(), common: new Map<number, Ligature[]>() } }
  const gsub = (font as unknown as { GSUB?: RawGsub }).GSUB
  if (!gsub) return empty
  const everything = () => {
    for (const g of plain) unsafe.add(g)
    return empty
  }
  try {
    const scripts = list(gsub.scriptList)
    const features = list(gsub.featureList)
    const lookups = list(gsub.lookupList)
    const find = (tags: string[]) => {
      for (const t of tags) {
        const s = scripts.find((x) => x.tag === t)
        if (s) return s
      }
      return undefined
    }
    // fontkit: erkanntes Skript, sonst DFLT, dflt, latn
    const fallback = find(['DFLT', 'dflt', 'latn'])
    const lookupsOf = (entry: typeof fallback): Set<number> => {
      const out = new Set<number>()
      const ls = entry?.script.defaultLangSys
      if (!ls) return out
      const idx = list(ls.featureIndexes)
      if (ls.reqFeatureIndex !== undefined && ls.reqFeatureIndex !== 0xffff) idx.push(ls.reqFeatureIndex)
      for (const fi of idx) {
        const f = features[fi]
        if (f && (DEFAULT_GSUB_FEATURES.has(f.tag) || fi === ls.reqFeatureIndex)) for (const li of list(f.feature.lookupListIndexes)) out.add(li)
      }
      return out
    }
    const latinLookups = lookupsOf(find(['latn']) ?? fallback)
    const commonLookups = lookupsOf(fallback)

    const subtablesOf = (l: RawLookup): Array<{ type: number; st: RawSubtable }> =>
      list(l.subTables).map((st) => (l.lookupType === 7 && st.extension ? { type: st.lookupType ?? 7, st: st.extension } : { type: l.lookupType, st }))
    const allCoverage = new Set<number>()
    for (const l of lookups) for (const { st } of subtablesOf(l)) for (const g of coverageGlyphs(st.coverage)) allCoverage.add(g)

    const markUnsafe = (l: RawLookup, seen: Set<RawLookup>) => {
      if (seen.has(l)) return
      seen.add(l)
      for (const { type, st } of subtablesOf(l)) {
        for (const g of coverageGlyphs(st.coverage)) if (plain.has(g)) unsafe.add(g)
        for (const c of [...list(st.coverages), ...list(st.inputCoverage)]) for (const g of coverageGlyphs(c)) if (plain.has(g)) unsafe.add(g)
        if (type === 5 || type === 6) for (const r of nestedRecords(st)) markNested(r.lookupListIndex, seen)
      }
    }
    const markNested = (li: number, seen: Set<RawLookup>) => {
      const l = lookups[li]
      if (l) markUnsafe(l, seen)
    }
    const nestedRecords = (st: RawSubtable): RawLookupRecord[] => {
      const rs = list(st.lookupRecords)
      for (const set of [...list(st.classSet), ...list(st.chainClassSet)]) for (const rule of list(set)) rs.push(...list(rule.lookupRecords))
      return rs
    }
    /** Kann ein Kontext-Subtable auf reinem „plain“-Text überhaupt greifen? */
    const contextCanFire = (st: RawSubtable): boolean => {
      const coverage = coverageGlyphs(st.coverage).filter((g) => plain.has(g))
      if (st.version === 3) {
        const covs = [...list(st.coverages), ...list(st.backtrackCoverage), ...list(st.inputCoverage), ...list(st.lookaheadCoverage)]
        return covs.every((c) => coverageGlyphs(c).some((g) => plain.has(g)))
      }
      if (coverage.length === 0) return false
      if (st.version !== 2) return true // Format 1: konservativ
      const chained = !!st.chainClassSet
      const inputCd = classMembers(chained ? st.inputClassDef : st.classDef)
      const backCd = classMembers(st.backtrackClassDef)
      const aheadCd = classMembers(st.lookaheadClassDef)
      const satisfiable = (cd: Map<number, number[]>, cls: number) => cls === 0 || (cd.get(cls) ?? []).some((g) => plain.has(g))
      const sets = list(chained ? st.chainClassSet : st.classSet)
      return sets.some((set, firstClass) => {
        if (!set) return false
        const firstOk = firstClass === 0 ? true : (inputCd.get(firstClass) ?? []).some((g) => coverage.includes(g))
        if (!firstOk) return false
        return list(set).some(
          (rule) => list(rule.input).every((c) => satisfiable(inputCd, c)) && list(rule.backtrack).every((c) => satisfiable(backCd, c)) && list(rule.lookahead).every((c) => satisfiable(aheadCd, c)),
        )
      })
    }

    const ligatures = { latin: new Map<number, Ligature[]>(), common: new Map<number, Ligature[]>() }
    let emulated = 0
    for (const li of new Set([...latinLookups, ...commonLookups])) {
      const l = lookups[li]
      if (!l) continue
      const flags = l.flags?.flags ?? {}
      const plainFlags = !Object.values(flags).some(Boolean) && !l.flags?.markAttachmentType
      const subs = subtablesOf(l)
      if (subs.every(({ type }) => type === 4) && plainFlags && emulated === 0) {
        // Ligaturen nachbilden, wenn ihre Ergebnisse von keiner anderen Ersetzung erfasst werden
        const found: Array<[number, Ligature]> = []
        for (const { st } of subs) {
          const cov = coverageGlyphs(st.coverage)
          list(st.ligatureSets).forEach((set, k) => {
            const first = cov[k]
            if (first === undefined || !plain.has(first)) return
            for (const lig of list(set)) {
              const components = list(lig.components)
              if (components.every((g) => plain.has(g))) found.push([first, { components, glyph: lig.glyph, glyphObj: font.getGlyph(0), advance: 0 }])
            }
          })
        }
        if (found.every(([, lig]) => !allCoverage.has(lig.glyph))) {
          emulated++
          for (const [scriptSet, map] of [
            [latinLookups, ligatures.latin],
            [commonLookups, ligatures.common],
          ] as const) {
            if (!scriptSet.has(li)) continue
            for (const [first, lig] of found) {
              const a = map.get(first)
              if (a) a.push(lig)
              else map.set(first, [lig])
            }
          }
          continue
        }
      }
      for (const { type, st } of subs) {
        if (type === 5 || type === 6) {
          if (contextCanFire(st)) {
            for (const g of coverageGlyphs(st.coverage)) if (plain.has(g)) unsafe.add(g)
            for (const r of nestedRecords(st)) markNested(r.lookupListIndex, new Set())
          }
        } else if (type === 7) {
          return everything()
        } else {
          for (const g of coverageGlyphs(st.coverage)) if (plain.has(g)) unsafe.add(g)
        }
      }
    }
    // Ligatur-Glyphen, die (auch) als Eingang unsicher sind, nicht nachbilden
    for (const map of [ligatures.latin, ligatures.common]) {
      for (const [first, ligs] of map) {
        if (unsafe.has(first) || ligs.some((lig) => lig.components.some((g) => unsafe.has(g)))) {
          unsafe.add(first)
          map.delete(first)
        }
      }
    }
    return { unsafe, ligatures }
  } catch {
    return everything()
  }
}

// ------------------------------------------------------------------ schneller Weg

class CachedFont implements FontMetrics {
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
          const codePoints = [first, ...lig.components].flatMap((id) => font.getGlyph(id).codePoints)
          lig.glyphObj = font.getGlyph(lig.glyph, codePoints)
          lig.advance = lig.glyphObj.advanceWidth * this.scale
        }
      }
    }
  }

  isPlain(text: string): boolean {
    for (let i = 0; i < text.length; i++) if (this.glyphByUnit[text.charCodeAt(i)] === undefined) return false
    return true
  }

  private ligaturesFor(text: string): Map<number, Ligature[]> {
    for (let i = 0; i < text.length; i++) if (this.latinUnit[text.charCodeAt(i)]) return this.ligatures.latin
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
  private matchLigature(text: string, i: number, cands: Ligature[] | undefined): Ligature | undefined {
    if (!cands) return undefined
    return cands.find((lig) => lig.components.every((c, k) => this.glyphByUnit[text.charCodeAt(i + 1 + k)]?.id === c))
  }

  /** Ersatz für font.layout: schneller Weg für „plain“-Text, sonst fontkit. */
  layout(text: string, features?: Parameters<Font['layout']>[1]): GlyphRun {
    const hasFeatures = features !== undefined && (Array.isArray(features) ? features.length > 0 : Object.keys(features).length > 0)
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
      const lig = ligs.size ? this.matchLigature(text, i, ligs.get((this.glyphByUnit[cu] as Glyph).id)) : undefined
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

const cache = new Map<Uint8Array, CachedFont>()

function cachedFor(bytes: Uint8Array): CachedFont {
  let f = cache.get(bytes)
  if (!f) {
    const font = fontkit.create(bytes)
    f = new CachedFont(font)
    const fast = f
    // pdf-lib ruft font.layout(text, features) in encodeText und widthOfTextAtSize
    font.layout = (text, features) => fast.layout(text, features)
    cache.set(bytes, f)
  }
  return f
}

/**
 * Für PDFDocument.registerFontkit: liefert für die Briefschriften das gemeinsame, einmal
 * zerlegte Font-Objekt (mit schnellem layout); andere Bytes gehen an fontkit.
 */
export const letterFontkit: { create(buffer: Uint8Array, postscriptName?: string): Font } = {
  create(buffer: Uint8Array, postscriptName?: string): Font {
    const f = cache.get(buffer)
    if (f && postscriptName === undefined) return f.font
    return fontkit.create(buffer, postscriptName)
  },
}

/** Briefschriften (DejaVu Sans normal/fett), zerlegt und vermessen; einmal pro Prozess. */
export function letterFonts(): { regular: FontMetrics; bold: FontMetrics } {
  const bytes = loadFontBytes()
  return { regular: cachedFor(bytes.regular), bold: cachedFor(bytes.bold) }
}
