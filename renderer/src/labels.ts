import { statusLabels, type CaseView } from '../../preload/contract/index'

export const statusLabel = statusLabels

/** Eingangsweg of a case. */
export const channelLabel: Record<'online' | 'paper' | 'phone', string> = {
  online: 'Serviceportal (online)',
  paper: 'Papier',
  phone: 'Telefon',
}

export const viewLabel: Record<CaseView, string> = {
  posteingang: 'Posteingang',
  meine: 'Meine Vorgänge',
  wiedervorlage: 'Wiedervorlagen heute',
  ueberfaellig: 'Überfällig',
  vertretung: 'Vertretung',
  alle: 'Alle Vorgänge',
}

const dateFmt = new Intl.DateTimeFormat('de-DE', {
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
})
const dateTimeFmt = new Intl.DateTimeFormat('de-DE', {
  dateStyle: 'medium',
  timeStyle: 'short',
  timeZone: 'Europe/Berlin',
})

/** Formats YYYY-MM-DD (local date) or an ISO timestamp as a German date. */
export function formatDate(value: string | null | undefined): string {
  if (!value) return '—'
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
  if (m) return `${m[3]}.${m[2]}.${m[1]}`
  const d = new Date(value)
  return Number.isNaN(d.getTime()) ? value : dateFmt.format(d)
}
export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '—'
  const d = new Date(value)
  return Number.isNaN(d.getTime()) ? value : dateTimeFmt.format(d)
}
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024)
    return `${(bytes / 1024).toLocaleString('de-DE', { maximumFractionDigits: 1 })} KB`
  return `${(bytes / 1024 / 1024).toLocaleString('de-DE', { maximumFractionDigits: 1 })} MB`
}
export function daysLeftLabel(days: number | null): string {
  if (days === null) return ''
  if (days < 0) return `${-days} ${days === -1 ? 'Tag' : 'Tage'} überfällig`
  if (days === 0) return 'heute fällig'
  return `noch ${days} ${days === 1 ? 'Tag' : 'Tage'}`
}

/** „1 Vorgang“, „2 Vorgänge“, „1.234 Vorgänge“. */
export function countLabel(n: number, one: string, many: string): string {
  return `${n.toLocaleString('de-DE')} ${n === 1 ? one : many}`
}

/** Who did it, as the Verlauf shows it: the intake's automatic steps are not a person. */
export function actorLabel(actor: string): string {
  return actor === 'system' ? 'Eingang (automatisch)' : actor
}

const documentKinds: Record<string, string> = {
  antrag: 'Antrag',
  anlage: 'Anlage',
  bescheid: 'Bescheid',
  nachforderung: 'Nachforderung',
  nachreichung: 'Nachreichung',
}
/** „Antrag · Formulardaten“, „Anlage · PDF“: the document's kind and file type in German, never a MIME type. */
export function documentKindLabel(kind: string, mimeType: string): string {
  const type =
    mimeType === 'application/pdf'
      ? 'PDF'
      : mimeType.startsWith('image/')
        ? 'Bild'
        : mimeType === 'application/json'
          ? 'Formulardaten'
          : /xml/.test(mimeType)
            ? 'XML-Daten'
            : 'Datei'
  return `${documentKinds[kind] ?? 'Dokument'} · ${type}`
}

const intakeProblems: Record<string, string> = {
  'encryption-issue': 'Verschlüsselung fehlerhaft',
  'invalid-metadata': 'Metadaten ungültig',
  'hash-mismatch': 'Prüfsumme stimmt nicht',
  'missing-attachment': 'Anlage fehlt',
  'invalid-data': 'Antragsdaten ungültig',
  'unsupported-schema': 'Formular nicht unterstützt',
  'invalid-attachment': 'Anlage ungültig',
}
/** The German name of an intake problem (the type URI's last segment is the code). */
export function intakeProblemLabel(type: string): string {
  return intakeProblems[type.split('/').pop() ?? ''] ?? 'Sonstiger Fehler'
}
