/** Anhörungsschreiben (§ 28 VwVfG) als PDF im Briefbild des Bescheids und der Nachforderung. */
import { z } from 'zod'
import type { Block, LetterSpec, RenderOptions } from './letterLayout'
import { formatDateDe, layoutLetter, saveLetter } from './letterLayout'
import { Addressee, Authority, Clerk, loadProcedures } from './noticeModel'

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/)

export const HearingLetterInput = z.object({
  procedureId: z.string().optional(),
  authority: Authority,
  addressee: Addressee,
  aktenzeichen: z.string().min(1),
  date: day,
  clerk: Clerk,
  applicationDate: day.optional(),
  /** the intended decision in words, e.g. „Ablehnung“ */
  intended: z.string().min(1),
  /** the facts the decision rests on, on which the applicant may comment */
  points: z.array(z.string().min(1)).min(1, 'Mindestens einen Punkt angeben.'),
  /** Frist zur Äußerung (JJJJ-MM-TT) */
  deadline: day,
  /** the legal basis of the hearing, from the procedure's template */
  legalBasis: z.string().min(1).default('§ 28 Abs. 1 VwVfG'),
  channel: z.enum(['online', 'paper', 'phone']).default('online'),
})
export type HearingLetterInput = z.input<typeof HearingLetterInput>

export function buildHearingLetterSpec(raw: HearingLetterInput): LetterSpec {
  const input = HearingLetterInput.parse(raw)
  const procedure = input.procedureId
    ? loadProcedures().procedures.find((p) => p.id === input.procedureId)
    : undefined
  const applied = input.applicationDate ? ` vom ${formatDateDe(input.applicationDate)}` : ''
  const subjectBase = procedure ? `Ihr Antrag: ${procedure.name}${applied}` : `Ihr Antrag${applied}`
  const deadline = formatDateDe(input.deadline)
  const subject = `Anhörung nach ${input.legalBasis} – Äußerung bis ${deadline}`
  const blocks: Block[] = [
    {
      type: 'para',
      text: `nach dem bisherigen Stand der Prüfung beabsichtige ich, über Ihren Antrag wie folgt zu entscheiden: ${input.intended}. Bevor ich entscheide, gebe ich Ihnen nach ${input.legalBasis} Gelegenheit, sich zu den für die Entscheidung erheblichen Tatsachen zu äußern:`,
    },
    { type: 'list', items: input.points, marker: 'number' },
    {
      type: 'para',
      text: `Ihre Äußerung senden Sie bitte bis zum ${deadline} – ${input.channel === 'online' ? 'über das Serviceportal, per Post oder persönlich' : 'per Post oder persönlich'}. Geben Sie dabei bitte das Aktenzeichen ${input.aktenzeichen} an. Sie können auch Unterlagen beifügen, die Ihre Angaben belegen.`,
    },
    {
      type: 'para',
      text: 'Äußern Sie sich bis dahin nicht, entscheide ich nach Aktenlage. Dieses Schreiben ist noch keine Entscheidung über Ihren Antrag.',
    },
    {
      type: 'para',
      text: `Bei Fragen erreichen Sie mich telefonisch unter ${input.clerk.phone} oder per E-Mail an ${input.clerk.email}.`,
    },
  ]
  const dateDe = formatDateDe(input.date)
  return {
    authority: input.authority,
    addressee: input.addressee,
    aktenzeichen: input.aktenzeichen,
    date: input.date,
    clerk: input.clerk,
    subject: [subjectBase, subject],
    salutation: input.addressee.salutation ?? 'Sehr geehrte Damen und Herren,',
    blocks,
    closing: { greeting: 'Mit freundlichen Grüßen', signatureNote: 'Im Auftrag' },
    runningTitle: `Schreiben vom ${dateDe}`,
    metadata: {
      title: `Anhörung vom ${dateDe}, Az. ${input.aktenzeichen}`,
      subject,
      keywords: [input.aktenzeichen, input.procedureId ?? '', 'Anhörung'].filter(Boolean),
    },
  }
}

export async function renderHearingLetter(
  input: HearingLetterInput,
  opts?: RenderOptions,
): Promise<Uint8Array> {
  const { doc } = await layoutLetter(buildHearingLetterSpec(input), opts)
  return saveLetter(doc)
}
