/**
 * Bescheid-Datenmodell: Eingaben (NoticeInput), Vorlagen (assets/notices/<id>.json),
 * Verfahrenskonfiguration (assets/procedures.json) und die Prüfung vor dem Signieren.
 */
import { formatMoney } from '../../../common/germanNumbers'
import { readAssetJson } from './assets'
import {
  ADVERSE_OUTCOMES,
  NoticeInput,
  NoticeTemplate,
  OUTCOME_LABELS,
  ProceduresConfig,
  type FieldDef,
  type FieldValue,
  type Outcome,
} from './noticeSchema'
export * from './noticeSchema'

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
  | 'PAYMENT_MISSING'
  | 'REASONS_CONFLICT'

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
  missing.push(...periodConflicts(tpl, input))
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
  missing.push(...paymentProblems(tpl, input))
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

const germanDay = (iso: string) => iso.split('-').reverse().join('.')
const twoDigits = (d: string) =>
  d
    .split('.')
    .map((x) => x.padStart(2, '0'))
    .join('.')

/**
 * Der Zeitraum steht im Tenor aus den Feldern der Vorlage (`period`); nennt die Begründung einen
 * anderen („vom 01.12.2026 bis 30.11.2027“), widersprechen sich Tenor und Begründung.
 */
function periodConflicts(tpl: NoticeTemplate, input: NoticeInput): MissingPart[] {
  const p = tpl.period
  const from = p ? input.fields[p.from] : undefined
  const to = p ? input.fields[p.to] : undefined
  if (!p || typeof from !== 'string' || typeof to !== 'string' || !from || !to) return []
  const granted = `${germanDay(from)} bis ${germanDay(to)}`
  const range =
    /(\d{1,2}\.\d{1,2}\.\d{4})\s*(?:bis(?:\s+(?:zum|einschließlich))?|–|-)\s*(\d{1,2}\.\d{1,2}\.\d{4})/g
  // only sentences about the grant period: an income period („Nachweise vom … bis …“) is none
  const words = (p.mentions ?? [p.label]).map((w) => w.toLowerCase())
  const sentences = input.reasons
    .split(/(?<=[.!?])\s+(?=[A-ZÄÖÜ])|\n+/)
    .filter((s) => words.some((w) => s.toLowerCase().includes(w)))
  const named = sentences.flatMap((s) =>
    [...s.matchAll(range)].map((m) => `${twoDigits(m[1]!)} bis ${twoDigits(m[2]!)}`),
  )
  return [...new Set(named.filter((r) => r !== granted))].map((r) => ({
    code: 'REASONS_CONFLICT' as const,
    messageDe: `Die Begründung nennt den Zeitraum ${r}, der Tenor den ${p.label} ${granted}. Bitte gleichen Sie die Begründung an; der Zeitraum aus den Feldern steht im Tenor.`,
  }))
}

/**
 * Ein Gebührenbescheid braucht die Bankverbindung der Behörde, und ein Gesamtbetrag der Vorlage
 * muss die Summe seiner Posten sein (Bußgeld: Geldbuße + Gebühr + Auslagen).
 */
function paymentProblems(tpl: NoticeTemplate, input: NoticeInput): MissingPart[] {
  const pay = tpl.outcomes[input.outcome]?.payment
  if (!pay) return []
  const out: MissingPart[] = []
  if (!input.authority.payment)
    out.push({
      code: 'PAYMENT_MISSING',
      messageDe:
        'Die Bankverbindung der Behörde für die Zahlungsangaben fehlt (Empfänger, IBAN, BIC in assets/procedures.json unter „authority.payment“).',
    })
  const total = pay.total ? input.fields[pay.total] : undefined
  const items = pay.items.map((n) => input.fields[n])
  const amounts = items.filter((v): v is number => typeof v === 'number')
  if (typeof total === 'number' && amounts.length === items.length) {
    const cents = amounts.reduce((a, v) => a + Math.round(v * 100), 0)
    if (Math.round(total * 100) !== cents) {
      const label = (n: string) => tpl.fields.find((f) => f.name === n)?.label ?? n
      out.push({
        code: 'FIELD_INVALID',
        field: pay.total!,
        messageDe: `${label(pay.total!)} ${formatMoney(total)} ist nicht die Summe aus ${pay.items.map(label).join(', ')} (${formatMoney(cents / 100)}). Bitte korrigieren Sie den Betrag.`,
      })
    }
  }
  return out
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
