import { statusLabels, type CaseView } from '../../preload/contract/index'

export const statusLabel = statusLabels

export const viewLabel: Record<CaseView, string> = {
  posteingang: 'Posteingang',
  meine: 'Meine Vorgänge',
  wiedervorlage: 'Wiedervorlagen heute',
  ueberfaellig: 'Überfällig',
  vertretung: 'Vertretung',
  alle: 'Alle Vorgänge',
}


const dateFmt = new Intl.DateTimeFormat('de-DE', { day: '2-digit', month: '2-digit', year: 'numeric' })
const dateTimeFmt = new Intl.DateTimeFormat('de-DE', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Berlin' })

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
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toLocaleString('de-DE', { maximumFractionDigits: 1 })} KB`
  return `${(bytes / 1024 / 1024).toLocaleString('de-DE', { maximumFractionDigits: 1 })} MB`
}
export function daysLeftLabel(days: number | null): string {
  if (days === null) return ''
  if (days < 0) return `${-days} ${days === -1 ? 'Tag' : 'Tage'} überfällig`
  if (days === 0) return 'heute fällig'
  return `noch ${days} ${days === 1 ? 'Tag' : 'Tage'}`
}
