/**
 * Payment details of a fee notice (Gebühren-, Bußgeldbescheid): the authority's account, the
 * Kassenzeichen derived from the Aktenzeichen, the amount and the day it is payable.
 *
 * The due day is computed, not typed: from the letter date and the channel the latest possible
 * Bekanntgabe (post: the fourth day; portal: the day after the last day of retrieval), then the
 * template's period — after Bekanntgabe, or after finality (the objection period ends) for a fine.
 * A printed due day is therefore never earlier than the law allows.
 */
import { addDays, bekanntgabe, periodEnd } from '../deadlines'
import type { NoticePayment } from './noticeSchema'

/** ISO 13616 mod-97 check of an IBAN (spaces allowed). */
export function isValidIban(raw: string): boolean {
  const iban = raw.replace(/\s+/g, '').toUpperCase()
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false
  const rearranged = iban.slice(4) + iban.slice(0, 4)
  let rest = 0
  for (const ch of rearranged) {
    const v = /\d/.test(ch) ? ch : String(ch.charCodeAt(0) - 55)
    for (const d of v) rest = (rest * 10 + Number(d)) % 97
  }
  return rest === 1
}

/** „DE21 8509 9999 0001 2345 67“ */
export function formatIban(raw: string): string {
  return (
    raw
      .replace(/\s+/g, '')
      .toUpperCase()
      .match(/.{1,4}/g)
      ?.join(' ') ?? ''
  )
}

/** Luhn check digit (mod 10) of a digit string: catches one wrong digit and most swaps. */
function luhnDigit(digits: string): number {
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i])
    if (i % 2 === 0) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
  }
  return (10 - (sum % 10)) % 10
}

/**
 * The Kassenzeichen of a case: the digits of its Aktenzeichen (file-plan code, year, number)
 * and a check digit, e.g. „121.4-2026-004711“ → „1214.2026.004711.5“. An Aktenzeichen is unique,
 * so is its Kassenzeichen; the Stadtkasse can read the case back from it.
 */
export function kassenzeichen(aktenzeichen: string): string {
  const m = /^([\d.]+)-(\d{4})-(\d+)$/.exec(aktenzeichen.trim())
  const parts = m ? [m[1]!.replace(/\D/g, ''), m[2]!, m[3]!] : [aktenzeichen.replace(/\D/g, '')]
  const digits = parts.join('')
  return [...parts, String(luhnDigit(digits))].join('.')
}

/** The last day the notice can count as notified on this channel (portal: retrieved on the last day). */
export function latestBekanntgabe(letterDate: string, channel: 'post' | 'portal'): string {
  const r =
    channel === 'post'
      ? bekanntgabe({ dispatchDate: letterDate, channel })
      : bekanntgabe({ dispatchDate: letterDate, channel, retrievalDate: addDays(letterDate, 10) })
  // both channels are notified here by construction
  return r.deliveredOn ?? letterDate
}

/** The day the amount is payable (JJJJ-MM-TT), moved off weekends and Saxon holidays. */
export function paymentDue(
  letterDate: string,
  channel: 'post' | 'portal',
  due: NoticePayment['due'],
): string {
  const notified = latestBekanntgabe(letterDate, channel)
  const start = due.after === 'finality' ? periodEnd(notified, due.objectionPeriod).end : notified
  return periodEnd(start, due.period).end
}
