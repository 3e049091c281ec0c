/**
 * Bescheide und Nachforderungsschreiben als PDF (Briefbild: letterLayout.ts).
 *
 * Vorlagentexte enthalten Platzhalter {{name}}. Regeln:
 *  - Geld → „1.284,00 €“, Datum → „27.11.2026“, Liste inline → „a; b“, Liste als ganzer Absatz
 *    → Aufzählung;
 *  - ein Absatz mit einem leeren Platzhalter eines für das Ergebnis NICHT verpflichtenden Felds
 *    entfällt (optionale Absätze); fehlt ein Pflichtfeld, erscheint „[fehlt: Label]“ (Vorschau),
 *    signiert wird so ein Bescheid nicht (checkNotice);
 *  - Alternativen (Array): die erste vollständig belegbare gilt;
 *  - durchnummerierte Tenor-Absätze werden nach dem Weglassen neu nummeriert.
 */
import { z } from 'zod'
import type { Block, LetterSpec, RenderOptions, RenderedLetter } from './letterLayout'
import { formatDateDe, layoutLetter, saveLetter } from './letterLayout'
import type {
  FieldType,
  FieldValue,
  NoticeInput as NoticeInputT,
  NoticeTemplate,
  OutcomeTemplate,
  Paragraph,
} from './noticeModel'
import {
  Addressee,
  Authority,
  Clerk,
  NoticeInput,
  hearingRequired,
  loadNoticeTemplate,
  loadProcedures,
} from './noticeModel'
import { formatIban, kassenzeichen, paymentDue } from './payment'

// German money has one owner, shared with the decision form and the Verlauf
export { formatMoney } from '../../../common/germanNumbers'
import { formatMoney } from '../../../common/germanNumbers'

interface CtxEntry {
  value: FieldValue | undefined
  type: FieldType
  label: string
  required: boolean
}
type Ctx = Map<string, CtxEntry>

function valueText(e: CtxEntry): string | null {
  const v = e.value
  if (v === undefined) return null
  if (Array.isArray(v)) {
    const items = v.map((x) => x.trim()).filter(Boolean)
    return items.length ? items.join('; ') : null
  }
  if (typeof v === 'number') return e.type === 'money' ? formatMoney(v) : String(v)
  if (v.trim() === '') return null
  return e.type === 'date' ? formatDateDe(v) : v
}

const PLACEHOLDER = /\{\{\s*([\w.]+)\s*\}\}/g

/** Füllt einen Text; null = Absatz entfällt (optionaler Platzhalter leer). */
function fill(text: string, ctx: Ctx): { text: string; complete: boolean } | null {
  let dropped = false
  let complete = true
  const out = text.replace(PLACEHOLDER, (whole, name: string) => {
    const e = ctx.get(name)
    if (!e) {
      complete = false
      return whole
    }
    const t = valueText(e)
    if (t !== null) return t
    complete = false
    if (!e.required) dropped = true
    return `[fehlt: ${e.label}]`
  })
  return dropped ? null : { text: out, complete }
}

function fillParagraph(p: Paragraph, ctx: Ctx): string | null {
  const alts = Array.isArray(p) ? p : [p]
  let fallback: string | null = null
  for (const alt of alts) {
    const r = fill(alt, ctx)
    if (r?.complete) return r.text
    if (r && fallback === null) fallback = r.text
  }
  return fallback
}

/** Absatz, der nur aus einem Listen-Platzhalter besteht → Listeneinträge; sonst null. */
function listItems(p: Paragraph, ctx: Ctx): string[] | null {
  if (typeof p !== 'string') return null
  const m = /^\s*\{\{\s*([\w.]+)\s*\}\}\s*$/.exec(p)
  const e = m?.[1] ? ctx.get(m[1]) : undefined
  if (!e || e.type !== 'list') return null
  return Array.isArray(e.value) ? e.value.map(withoutMarker).filter(Boolean) : []
}

/**
 * A list entry without the number or bullet the clerk typed („1.“, „2)“, „(3)“, „a)“, „-“, „•“):
 * the list numbers its entries itself, so „1. 1. …“ cannot happen.
 */
export function withoutMarker(item: string): string {
  return item.trim().replace(/^(?:\d{1,3}[.)]|\(\d{1,3}\)|[a-z]\)|[-–—•*·])\s+/, '')
}

function renumber(paras: string[]): string[] {
  if (!paras.every((p) => /^\d+\.\s/.test(p))) return paras
  return paras.map((p, i) => p.replace(/^\d+\./, `${i + 1}.`))
}

function buildContext(input: NoticeInputT, tpl: NoticeTemplate): Ctx {
  const ctx: Ctx = new Map()
  const common = (name: string, value: string | undefined, type: FieldType = 'text') =>
    ctx.set(name, { value, type, label: name, required: true })
  for (const f of tpl.fields) {
    ctx.set(f.name, {
      value: input.fields[f.name],
      type: f.type,
      label: f.label,
      required: f.requiredFor.includes(input.outcome),
    })
  }
  const procedure = loadProcedures().procedures.find((p) => p.id === input.procedureId)
  common('aktenzeichen', input.aktenzeichen)
  common('kassenzeichen', kassenzeichen(input.aktenzeichen))
  common('date', input.date, 'date')
  common('procedure.name', procedure?.name)
  common('addressee.name', input.addressee.name)
  common('clerk.name', input.clerk.name)
  for (const [k, v] of Object.entries(input.authority))
    if (typeof v === 'string') common(`authority.${k}`, v)
  return ctx
}

function paragraphsToBlocks(paras: Paragraph[], ctx: Ctx, numbered: boolean): Block[] {
  if (numbered) {
    const items: string[] = []
    for (const p of paras) {
      const list = listItems(p, ctx)
      if (list) items.push(...list)
      else {
        const t = fillParagraph(p, ctx)
        if (t !== null) items.push(t)
      }
    }
    return items.length ? [{ type: 'list', items, marker: 'number' }] : []
  }
  const blocks: Block[] = []
  for (const p of paras) {
    const list = listItems(p, ctx)
    if (list) {
      if (list.length) blocks.push({ type: 'list', items: list, marker: 'dash' })
      continue
    }
    const t = fillParagraph(p, ctx)
    if (t !== null) blocks.push({ type: 'para', text: t })
  }
  return blocks
}

/** The amount a fee notice asks for: the sum of its money items in cents, or null when none is set. */
export function paymentAmount(ot: OutcomeTemplate, fields: NoticeInputT['fields']): number | null {
  const values = (ot.payment?.items ?? [])
    .map((name) => fields[name])
    .filter((v): v is number => typeof v === 'number')
  if (!values.length) return null
  return Math.round(values.reduce((a, b) => a + Math.round(b * 100), 0)) / 100
}

/** „Zahlungsangaben“: amount (and its parts), due day, recipient, bank, IBAN, BIC, Kassenzeichen. */
function paymentBlocks(input: NoticeInputT, tpl: NoticeTemplate, ot: OutcomeTemplate): Block[] {
  const pay = ot.payment
  const total = pay ? paymentAmount(ot, input.fields) : null
  if (!pay || total === null || total <= 0) return []
  // „Gebühr (§ 107 Abs. 1 OWiG)“ → „Gebühr“: the norm is cited in the Kostenentscheidung
  const labels = new Map(tpl.fields.map((f) => [f.name, f.label.replace(/\s*\(.*\)$/, '')]))
  const parts = pay.items.flatMap((name): Array<[string, string]> => {
    const v = input.fields[name]
    return typeof v === 'number' && v > 0 ? [[labels.get(name) ?? name, formatMoney(v)]] : []
  })
  const bank = input.authority.payment
  const kz = kassenzeichen(input.aktenzeichen)
  const due = paymentDue(input.date, input.channel ?? 'post', pay.due)
  const rows: Array<[string, string]> = [
    ...(parts.length > 1 ? parts : []),
    ['Zu zahlender Betrag', formatMoney(total)],
    ['Zahlbar bis', formatDateDe(due)],
    ['Empfänger', bank?.recipient ?? '[fehlt: Bankverbindung der Behörde]'],
    ...(bank
      ? ([
          ['Kreditinstitut', bank.bank],
          ['IBAN', formatIban(bank.iban)],
          ['BIC', bank.bic],
        ] as Array<[string, string]>)
      : []),
    ['Kassenzeichen', kz],
    ['Verwendungszweck', `${kz} Az. ${input.aktenzeichen}`],
  ]
  return [
    { type: 'heading', text: 'Zahlungsangaben' },
    { type: 'table', title: 'Zahlungsangaben', rows },
    {
      type: 'para',
      text: 'Bitte geben Sie bei der Überweisung das Kassenzeichen an; nur so kann Ihre Zahlung zugeordnet werden.',
    },
  ]
}

function reasonsBlocks(input: NoticeInputT, tpl: NoticeTemplate, ctx: Ctx): Block[] {
  const blocks: Block[] = []
  for (const para of input.reasons.split(/\n\s*\n/)) {
    const text = para.replace(PLACEHOLDER, (whole, name: string) => {
      const e = ctx.get(name)
      return (e && valueText(e)) ?? whole
    })
    if (text.trim()) blocks.push({ type: 'para', text: text.trim() })
  }
  const h = input.hearing
  if (h?.done)
    blocks.push({
      type: 'para',
      text: `Sie wurden am ${formatDateDe(h.date)} angehört (${tpl.hearing.legalBasis}).`,
    })
  else if (h && !h.done && h.dispensableReason.trim()) {
    blocks.push({
      type: 'para',
      text: `Von einer Anhörung (${tpl.hearing.legalBasis}) wurde abgesehen, weil ${h.dispensableReason.trim().replace(/\.$/, '')}.`,
    })
  } else if (hearingRequired(tpl, input.outcome)) {
    blocks.push({ type: 'para', text: '[fehlt: Vermerk über die Anhörung]' })
  }
  return blocks
}

/** Baut das Briefmodell eines Bescheids (ohne zu zeichnen). */
export function buildNoticeSpec(raw: NoticeInputT): LetterSpec {
  const input = NoticeInput.parse(raw)
  const tpl = loadNoticeTemplate(input.procedureId)
  const ot: OutcomeTemplate | undefined = tpl.outcomes[input.outcome]
  if (!ot)
    throw new Error(`Für dieses Verfahren ist das Ergebnis „${input.outcome}“ nicht vorgesehen.`)
  const ctx = buildContext(input, tpl)

  const subject = fillParagraph(tpl.subject, ctx) ?? ''
  const blocks: Block[] = []
  const intro = fillParagraph(ot.intro, ctx)
  if (intro) blocks.push({ type: 'para', text: intro })
  blocks.push({ type: 'center', text: ot.heading })
  const tenor = renumber(
    ot.tenor.map((p) => fillParagraph(p, ctx)).filter((t): t is string => t !== null),
  )
  for (const t of tenor) blocks.push({ type: 'para', text: t })

  if (ot.nebenbestimmungen) {
    const nb = paragraphsToBlocks(ot.nebenbestimmungen.paragraphs, ctx, true)
    if (nb.length) blocks.push({ type: 'heading', text: ot.nebenbestimmungen.title }, ...nb)
  }
  if (ot.kostenentscheidung?.length) {
    const kb = paragraphsToBlocks(ot.kostenentscheidung, ctx, false)
    if (kb.length) blocks.push({ type: 'heading', text: 'Kostenentscheidung' }, ...kb)
  }
  blocks.push(...paymentBlocks(input, tpl, ot))
  blocks.push({ type: 'heading', text: 'Begründung' }, ...reasonsBlocks(input, tpl, ctx))
  const remedy = ot.legalRemedy ?? tpl.legalRemedy
  if (remedy)
    blocks.push(
      { type: 'heading', text: remedy.title },
      ...paragraphsToBlocks(remedy.paragraphs, ctx, false),
    )

  const dateDe = formatDateDe(input.date)
  return {
    authority: input.authority,
    addressee: input.addressee,
    aktenzeichen: input.aktenzeichen,
    date: input.date,
    clerk: input.clerk,
    subject: [subject],
    salutation: input.addressee.salutation ?? tpl.salutation,
    blocks,
    closing: tpl.closing,
    runningTitle: `${ot.heading} vom ${dateDe}`,
    metadata: {
      title: `${ot.heading} vom ${dateDe}, Az. ${input.aktenzeichen}`,
      subject,
      keywords: [input.aktenzeichen, input.procedureId, ot.label],
    },
  }
}

/** Setzt den Bescheid; das offene Dokument kann direkt signiert werden (signNotice). */
export async function layoutNotice(
  input: NoticeInputT,
  opts?: RenderOptions,
): Promise<RenderedLetter> {
  return layoutLetter(buildNoticeSpec(input), opts)
}

/** Bescheid als PDF (unsigniert, PDF/A-2b-nah). Rendert auch unvollständige Eingaben (Vorschau). */
export async function renderNotice(input: NoticeInputT, opts?: RenderOptions): Promise<Uint8Array> {
  const { doc } = await layoutNotice(input, opts)
  return saveLetter(doc)
}

// ---------------------------------------------------------------- Nachforderung

export const DocumentRequestInput = z.object({
  procedureId: z.string().optional(),
  authority: Authority,
  addressee: Addressee,
  aktenzeichen: z.string().min(1),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  clerk: Clerk,
  /** Datum des Antrags (JJJJ-MM-TT), optional */
  applicationDate: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
  requestedDocuments: z.array(z.string().min(1)).min(1, 'Mindestens eine Unterlage angeben.'),
  /** Frist (JJJJ-MM-TT), bereits nach § 31 VwVfG berechnet */
  deadline: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  /** zusätzlicher Absatz, z. B. Erläuterung zu einer Unterlage */
  note: z.string().optional(),
  /** how the application came in: the portal is offered only to those who used it */
  channel: z.enum(['online', 'paper', 'phone']).default('online'),
})
export type DocumentRequestInput = z.input<typeof DocumentRequestInput>

export function buildDocumentRequestSpec(raw: DocumentRequestInput): LetterSpec {
  const input = DocumentRequestInput.parse(raw)
  const procedure = input.procedureId
    ? loadProcedures().procedures.find((p) => p.id === input.procedureId)
    : undefined
  const social = input.procedureId === 'wohngeld'
  const subjectBase = procedure
    ? `Ihr Antrag: ${procedure.name}${input.applicationDate ? ` vom ${formatDateDe(input.applicationDate)}` : ''}`
    : `Ihr Antrag${input.applicationDate ? ` vom ${formatDateDe(input.applicationDate)}` : ''}`
  const deadline = formatDateDe(input.deadline)
  const blocks: Block[] = [
    {
      type: 'para',
      text: 'zur weiteren Bearbeitung Ihres Antrags benötige ich noch die folgenden Unterlagen:',
    },
    { type: 'list', items: input.requestedDocuments, marker: 'number' },
  ]
  if (input.note?.trim()) blocks.push({ type: 'para', text: input.note.trim() })
  blocks.push(
    {
      type: 'para',
      text: `Bitte reichen Sie die Unterlagen bis zum ${deadline} ein – ${input.channel === 'online' ? 'über das Serviceportal, per Post oder persönlich' : 'per Post oder persönlich'}. Geben Sie dabei bitte das Aktenzeichen ${input.aktenzeichen} an.`,
      bold: false,
    },
    {
      type: 'para',
      text: social
        ? 'Werden die Unterlagen nicht fristgerecht vorgelegt, kann die Leistung ohne weitere Ermittlungen ganz oder teilweise versagt werden, bis die Mitwirkung nachgeholt wird (§§ 60, 66 SGB I).'
        : 'Werden die Unterlagen nicht fristgerecht vorgelegt, muss über Ihren Antrag nach Aktenlage entschieden werden; das kann zur Ablehnung führen (§ 26 Abs. 2 VwVfG).',
    },
    {
      type: 'para',
      text: `Bei Fragen erreichen Sie mich telefonisch unter ${input.clerk.phone} oder per E-Mail an ${input.clerk.email}.`,
    },
  )
  const dateDe = formatDateDe(input.date)
  return {
    authority: input.authority,
    addressee: input.addressee,
    aktenzeichen: input.aktenzeichen,
    date: input.date,
    clerk: input.clerk,
    subject: [subjectBase, `Anforderung fehlender Unterlagen – Frist bis ${deadline}`],
    salutation: input.addressee.salutation ?? 'Sehr geehrte Damen und Herren,',
    blocks,
    closing: { greeting: 'Mit freundlichen Grüßen', signatureNote: 'Im Auftrag' },
    runningTitle: `Schreiben vom ${dateDe}`,
    metadata: {
      title: `Nachforderung von Unterlagen vom ${dateDe}, Az. ${input.aktenzeichen}`,
      subject: `Anforderung fehlender Unterlagen – Frist bis ${deadline}`,
      keywords: [input.aktenzeichen, input.procedureId ?? '', 'Nachforderung'].filter(Boolean),
    },
  }
}

/** Nachforderungsschreiben (Liste der Unterlagen + Frist) im selben Briefbild. */
export async function renderDocumentRequestLetter(
  input: DocumentRequestInput,
  opts?: RenderOptions,
): Promise<Uint8Array> {
  const { doc } = await layoutLetter(buildDocumentRequestSpec(input), opts)
  return saveLetter(doc)
}
