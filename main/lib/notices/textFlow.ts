// Textfluss: Zeilenumbruch nach gemessener Breite und Trennleerzeichen für Textauszug/Vorlesen.

/** Alles, was Textbreiten misst (FontMetrics aus fontMetrics.ts oder ein PDFFont). */
export interface TextMeasure {
  widthOfTextAtSize(text: string, size: number): number
}

export function wrapText(
  text: string,
  font: TextMeasure,
  size: number,
  maxWidth: number,
): string[] {
  const out: string[] = []
  // geschützte Leerzeichen: „§ 49“, „Abs. 2“, „Nr. 5“, „150,00 €“ nicht trennen
  const glued = text
    .replace(/(§§?|Abs\.|Nr\.|Satz|Art\.) (?=\d)/g, '$1\u00a0')
    .replace(/(\d) (€|km\/h|m²|m\b)/g, '$1\u00a0$2')
  for (const rawLine of glued.split('\n')) {
    const words = rawLine.split(/ +/).filter((w) => w !== '')
    let line = ''
    for (let word of words) {
      const candidate = line ? `${line} ${word}` : word
      if (font.widthOfTextAtSize(candidate, size) <= maxWidth) {
        line = candidate
        continue
      }
      if (line) out.push(line)
      // überlange Wörter (z. B. URLs, FIN) hart umbrechen
      while (font.widthOfTextAtSize(word, size) > maxWidth) {
        let cut = word.length - 1
        while (cut > 1 && font.widthOfTextAtSize(word.slice(0, cut), size) > maxWidth) cut--
        out.push(word.slice(0, cut))
        word = word.slice(cut)
      }
      line = word
    }
    out.push(line)
  }
  return out
}

/**
 * Hängt an jede umbrochene Zeile (außer der letzten) das Leerzeichen an, an dem umbrochen wurde:
 * unsichtbar, aber Textauszug und Vorlesen aus dem Strukturbaum trennen die Wörter dann richtig
 * („Mietzuschuss in“ statt „Mietzuschussin“).
 */
export function withBreakSpaces(lines: string[]): string[] {
  return lines.map((l, i) => (i < lines.length - 1 && !/[\s-]$/.test(l) ? `${l} ` : l))
}
