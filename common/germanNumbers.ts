/**
 * German numbers and money, parsed and formatted in one place (the decision form, the Verlauf,
 * the notice). Pure: no DOM, no Node. Money is euros as a number with at most two decimals.
 *
 * Accepted input: „187,50“, „187“, „1.234,56“, „1234,56“, „1.234“, each with or without „€“/„EUR“
 * before or after; a dot followed by one or two digits and no comma („187.5“) is read as a
 * decimal point, because that is how an English-formatted amount looks — a dot followed by
 * three digits is always a thousands separator.
 */
const moneyFormat = new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'EUR' })
const amountFormat = new Intl.NumberFormat('de-DE', {
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
  useGrouping: true,
})
const integerFormat = new Intl.NumberFormat('de-DE', { maximumFractionDigits: 0 })

/** „1.234,56 €“ (with a no-break space before the sign, as Intl writes it). */
export function formatMoney(v: number): string {
  return moneyFormat.format(v)
}

/** „1.234,56“: what a money input shows for a stored amount. */
export function formatAmount(v: number): string {
  return amountFormat.format(v)
}

/** „3“, „1.200“. */
export function formatInteger(v: number): string {
  return integerFormat.format(v)
}

export type Parsed = { ok: true; value: number } | { ok: false; message: string }

const GERMAN_GROUPED = /^\d{1,3}(?:\.\d{3})+(?:,\d+)?$/
const GERMAN_PLAIN = /^\d+(?:,\d+)?$/
const DOT_DECIMAL = /^\d+\.\d{1,2}$/

/** Parses a German money amount; the message says in German what is wrong. */
export function parseMoney(text: string): Parsed {
  const t = text
    .replace(/[\s\u00a0\u202f]+/g, '')
    .replace(/^(?:€|EUR)/i, '')
    .replace(/(?:€|EUR)$/i, '')
  if (t === '') return { ok: false, message: 'Bitte einen Betrag eingeben, z. B. 187,50.' }
  if (t.startsWith('-')) return { ok: false, message: 'Ein Betrag kann nicht negativ sein.' }
  let intPart: string
  let fracPart: string
  if (GERMAN_GROUPED.test(t) || GERMAN_PLAIN.test(t)) {
    const [i = '', f = ''] = t.split(',')
    intPart = i.replace(/\./g, '')
    fracPart = f
  } else if (DOT_DECIMAL.test(t)) {
    const [i = '', f = ''] = t.split('.')
    intPart = i
    fracPart = f
  } else {
    return {
      ok: false,
      message: `„${text.trim()}“ ist kein Betrag. Bitte z. B. 187,50 oder 1.234,56 eingeben.`,
    }
  }
  if (fracPart.length > 2)
    return { ok: false, message: 'Ein Betrag hat höchstens zwei Nachkommastellen (Cent).' }
  if (intPart.length > 12) return { ok: false, message: 'Der Betrag ist zu groß.' }
  const cents = Number(intPart) * 100 + Number(fracPart.padEnd(2, '0'))
  return { ok: true, value: cents / 100 }
}
