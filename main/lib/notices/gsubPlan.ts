// GSUB-Auswertung: welche „einfachen“ Glyphen ohne Shaping gesetzt werden dürfen, welche Ligaturen nachgebildet werden.
import type { Font, Glyph } from '@pdf-lib/fontkit'

/** Vom Shaper (fontkit DefaultShaper, latn/DFLT) ohne Nutzerangaben angewandte GSUB-Features. */
const DEFAULT_GSUB_FEATURES = new Set([
  'rvrn',
  'ltra',
  'ltrm',
  'frac',
  'numr',
  'dnom',
  'ccmp',
  'locl',
  'rlig',
  'calt',
  'clig',
  'liga',
  'rclt',
])

export interface Ligature {
  components: number[]
  glyph: number
  /** Glyph-Objekt (Codepoints = Bestandteile) und Breite × 1000/unitsPerEm; beim Laden gesetzt */
  glyphObj: Glyph
  advance: number
}

// fontkit-Tabellen, lose typisiert (fontkit liefert teils Arrays, teils LazyArrays)
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
  if (cd.version === 1)
    list(cd.classValueArray).forEach((cls, i) => add(cls, (cd.startGlyph ?? 0) + i))
  else
    for (const r of list(cd.classRangeRecord))
      for (let g = r.start; g <= r.end; g++) add(r.class, g)
  return m
}

export interface GsubPlan {
  /** Glyphen, die eine nicht nachgebildete Ersetzung erfassen könnte. */
  unsafe: Set<number>
  /** Nachgebildete Ligaturen je Skript: erster Glyph → Ligaturen in Tabellenreihenfolge. */
  ligatures: { latin: Map<number, Ligature[]>; common: Map<number, Ligature[]> }
}

/**
 * Leitet aus der GSUB-Tabelle ab, welche „einfachen“ Glyphen (plain) sicher 1:1 gesetzt werden
 * können. Konservativ: was nicht sicher verstanden wird, macht seine Glyphen „unsafe“.
 */
export function planGsub(font: Font, plain: Set<number>): GsubPlan {
  const unsafe = new Set<number>()
  const empty = {
    unsafe,
    ligatures: { latin: new Map<number, Ligature[]>(), common: new Map<number, Ligature[]>() },
  }
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
      if (ls.reqFeatureIndex !== undefined && ls.reqFeatureIndex !== 0xffff)
        idx.push(ls.reqFeatureIndex)
      for (const fi of idx) {
        const f = features[fi]
        if (f && (DEFAULT_GSUB_FEATURES.has(f.tag) || fi === ls.reqFeatureIndex))
          for (const li of list(f.feature.lookupListIndexes)) out.add(li)
      }
      return out
    }
    const latinLookups = lookupsOf(find(['latn']) ?? fallback)
    const commonLookups = lookupsOf(fallback)

    const subtablesOf = (l: RawLookup): Array<{ type: number; st: RawSubtable }> =>
      list(l.subTables).map((st) =>
        l.lookupType === 7 && st.extension
          ? { type: st.lookupType ?? 7, st: st.extension }
          : { type: l.lookupType, st },
      )
    const allCoverage = new Set<number>()
    for (const l of lookups)
      for (const { st } of subtablesOf(l))
        for (const g of coverageGlyphs(st.coverage)) allCoverage.add(g)

    const markUnsafe = (l: RawLookup, seen: Set<RawLookup>) => {
      if (seen.has(l)) return
      seen.add(l)
      for (const { type, st } of subtablesOf(l)) {
        for (const g of coverageGlyphs(st.coverage)) if (plain.has(g)) unsafe.add(g)
        for (const c of [...list(st.coverages), ...list(st.inputCoverage)])
          for (const g of coverageGlyphs(c)) if (plain.has(g)) unsafe.add(g)
        if (type === 5 || type === 6)
          for (const r of nestedRecords(st)) markNested(r.lookupListIndex, seen)
      }
    }
    const markNested = (li: number, seen: Set<RawLookup>) => {
      const l = lookups[li]
      if (l) markUnsafe(l, seen)
    }
    const nestedRecords = (st: RawSubtable): RawLookupRecord[] => {
      const rs = list(st.lookupRecords)
      for (const set of [...list(st.classSet), ...list(st.chainClassSet)])
        for (const rule of list(set)) rs.push(...list(rule.lookupRecords))
      return rs
    }
    /** Kann ein Kontext-Subtable auf reinem „plain“-Text überhaupt greifen? */
    const contextCanFire = (st: RawSubtable): boolean => {
      const coverage = coverageGlyphs(st.coverage).filter((g) => plain.has(g))
      if (st.version === 3) {
        const covs = [
          ...list(st.coverages),
          ...list(st.backtrackCoverage),
          ...list(st.inputCoverage),
          ...list(st.lookaheadCoverage),
        ]
        return covs.every((c) => coverageGlyphs(c).some((g) => plain.has(g)))
      }
      if (coverage.length === 0) return false
      if (st.version !== 2) return true // Format 1: konservativ
      const chained = !!st.chainClassSet
      const inputCd = classMembers(chained ? st.inputClassDef : st.classDef)
      const backCd = classMembers(st.backtrackClassDef)
      const aheadCd = classMembers(st.lookaheadClassDef)
      const satisfiable = (cd: Map<number, number[]>, cls: number) =>
        cls === 0 || (cd.get(cls) ?? []).some((g) => plain.has(g))
      const sets = list(chained ? st.chainClassSet : st.classSet)
      return sets.some((set, firstClass) => {
        if (!set) return false
        const firstOk =
          firstClass === 0
            ? true
            : (inputCd.get(firstClass) ?? []).some((g) => coverage.includes(g))
        if (!firstOk) return false
        return list(set).some(
          (rule) =>
            list(rule.input).every((c) => satisfiable(inputCd, c)) &&
            list(rule.backtrack).every((c) => satisfiable(backCd, c)) &&
            list(rule.lookahead).every((c) => satisfiable(aheadCd, c)),
        )
      })
    }

    const ligatures = {
      latin: new Map<number, Ligature[]>(),
      common: new Map<number, Ligature[]>(),
    }
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
              if (components.every((g) => plain.has(g)))
                found.push([
                  first,
                  { components, glyph: lig.glyph, glyphObj: font.getGlyph(0), advance: 0 },
                ])
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
