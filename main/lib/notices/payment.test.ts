// Payment details on fee notices (issue #15): bank account of the authority, Kassenzeichen derived
// from the Aktenzeichen, amount and due date — in the rendered PDF (pdftotext), not only in data.
import { describe, expect, it } from 'vitest'
import { run, tempPdf } from '../signature/pdfTools.testutil'
import { checkNotice, loadProcedures, sampleNoticeInput } from './noticeModel'
import { renderNotice } from './noticePdf'
import { formatIban, isValidIban, kassenzeichen } from './payment'

const now = new Date('2026-11-27T09:00:00Z')
const norm = (s: string) => s.replace(/\s+/g, ' ')
// the payment table as printed: label and value on one line (pdftotext -layout)
async function printed(input: Parameters<typeof renderNotice>[0]): Promise<string> {
  const { status, out } = run('pdftotext', [
    '-layout',
    '-enc',
    'UTF-8',
    tempPdf(await renderNotice(input, { now })),
    '-',
  ])
  if (status !== 0) throw new Error(out)
  return norm(out)
}
/** The Zahlungsangaben section only (from its heading to the Begründung). */
const paymentSection = (text: string) =>
  /Zahlungsangaben(.*?)Begründung/.exec(text.replace(/.*Kostenentscheidung/, ''))?.[1] ?? ''

describe('Kassenzeichen', () => {
  it('is derived from the Aktenzeichen with a check digit, the same every time', () => {
    expect(kassenzeichen('121.4-2026-004711')).toBe(kassenzeichen('121.4-2026-004711'))
    expect(kassenzeichen('121.4-2026-004711')).toMatch(/^1214\.2026\.004711\.\d$/)
    expect(kassenzeichen('121.4-2026-004712')).not.toBe(kassenzeichen('121.4-2026-004711'))
  })

  it('its check digit catches a mistyped digit and swapped neighbours', () => {
    const digits = (k: string) => k.replace(/\D/g, '')
    const k = digits(kassenzeichen('632.4-2026-000219'))
    const body = k.slice(0, -1)
    const check = k.slice(-1)
    // change one digit of the number part: the check digit differs
    const typo = `${body.slice(0, -1)}${(Number(body.slice(-1)) + 1) % 10}`
    const swapped = `${body.slice(0, 4)}${body[5]}${body[4]}${body.slice(6)}`
    expect(swapped).not.toBe(body)
    expect(luhnValid(swapped + check)).toBe(false)
    expect(luhnValid(typo + check)).toBe(false)
    expect(luhnValid(k)).toBe(true)
  })
})

function luhnValid(s: string): boolean {
  let sum = 0
  for (let i = 0; i < s.length; i++) {
    let d = Number(s[s.length - 1 - i])
    if (i % 2 === 1) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
  }
  return sum % 10 === 0
}

describe('IBAN', () => {
  it('checks the mod-97 check digits and writes it in groups of four', () => {
    expect(isValidIban('DE21850999990001234567')).toBe(true)
    expect(isValidIban('DE21 8509 9999 0001 2345 67')).toBe(true)
    expect(isValidIban('DE22850999990001234567')).toBe(false)
    expect(formatIban('DE21850999990001234567')).toBe('DE21 8509 9999 0001 2345 67')
  })

  it('the configured account of the authority is a valid IBAN', () => {
    const p = loadProcedures().authority.payment
    expect(p).toBeDefined()
    expect(isValidIban(p!.iban)).toBe(true)
  })
})

describe('payment details in the notice PDF', () => {
  const bank = () => loadProcedures().authority.payment!

  it('Bußgeld: total of fine, fee and expenses, due two weeks after finality, IBAN, BIC, Kassenzeichen', async () => {
    const input = sampleNoticeInput('bussgeld')
    const text = await printed(input)
    expect(text).toContain('Zahlungsangaben')
    expect(text).toContain(`IBAN ${formatIban(bank().iban)}`)
    expect(text).toContain(`BIC ${bank().bic}`)
    expect(text).toContain(`Empfänger ${bank().recipient}`)
    expect(text).toContain(`Kassenzeichen ${kassenzeichen(input.aktenzeichen)}`)
    // 150,00 + 25,00 + 3,50, each part named
    const section = paymentSection(text)
    expect(section).toContain('Geldbuße 150,00 €')
    expect(section).toContain('Gebühr 25,00 € Auslagen 3,50 €')
    expect(section).toContain('Zu zahlender Betrag 178,50 €')
    // dated Fri 27.11.2026, by post: notified Tue 01.12., objection ends Tue 15.12.,
    // payable two weeks after that: Tue 29.12.2026
    expect(text).toContain('Zahlbar bis 29.12.2026')
  })

  it('Baugenehmigung: the fee, due one month after Bekanntgabe, moved off New Year’s Day', async () => {
    const input = sampleNoticeInput('baugenehmigung')
    const text = await printed(input)
    expect(text).toContain('Zu zahlender Betrag 1.284,00 €')
    // notified Tue 01.12.2026; one month → Fri 01.01.2027 (Neujahr) → Mon 04.01.2027
    expect(text).toContain('Zahlbar bis 04.01.2027')
    expect(text).toContain(`Kassenzeichen ${kassenzeichen(input.aktenzeichen)}`)
  })

  it('a portal notice is payable from the latest possible Bekanntgabe, never earlier', async () => {
    const input = { ...sampleNoticeInput('baugenehmigung'), channel: 'portal' as const }
    const text = await printed(input)
    // provided 27.11., retrievable for ten days → notified at the latest on 08.12.; + 1 month
    expect(text).toContain('Zahlbar bis 08.01.2027')
  })

  it('Sondernutzung refused: only the administrative fee is payable', async () => {
    const input = sampleNoticeInput('sondernutzung', 'abgelehnt')
    const text = await printed(input)
    const section = paymentSection(text)
    expect(section).toContain('Zu zahlender Betrag 55,00 €')
    expect(section).not.toContain('420,00 €')
    expect(section).not.toContain('Sondernutzungsgebühr')
  })

  it('Wohngeld is free of charge: no payment details', async () => {
    const text = await printed(sampleNoticeInput('wohngeld'))
    expect(text).not.toContain('Zahlungsangaben')
    expect(text).not.toContain('IBAN')
  })

  it('a Bußgeld whose Gesamtbetrag is not fine + fee + expenses is not signed', () => {
    const input = sampleNoticeInput('bussgeld')
    input.fields.totalAmount = 175
    const missing = checkNotice(input)
    expect(missing).toContainEqual(
      expect.objectContaining({
        code: 'FIELD_INVALID',
        field: 'totalAmount',
        messageDe: expect.stringMatching(/175,00\s€ ist nicht die Summe .* \(178,50\s€\)/),
      }),
    )
    expect(checkNotice(sampleNoticeInput('bussgeld'))).toEqual([])
  })

  it('a fee notice without the authority’s bank account is not signed', () => {
    const input = sampleNoticeInput('kfz')
    const { payment: _bank, ...withoutBank } = input.authority
    const missing = checkNotice({ ...input, authority: withoutBank })
    expect(missing.map((m) => m.code)).toContain('PAYMENT_MISSING')
    expect(checkNotice(sampleNoticeInput('kfz'))).toEqual([])
  })
})
