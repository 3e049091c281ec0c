/**
 * Bescheid-Datenmodell: Eingaben (NoticeInput), Vorlagen (assets/notices/<id>.json),
 * Verfahrenskonfiguration (assets/procedures.json) und die Prüfung vor dem Signieren.
 */
import { z } from 'zod'
import { readAssetJson } from './assets'

import { OUTCOMES } from '../../../db/domain'
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

export const OutcomeTemplate = z.object({
  label: z.string(),
  heading: z.string(),
  intro: z.string(),
  tenor: z.array(Paragraph).min(1),
  reasonsSkeleton: z.string(),
  nebenbestimmungen: Section.optional(),
  kostenentscheidung: z.array(Paragraph).optional(),
  legalRemedy: Section.optional(),
})
export type OutcomeTemplate = z.infer<typeof OutcomeTemplate>

export const NoticeTemplate = z.object({
  procedureId: z.string(),
  version: z.number().int(),
  subject: Paragraph,
  salutation: z.string(),
  hearing: z.object({ legalBasis: z.string(), requiredFor: z.array(Outcome) }),
  fields: z.array(FieldDef),
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

let proceduresCache: ProceduresConfig | undefined
const templateCache = new Map<string, NoticeTemplate>()

export function loadProcedures(): ProceduresConfig {
  proceduresCache ??= ProceduresConfig.parse(readAssetJson('procedures.json'))
  return proceduresCache
}

export function listProcedureIds(): string[] {
  return loadProcedures().procedures.map((p) => p.id)
}

export class UnknownProcedureError extends Error {
  override readonly name = 'UnknownProcedureError'
  constructor(readonly procedureId: string) {
    super(`Unbekanntes Verfahren „${procedureId}“. Verfügbar: ${listProcedureIds().join(', ')}.`)
  }
}

/** Vorlage eines Verfahrens (zod-geprüft, gecacht). */
export function loadNoticeTemplate(procedureId: string): NoticeTemplate {
  const cached = templateCache.get(procedureId)
  if (cached) return cached
  if (!/^[a-z0-9-]+$/.test(procedureId) || !listProcedureIds().includes(procedureId))
    throw new UnknownProcedureError(procedureId)
  const tpl = NoticeTemplate.parse(readAssetJson('notices', `${procedureId}.json`))
  templateCache.set(procedureId, tpl)
  return tpl
}

/**
 * Die Felder eines Ergebnisses: Pflicht für das Ergebnis oder in seinen Texten (Einleitung, Tenor,
 * Begründung, Nebenbestimmungen …) verwendet. Andere Felder werden weder gezeigt noch gespeichert.
 */
export function fieldsOfOutcome(tpl: NoticeTemplate, outcome: Outcome): FieldDef[] {
  const o = tpl.outcomes[outcome]
  if (!o) return []
  const texts = JSON.stringify(o)
  return tpl.fields.filter(
    (f) =>
      f.requiredFor.includes(outcome) || new RegExp(`\\{\\{\\s*${f.name}\\s*\\}\\}`).test(texts),
  )
}

/** Eingabefelder für die UI: Name, Label, Typ, Pflicht – nur die Felder des gewählten Ergebnisses. */
export function decisionFields(
  procedureId: string,
  outcome: Outcome,
): Array<FieldDef & { required: boolean }> {
  return fieldsOfOutcome(loadNoticeTemplate(procedureId), outcome).map((f) => ({
    ...f,
    required: f.requiredFor.includes(outcome),
  }))
}

/** Beispiel-Eingabe aus der Vorlage (Demo, Skript, Tests). */
const unitOf = (procedureId: string): { department?: string } => {
  const unit = loadProcedures().procedures.find((p) => p.id === procedureId)?.unit
  return unit ? { department: unit } : {}
}

export function sampleNoticeInput(procedureId: string, outcome?: Outcome): NoticeInput {
  const tpl = loadNoticeTemplate(procedureId)
  const s = structuredClone(tpl.sample)
  return {
    procedureId,
    // the letterhead names the unit of the procedure (Wohngeldstelle, Bußgeldstelle …)
    authority: { ...structuredClone(loadProcedures().authority), ...unitOf(procedureId) },
    addressee: s.addressee,
    aktenzeichen: s.aktenzeichen,
    date: s.date,
    outcome: outcome ?? s.outcome,
    fields: s.fields,
    reasons: s.reasons,
    hearing: s.hearing,
    clerk: s.clerk,
  }
}

// ---------------------------------------------------------------- Prüfung

export type MissingPartCode =
  | 'INVALID_INPUT'
  | 'UNKNOWN_PROCEDURE'
  | 'OUTCOME_NOT_SUPPORTED'
  | 'AUTHORITY_MISSING'
  | 'ADDRESSEE_MISSING'
  | 'AKTENZEICHEN_MISSING'
  | 'CLERK_MISSING'
  | 'REASONS_MISSING'
  | 'LEGAL_REMEDY_MISSING'
  | 'FIELD_MISSING'
  | 'FIELD_INVALID'
  | 'HEARING_MISSING'

export interface MissingPart {
  code: MissingPartCode
  messageDe: string
  /** Feldname bei FIELD_MISSING/FIELD_INVALID. */
  field?: string
}

const blank = (s: string | undefined) => !s || s.trim() === ''

export function isFieldValueValid(def: FieldDef, v: FieldValue | undefined): boolean {
  if (v === undefined) return true
  switch (def.type) {
    case 'money':
      return typeof v === 'number' && Number.isFinite(v) && v >= 0
    case 'date':
      return (
        typeof v === 'string' &&
        /^\d{4}-\d{2}-\d{2}$/.test(v) &&
        !Number.isNaN(Date.parse(`${v}T00:00:00Z`))
      )
    case 'text':
      return typeof v === 'string'
    case 'list':
      return Array.isArray(v)
  }
}

function isFieldEmpty(v: FieldValue | undefined): boolean {
  if (v === undefined) return true
  if (typeof v === 'string') return v.trim() === ''
  if (Array.isArray(v)) return v.filter((x) => x.trim() !== '').length === 0
  return false
}

export function hearingRequired(tpl: NoticeTemplate, outcome: Outcome): boolean {
  return ADVERSE_OUTCOMES.includes(outcome) || tpl.hearing.requiredFor.includes(outcome)
}

/**
 * Was fehlt, bevor der Bescheid signiert werden darf? Leere Liste = vollständig.
 * Nimmt auch ungeprüfte Eingaben (z. B. direkt aus der UI) und meldet dann INVALID_INPUT.
 */
export function checkNotice(raw: unknown): MissingPart[] {
  const parsed = NoticeInput.safeParse(raw)
  if (!parsed.success) {
    return parsed.error.issues.map((i) => ({
      code: 'INVALID_INPUT' as const,
      messageDe: `Ungültige Angabe bei „${i.path.join('.') || 'Eingabe'}“: ${i.message}`,
    }))
  }
  const input = parsed.data
  const missing: MissingPart[] = []
  let tpl: NoticeTemplate
  try {
    tpl = loadNoticeTemplate(input.procedureId)
  } catch (e) {
    if (e instanceof UnknownProcedureError)
      return [{ code: 'UNKNOWN_PROCEDURE', messageDe: e.message }]
    throw e
  }
  const outcomeTpl = tpl.outcomes[input.outcome]
  if (!outcomeTpl) {
    missing.push({
      code: 'OUTCOME_NOT_SUPPORTED',
      messageDe: `Für dieses Verfahren ist das Ergebnis „${OUTCOME_LABELS[input.outcome]}“ nicht vorgesehen.`,
    })
  }
  const a = input.authority
  if (blank(a.name) || blank(a.street) || blank(a.postalCode) || blank(a.city)) {
    missing.push({
      code: 'AUTHORITY_MISSING',
      messageDe: 'Die erlassende Behörde (Name und Anschrift) fehlt.',
    })
  }
  const ad = input.addressee
  if (blank(ad.name) || blank(ad.street) || blank(ad.postalCode) || blank(ad.city)) {
    missing.push({
      code: 'ADDRESSEE_MISSING',
      messageDe: 'Der Adressat (Name, Straße, Postleitzahl und Ort) ist unvollständig.',
    })
  }
  if (blank(input.aktenzeichen))
    missing.push({ code: 'AKTENZEICHEN_MISSING', messageDe: 'Das Aktenzeichen fehlt.' })
  if (blank(input.clerk.name))
    missing.push({
      code: 'CLERK_MISSING',
      messageDe: 'Der Name der Sachbearbeiterin bzw. des Sachbearbeiters fehlt.',
    })
  if (blank(input.reasons)) {
    missing.push({ code: 'REASONS_MISSING', messageDe: 'Die Begründung fehlt (§ 39 VwVfG).' })
  } else {
    const open = openPlaceholders(input.reasons)
    if (open.length) {
      const labels = new Map([
        ...tpl.fields.map((f) => [f.name, f.label] as const),
        ...Object.entries(tpl.reasonsData ?? {}).map(([name, d]) => [name, d.label] as const),
        ['hearingDate', 'Datum der Anhörung'] as const,
      ])
      missing.push({
        code: 'REASONS_MISSING',
        messageDe: `Die Begründung enthält noch offene Stellen: ${describeOpen(open, labels)}.`,
      })
    }
  }
  const remedy = outcomeTpl?.legalRemedy ?? tpl.legalRemedy
  if (!remedy || remedy.paragraphs.length === 0 || blank(a.objectionAddress)) {
    missing.push({
      code: 'LEGAL_REMEDY_MISSING',
      messageDe:
        'Die Rechtsbehelfsbelehrung fehlt (Vorlage ohne Belehrung oder keine Anschrift für Widersprüche).',
    })
  }
  for (const def of tpl.fields) {
    const v = input.fields[def.name]
    if (def.requiredFor.includes(input.outcome) && isFieldEmpty(v)) {
      missing.push({
        code: 'FIELD_MISSING',
        field: def.name,
        messageDe: `Pflichtangabe fehlt: ${def.label}.`,
      })
    } else if (!isFieldValueValid(def, v)) {
      missing.push({
        code: 'FIELD_INVALID',
        field: def.name,
        messageDe: `Ungültige Angabe: ${def.label}.`,
      })
    }
  }
  if (hearingRequired(tpl, input.outcome)) {
    const h = input.hearing
    if (!h || (h.done === false && blank(h.dispensableReason))) {
      missing.push({
        code: 'HEARING_MISSING',
        messageDe: `Die Anhörung (${tpl.hearing.legalBasis}) ist nicht vermerkt. Tragen Sie das Datum der Anhörung ein oder den Grund, aus dem von ihr abgesehen werden konnte.`,
      })
    }
  }
  return missing
}

/** Offene Stellen eines Textes: {{platzhalter}} und [eckige Klammern], in Textreihenfolge. */
export function openPlaceholders(text: string): string[] {
  return [...text.matchAll(/\{\{\s*[\w.]+\s*\}\}|\[[^\]]*\]/g)].map((m) => m[0])
}

/** „Monatliches Wohngeld, [Anzahl], [Begründung]“ – Platzhalter von Feldern mit ihrem Label. */
export function describeOpen(open: string[], labels: Map<string, string>): string {
  const shown = open.map((o) => {
    const name = /^\{\{\s*([\w.]+)\s*\}\}$/.exec(o)?.[1]
    if (name) return `„${labels.get(name) ?? name}“`
    return o.length > 60 ? `${o.slice(0, 57)}…]` : o
  })
  return [...new Set(shown)].join(', ')
}

/** Fehler, wenn ein unvollständiger Bescheid signiert werden soll. */
export class NoticeIncompleteError extends Error {
  override readonly name = 'NoticeIncompleteError'
  constructor(readonly missing: MissingPart[]) {
    super(
      `Der Bescheid kann nicht signiert werden. Es fehlt:\n${missing.map((m) => `– ${m.messageDe}`).join('\n')}`,
    )
  }
}
