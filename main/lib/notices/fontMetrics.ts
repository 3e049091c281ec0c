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
 *
 * Aufteilung: gsubPlan.ts (GSUB-Auswertung: unsichere Glyphen, nachgebildete Ligaturen),
 * cachedFont.ts (schneller Weg: Glyphen, Breiten, layout-Ersatz); hier: Zerlegen einmal pro
 * Prozess und die Anbindung an pdf-lib (registerFontkit).
 */
import fontkit from '@pdf-lib/fontkit'
import type { Font } from '@pdf-lib/fontkit'
import { loadFontBytes } from './assets'
import { CachedFont } from './cachedFont'
import type { FontMetrics } from './cachedFont'

export type { FontMetrics } from './cachedFont'

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
