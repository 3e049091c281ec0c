/**
 * The case vocabulary shared by the database layer and the API contract (preload/contract/
 * re-exports it): one declaration of statuses, lists, sorts and the row shapes the UI sees.
 * Plain constants and types, no imports, so every layer may use it.
 */
export const CASE_STATUSES = [
  'eingegangen',
  'in_bearbeitung',
  'nachforderung',
  'entscheidungsreif',
  'entschieden',
  'versandt',
  'abgeschlossen',
] as const
export type CaseStatus = (typeof CASE_STATUSES)[number]

/** German names of the statuses, for history entries, messages and the UI. */
export const STATUS_LABELS: Record<CaseStatus, string> = {
  eingegangen: 'Eingegangen',
  in_bearbeitung: 'In Bearbeitung',
  nachforderung: 'Nachforderung',
  entscheidungsreif: 'Entscheidungsreif',
  entschieden: 'Entschieden',
  versandt: 'Versandt',
  abgeschlossen: 'Abgeschlossen (zdA)',
}

export const CASE_VIEWS = ['posteingang', 'meine', 'wiedervorlage', 'ueberfaellig', 'vertretung', 'alle'] as const
export type CaseView = (typeof CASE_VIEWS)[number]

export const CASE_SORTS = ['deadline', 'received', 'aktenzeichen', 'applicant'] as const
export type CaseSort = (typeof CASE_SORTS)[number]

export interface CaseSummary {
  id: string
  aktenzeichen: string
  procedureId: string
  subject: string
  applicantName: string
  status: CaseStatus
  assignee: string | null
  receivedAt: string
  deadline: string | null
  followUp: string | null
  syncState: string
}

export interface DocumentMeta {
  id: string
  caseId: string
  kind: string
  title: string
  filename: string
  mimeType: string
  size: number
  sha256: string
  createdAt: string
}

export interface HistoryEntry {
  seq: number
  caseId: string
  at: string
  actor: string
  action: string
  detail: string
}

export interface Note {
  id: string
  caseId: string
  kind: 'note' | 'phone'
  author: string
  text: string
  createdAt: string
}

export interface IntakeLogEntry {
  id: number
  at: string
  submissionId: string
  caseId: string | null
  procedure: string | null
  outcome: 'accepted' | 'rejected'
  problemType: string | null
  reason: string
}
