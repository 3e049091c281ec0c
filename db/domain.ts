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

/** Statuses in which the case is decided: no statutory deadline runs any more, nothing is overdue. */
export const DECIDED_STATUSES: readonly CaseStatus[] = ['entschieden', 'versandt', 'abgeschlossen']
export const isDecided = (s: CaseStatus): boolean => DECIDED_STATUSES.includes(s)

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

/** The outcomes a decision can have (each template names them in its own words, e.g. „Bewilligung“). */
export const OUTCOMES = [
  'stattgegeben',
  'teilweise_stattgegeben',
  'abgelehnt',
  'eingestellt',
] as const
export type Outcome = (typeof OUTCOMES)[number]

export const CASE_VIEWS = [
  'posteingang',
  'meine',
  'wiedervorlage',
  'ueberfaellig',
  'vertretung',
  'alle',
] as const
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
  /** Eingangsweg: the Serviceportal, or typed in from paper or a phone call. */
  channel: 'online' | 'paper' | 'phone'
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

/** A submission parked in the intake quarantine (could not be stored, not clearly rejectable). */
export interface QuarantinedSubmission {
  submissionId: string
  hubCaseId: string | null
  firstFailedAt: string
  lastFailedAt: string
  attempts: number
  /** German explanation for the clerk */
  reason: string
  /** technical detail for the log / support */
  detail: string
  retryRequested: boolean
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
