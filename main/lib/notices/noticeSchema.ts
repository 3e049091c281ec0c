// Die zod-Schemata des Bescheids: Eingabe, Vorlage (NoticeTemplate), Verfahrenskonfiguration.
import { z } from 'zod'

import { OUTCOMES } from '../../../db/domain'
import { isValidIban } from './payment'
export { OUTCOMES }
export const Outcome = z.enum(OUTCOMES)
export type Outcome = z.infer<typeof Outcome>

export const OUTCOME_LABELS: Record<Outcome, string> = {
  stattgegeben: 'stattgegeben',
  teilweise_stattgegeben: 'teilweise stattgegeben',
  abgelehnt: 'abgelehnt',
  eingestellt: 'eingestellt',
}

/** Ergebnisse, die in Rechte eingreifen: Anhörung (§ 28 VwVfG) nötig, unabhängig von der Vorlage. */
export const ADVERSE_OUTCOMES: readonly Outcome[] = ['teilweise_stattgegeben', 'abgelehnt']

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Datum im Format JJJJ-MM-TT erwartet')

/** The authority's account for fees and fines (assets/procedures.json, `authority.payment`). */
export const BankAccount = z.object({
  /** who receives the money, e.g. „Stadtkasse Görlitz“ */
  recipient: z.string().min(1),
  bank: z.string().min(1),
  iban: z.string().refine(isValidIban, 'Keine gültige IBAN (Prüfziffer stimmt nicht)'),
  bic: z.string().regex(/^[A-Z0-9]{8}([A-Z0-9]{3})?$/, 'BIC mit 8 oder 11 Zeichen erwartet'),
})
export type BankAccount = z.infer<typeof BankAccount>

export const Authority = z.object({
  name: z.string(),
  department: z.string().optional(),
  street: z.string(),
  postalCode: z.string(),
  city: z.string(),
  phone: z.string().optional(),
  email: z.string().optional(),
  web: z.string().optional(),
  objectionAddress: z.string(),
  payment: BankAccount.optional(),
})
export type Authority = z.infer<typeof Authority>

export const Addressee = z.object({
  name: z.string(),
  street: z.string(),
  postalCode: z.string(),
  city: z.string(),
  /** Anrede, z. B. „Sehr geehrte Frau Müßig,“; sonst die der Vorlage. */
  salutation: z.string().optional(),
})
export type Addressee = z.infer<typeof Addressee>

export const Hearing = z.union([
  z.object({ done: z.literal(true), date: isoDate }),
  z.object({ done: z.literal(false), dispensableReason: z.string() }),
])
export type Hearing = z.infer<typeof Hearing>

export const Clerk = z.object({ name: z.string(), phone: z.string(), email: z.string() })
export type Clerk = z.infer<typeof Clerk>

/** Wert eines Entscheidungsfelds: Geld (Euro als Zahl), Datum (JJJJ-MM-TT), Text, Liste. */
export const FieldValue = z.union([z.number(), z.string(), z.array(z.string())])
export type FieldValue = z.infer<typeof FieldValue>

export const NoticeInput = z.object({
  procedureId: z.string().min(1),
  authority: Authority,
  addressee: Addressee,
  aktenzeichen: z.string(),
  date: isoDate,
  outcome: Outcome,
  fields: z.record(z.string(), FieldValue),
  reasons: z.string(),
  hearing: Hearing.optional(),
  clerk: Clerk,
  /** how the notice goes out; the due day of a fee counts from the latest Bekanntgabe (default post) */
  channel: z.enum(['post', 'portal']).optional(),
})
export type NoticeInput = z.infer<typeof NoticeInput>

// ---------------------------------------------------------------- Vorlagen

export const FieldType = z.enum(['money', 'date', 'text', 'list'])
export type FieldType = z.infer<typeof FieldType>

export const FieldDef = z.object({
  name: z.string().regex(/^[a-zA-Z][a-zA-Z0-9]*$/),
  label: z.string(),
  type: FieldType,
  requiredFor: z.array(Outcome),
  hint: z.string().optional(),
})
export type FieldDef = z.infer<typeof FieldDef>

/** Ein Absatz oder Alternativen (der erste vollständig belegbare gilt). */
const Paragraph = z.union([z.string(), z.array(z.string()).min(1)])
export type Paragraph = z.infer<typeof Paragraph>

const Section = z.object({ title: z.string(), paragraphs: z.array(Paragraph) })
export type Section = z.infer<typeof Section>

const PeriodLength = z.union([
  z.object({ days: z.number().int().positive() }).strict(),
  z.object({ weeks: z.number().int().positive() }).strict(),
  z.object({ months: z.number().int().positive() }).strict(),
])

/**
 * What a fee notice asks to be paid: the money fields that add up to the amount (a `total` field,
 * where the template has one, must equal their sum) and when it is payable — a period after the
 * Bekanntgabe, or after finality (the objection period ended) for a fine.
 */
export const NoticePayment = z.object({
  items: z.array(z.string()).min(1),
  total: z.string().optional(),
  due: z.discriminatedUnion('after', [
    z.object({ after: z.literal('bekanntgabe'), period: PeriodLength }),
    z.object({
      after: z.literal('finality'),
      objectionPeriod: PeriodLength,
      period: PeriodLength,
    }),
  ]),
})
export type NoticePayment = z.infer<typeof NoticePayment>

export const OutcomeTemplate = z.object({
  label: z.string(),
  heading: z.string(),
  intro: z.string(),
  tenor: z.array(Paragraph).min(1),
  reasonsSkeleton: z.string(),
  nebenbestimmungen: Section.optional(),
  kostenentscheidung: z.array(Paragraph).optional(),
  legalRemedy: Section.optional(),
  payment: NoticePayment.optional(),
})
export type OutcomeTemplate = z.infer<typeof OutcomeTemplate>

export const NoticeTemplate = z.object({
  procedureId: z.string(),
  version: z.number().int(),
  subject: Paragraph,
  salutation: z.string(),
  hearing: z.object({ legalBasis: z.string(), requiredFor: z.array(Outcome) }),
  fields: z.array(FieldDef),
  /**
   * The period the notice grants (Bewilligungszeitraum …): its two date fields are the one source
   * for Tenor and Begründung; a Begründung naming another period keeps the decision a draft.
   */
  period: z
    .object({
      from: z.string(),
      to: z.string(),
      label: z.string(),
      /** a range in the Begründung is the grant period when its sentence has one of these words */
      mentions: z.array(z.string().min(1)).optional(),
    })
    .optional(),
  /** decision fields prefilled from the submitted form: field → "{{form.path}} …" */
  prefill: z.record(z.string(), z.string()).optional(),
  /**
   * Values of the submitted form the Begründung skeleton names ({{name}}) without being decision
   * fields, e.g. the number of household members: name → form path and how it is written.
   */
  reasonsData: z
    .record(
      z.string(),
      z.object({
        from: z.string(),
        type: z.enum(['money', 'count', 'text', 'date']),
        label: z.string(),
      }),
    )
    .optional(),
  outcomes: z.object({
    stattgegeben: OutcomeTemplate.optional(),
    teilweise_stattgegeben: OutcomeTemplate.optional(),
    abgelehnt: OutcomeTemplate.optional(),
    eingestellt: OutcomeTemplate.optional(),
  }),
  legalRemedy: Section.optional(),
  closing: z
    .object({ greeting: z.string(), signatureNote: z.string() })
    .default({ greeting: 'Mit freundlichen Grüßen', signatureNote: 'Im Auftrag' }),
  sample: z.object({
    outcome: Outcome,
    aktenzeichen: z.string(),
    date: isoDate,
    addressee: Addressee,
    fields: z.record(z.string(), FieldValue),
    reasons: z.string(),
    hearing: Hearing.optional(),
    clerk: Clerk,
  }),
})
export type NoticeTemplate = z.infer<typeof NoticeTemplate>

export const Procedure = z
  .object({ id: z.string(), name: z.string(), fileCode: z.string(), unit: z.string().optional() })
  .loose()
export const ProceduresConfig = z
  .object({ authority: Authority, procedures: z.array(Procedure) })
  .loose()
export type ProceduresConfig = z.infer<typeof ProceduresConfig>
