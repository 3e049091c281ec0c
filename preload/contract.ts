/**
 * The one declaration of the API the renderer sees (architecture.md, rule 2): method names,
 * zod input schemas, result types and event names. Main registers handlers from it, the preload
 * and the browser bridge expose it, the renderer consumes it through RTK Query.
 */
import { z } from 'zod'

/** Phantom marker that carries a result type without runtime cost. */
const returns = <T>() => undefined as unknown as T

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Datum im Format JJJJ-MM-TT erwartet')
const id = z.string().min(1, 'Kennung fehlt').max(100, 'Kennung zu lang')

import {
  CASE_STATUSES as caseStatuses,
  CASE_VIEWS as caseViews,
  CASE_SORTS as caseSorts,
  STATUS_LABELS as statusLabels,
  type CaseStatus,
  type CaseView,
  type CaseSummary,
  type DocumentMeta,
  type HistoryEntry,
  type Note,
  type IntakeLogEntry,
} from '../db/domain'

// The case vocabulary is declared once in db/domain.ts; the contract passes it on.
export { caseStatuses, caseViews, caseSorts, statusLabels }
export type { CaseStatus, CaseView, CaseSummary, DocumentMeta, HistoryEntry, Note, IntakeLogEntry }
export interface FormField {
  path: string
  label: string
  value: string
  depth: number
}
export interface Transition {
  to: CaseStatus
  allowed: boolean
  reason: string | null
}
export interface CaseDetail extends CaseSummary {
  closedAt: string | null
  retentionEnd: string | null
  archivedAt: string | null
  canClose: boolean
  assigneeName: string | null
  transitions: Transition[]
  checklist: string[]
  applicantAddress: string
  channel: 'online' | 'paper' | 'phone'
  submissionId: string | null
  procedureName: string
  form: FormField[]
  version: number
  daysLeft: number | null
  documents: DocumentMeta[]
  history: HistoryEntry[]
  notes: Note[]
}
export interface SyncStatus {
  online: boolean | null
  running: boolean
  lastSuccessAt: string | null
  lastError: string | null
  pending: number
  conflicts: number
  hubConfigured: boolean
  /** outbox entries the office rejected (see sync.outbox) */
  failed: number
  /** after network errors: when the next background attempt (the probe) is due */
  nextAttemptAt: string | null
}
export interface SyncRunResult {
  intake: { accepted: number; rejected: number; acknowledged: number; total: number }
  durationMs: number
  online: boolean
  error: string | null
  outbox?: { sent: number; duplicates: number; conflicts: number; rejected: number; adopted: number; renumbered: number; batches: number }
  changes?: { applied: number; skipped: number; pages: number; blobs: number }
}
/** One entry of the Synchronisation screen (office outbox). */
export interface OutboxEntryView {
  seq: number
  mutationId: string
  type: string
  /** e.g. „Zuweisung“, „Vermerk“ */
  typeLabel: string
  caseId: string
  aktenzeichen: string | null
  state: 'pending' | 'conflict' | 'rejected'
  /** e.g. „Wartet auf Übertragung“, „Konflikt – bitte entscheiden“, „Vom Büro abgelehnt“ */
  stateLabel: string
  at: string
  actorName: string
  attempts: number
  lastError: string | null
  /** for rejected entries: the hub's problem document */
  problem: { type: string; title: string; detail?: string } | null
}
/** A conflict: the desk's own change and the office's state of the same case. */
export interface ConflictView {
  mutationId: string
  caseId: string
  type: string
  typeLabel: string
  at: string
  actor: string
  actorName: string
  officeVersion: number
  /** side by side, already in German display form */
  fields: { field: string; label: string; mine: string; office: string }[]
  local: unknown
  office: unknown
}
export const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
export type Role = 'clerk' | 'lead' | 'records' | 'readonly'
export interface DirectoryUser {
  userId: string
  name: string
  role: Role
  teamId: string
}
export interface ActionResult {
  mutationId: string | null
}
export interface AppInfo {
  version: string
  mode: 'electron' | 'browser'
  user: { id: string; name: string; role: Role }
  today: string
  procedures: { id: string; name: string }[]
}

export type Outcome = 'stattgegeben' | 'teilweise_stattgegeben' | 'abgelehnt' | 'eingestellt'
export const outcomes = ['stattgegeben', 'teilweise_stattgegeben', 'abgelehnt', 'eingestellt'] as const
export type DecisionFieldValue = number | string | string[]
export type HearingRecord = { done: true; date: string } | { done: false; dispensableReason: string }
export interface DecisionFieldDef {
  name: string
  label: string
  type: 'money' | 'date' | 'text' | 'list'
  required: boolean
  hint?: string
}
export interface MissingPart {
  code: string
  messageDe: string
}
export interface DecisionView {
  decision: {
    outcome: Outcome
    fields: Record<string, DecisionFieldValue>
    reasons: string
    hearing: HearingRecord | null
    decidedBy: string
    decidedAt: string
    cosignRequired: boolean
    cosignedBy: string | null
    cosignedAt: string | null
    /** the co-signer's optional comment */
    cosignComment: string | null
    /** user id of the person who decided (four eyes compare identities, never names) */
    decidedById: string
    /** the template's name of the outcome, e.g. „Bewilligung“ */
    outcomeLabel: string
    /** open fields or placeholders: the decision is a draft, the case not „Entschieden“ */
    draft: boolean
    open: MissingPart[]
    /** the team lead sent it back instead of co-signing */
    returned: { byName: string; at: string; note: string } | null
    noticeDocumentId: string | null
    /** postal channel: when the printed notice was noted as handed to the post */
    postedAt: string | null
    dispatchDate: string | null
    channel: 'post' | 'portal' | null
    deliveredOn: string | null
    objectionEnd: string | null
  } | null
  outcomes: { value: Outcome; label: string; reasonsSkeleton: string; fields: DecisionFieldDef[]; hearingRequired: boolean }[]
  hearingLegalBasis: string
  /** field values taken from the submitted form (and the date of receipt) */
  prefill: Record<string, string>
  missing: MissingPart[]
  canDecide: boolean
  canCosign: boolean
  /** complete and waiting for the team lead's co-signature */
  cosignPending: boolean
  canIssue: boolean
  certificates: { value: 'personal' | 'seal'; label: string; passwordRemembered: boolean }[]
  noticeLate: { dispatchDate: string } | null
}

/** A decision waiting for the team lead's co-signature (Mitzeichnung inbox). */
export interface CosignInboxRow {
  caseId: string
  aktenzeichen: string
  applicantName: string
  procedureName: string
  outcomeLabel: string
  decidedByName: string
  decidedAt: string
  deadline: string | null
  amounts: { label: string; value: string }[]
}
/** What signing and sending today would do (first step of „Signieren und versenden“). */
export interface NoticeSummary {
  addressee: string[]
  channel: 'post' | 'portal'
  channelLabel: string
  outcomeLabel: string
  amounts: { label: string; value: string }[]
  dispatchDate: string
  deliveredOn: string | null
  objectionEnd: string | null
}
/** A signed notice for the postal channel not yet handed to the post (Postausgang). */
export interface PostOutboxRow {
  caseId: string
  aktenzeichen: string
  addressee: string[]
  outcomeLabel: string
  dispatchDate: string
  documentId: string
  filename: string
}

export interface WorkloadRow {
  key: string
  label: string
  open: number
  dueSoon: number
  overdue: number
  waiting: number
  decidedThisWeek: number
}
export interface Dashboard {
  today: string
  clerks: WorkloadRow[]
  procedures: WorkloadRow[]
  unassigned: { count: number; oldest: { id: string; aktenzeichen: string; receivedAt: string } | null }
  throughput: { week: string; decided: number; received: number }[]
  ageBuckets: { label: string; count: number }[]
}
export interface Absence {
  id: string
  userId: string
  userName: string
  substituteId: string
  substituteName: string
  from: string
  until: string
}
export interface BalanceProposal {
  caseId: string
  aktenzeichen: string
  deadline: string | null
  assignee: string
  assigneeName: string
}

export const listColumns = ['aktenzeichen', 'applicant', 'procedure', 'status', 'assignee', 'received', 'deadline', 'followUp'] as const
export type ListColumn = (typeof listColumns)[number]
export interface SavedView {
  id: string
  name: string
  view: CaseView
  sort: (typeof caseSorts)[number]
  direction: 'asc' | 'desc'
  procedureId?: string
  status?: CaseStatus
}

export interface DisposalRow {
  id: string
  aktenzeichen: string
  subject: string
  procedureName: string
  fileCode: string
  closedAt: string
  retentionEnd: string
  disposal: string
  transferred: boolean
}

export const contract = {
  'app.info': { input: z.object({}).strict(), result: returns<AppInfo>() },
  'cases.list': {
    input: z
      .object({
        view: z.enum(caseViews).default('alle'),
        sort: z.enum(caseSorts).default('deadline'),
        direction: z.enum(['asc', 'desc']).default('asc'),
        procedureId: id.optional(),
        status: z.enum(caseStatuses).optional(),
        assignee: id.optional(),
        deadlineFrom: isoDate.optional(),
        deadlineTo: isoDate.optional(),
        /** only cases still to be decided */
        openOnly: z.boolean().optional(),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(500).default(50),
      })
      .strict(),
    result: returns<{ total: number; rows: CaseSummary[] }>(),
  },
  'cases.counts': {
    input: z.object({}).strict(),
    result: returns<Record<CaseView, number>>(),
  },
  'cases.get': { input: z.object({ id }).strict(), result: returns<CaseDetail>() },
  'cases.search': {
    input: z
      .object({
        query: z.string().trim().min(1, 'Suchbegriff fehlt').max(200, 'Suchbegriff zu lang'),
        limit: z.number().int().min(1).max(200).default(50),
      })
      .strict(),
    result: returns<{ rows: (CaseSummary & { snippet: string })[] }>(),
  },
  'documents.content': {
    input: z.object({ id }).strict(),
    result: returns<{ mimeType: string; filename: string; base64: string }>(),
  },
  'intake.log': {
    input: z.object({ limit: z.number().int().min(1).max(1000).default(200) }).strict(),
    result: returns<{ entries: IntakeLogEntry[] }>(),
  },
  'cases.take': { input: z.object({ id }).strict(), result: returns<ActionResult>() },
  'cases.release': {
    input: z.object({ id, reason: z.string().trim().max(500).optional() }).strict(),
    result: returns<ActionResult>(),
  },
  'cases.setStatus': {
    input: z.object({ id, to: z.enum(caseStatuses), reason: z.string().trim().max(500).optional() }).strict(),
    result: returns<ActionResult>(),
  },
  'cases.addNote': {
    input: z
      .object({
        id,
        text: z.string().trim().min(1, 'Der Vermerk ist leer').max(10_000, 'Der Vermerk ist zu lang'),
        kind: z.enum(['note', 'phone']).default('note'),
        party: z.string().trim().max(200).optional(),
      })
      .strict(),
    result: returns<ActionResult>(),
  },
  'cases.setFollowUp': {
    input: z.object({ id, date: isoDate.nullable(), reason: z.string().trim().max(500).optional() }).strict(),
    result: returns<ActionResult>(),
  },
  'cases.requestDocuments': {
    input: z
      .object({
        id,
        items: z.array(z.string().trim().min(1).max(200)).min(1, 'Mindestens eine Unterlage auswählen').max(20),
        deadline: isoDate,
      })
      .strict(),
    result: returns<ActionResult>(),
  },
  'session.users': { input: z.object({}).strict(), result: returns<{ users: DirectoryUser[] }>() },
  'session.login': { input: z.object({ userId: id }).strict(), result: returns<AppInfo['user']>() },
  'team.dashboard': { input: z.object({}).strict(), result: returns<Dashboard>() },
  'team.balance': {
    input: z.object({ limit: z.number().int().min(1).max(500).default(100), ids: z.array(id).max(500).optional() }).strict(),
    result: returns<{ proposal: BalanceProposal[] }>(),
  },
  'cases.assign': {
    input: z
      .object({
        ids: z.array(id).min(1, 'Keine Vorgänge ausgewählt').max(500),
        assignee: id.nullable(),
        reason: z.string().trim().max(500).optional(),
      })
      .strict(),
    result: returns<{ assigned: number }>(),
  },
  'team.absences': { input: z.object({}).strict(), result: returns<{ absences: Absence[] }>() },
  'team.setAbsence': {
    input: z.object({ userId: id, substituteId: id, from: isoDate, until: isoDate }).strict(),
    result: returns<{ id: string }>(),
  },
  'team.endAbsence': { input: z.object({ id }).strict(), result: returns<{ id: string }>() },
  'views.list': { input: z.object({}).strict(), result: returns<{ views: SavedView[]; columns: ListColumn[] }>() },
  'views.save': {
    input: z
      .object({
        name: z.string().trim().min(1, 'Name fehlt').max(80),
        view: z.enum(caseViews),
        sort: z.enum(caseSorts),
        direction: z.enum(['asc', 'desc']),
        procedureId: id.optional(),
        status: z.enum(caseStatuses).optional(),
      })
      .strict(),
    result: returns<SavedView>(),
  },
  'views.delete': { input: z.object({ id }).strict(), result: returns<{ id: string }>() },
  'views.setColumns': {
    input: z.object({ columns: z.array(z.enum(listColumns)).min(1, 'Mindestens eine Spalte').max(listColumns.length) }).strict(),
    result: returns<{ columns: ListColumn[] }>(),
  },
  'cases.close': { input: z.object({ id }).strict(), result: returns<ActionResult>() },
  'cases.reopen': {
    input: z.object({ id, reason: z.string().trim().min(1, 'Bitte einen Grund angeben').max(1000) }).strict(),
    result: returns<ActionResult>(),
  },
  'archive.list': { input: z.object({}).strict(), result: returns<{ rows: DisposalRow[] }>() },
  'archive.export': {
    input: z.object({ ids: z.array(id).min(1, 'Keine Vorgänge ausgewählt').max(200) }).strict(),
    result: returns<{ prozessId: string; offer: { fileName: string; base64: string }; transfer: { fileName: string; base64: string } }>(),
  },
  'archive.importReceipt': {
    input: z.object({ xml: z.string().min(1, 'Datei ist leer').max(5_000_000, 'Datei ist zu groß') }).strict(),
    result: returns<{ messageType: string; deleted: number; failed: number; note: string }>(),
  },
  'decisions.get': { input: z.object({ id }).strict(), result: returns<DecisionView>() },
  'decisions.decide': {
    input: z
      .object({
        id,
        outcome: z.enum(outcomes),
        fields: z.record(
          z.string().regex(/^[a-zA-Z][a-zA-Z0-9]*$/).max(60),
          z.union([z.number().finite().min(0).max(1e9), z.string().max(2000), z.array(z.string().max(500)).max(50)]),
        ),
        reasons: z.string().max(20_000, 'Die Begründung ist zu lang'),
        hearing: z
          .union([
            z.object({ done: z.literal(true), date: isoDate }).strict(),
            z.object({ done: z.literal(false), dispensableReason: z.string().trim().min(1, 'Grund fehlt').max(2000) }).strict(),
          ])
          .optional(),
      })
      .strict(),
    result: returns<ActionResult>(),
  },
  'decisions.cosign': {
    input: z.object({ id, comment: z.string().trim().max(2000, 'Die Anmerkung ist zu lang').optional() }).strict(),
    result: returns<ActionResult>(),
  },
  'decisions.returnForChanges': {
    input: z.object({ id, note: z.string().trim().min(1, 'Bitte eine Anmerkung für die Sachbearbeitung angeben').max(2000, 'Die Anmerkung ist zu lang') }).strict(),
    result: returns<ActionResult>(),
  },
  'decisions.cosignInbox': { input: z.object({}).strict(), result: returns<{ rows: CosignInboxRow[] }>() },
  'notices.summary': { input: z.object({ id, channel: z.enum(['post', 'portal']).default('post') }).strict(), result: returns<NoticeSummary>() },
  'notices.postOutbox': { input: z.object({}).strict(), result: returns<{ rows: PostOutboxRow[] }>() },
  'notices.markPosted': { input: z.object({ id }).strict(), result: returns<ActionResult>() },
  'notices.confirmLate': { input: z.object({ id }).strict(), result: returns<ActionResult>() },
  'notices.forgetPassword': { input: z.object({ certificate: z.enum(['personal', 'seal']) }).strict(), result: returns<{ forgotten: true }>() },
  'notices.preview': { input: z.object({ id }).strict(), result: returns<{ base64: string; missing: MissingPart[] }>() },
  'notices.issue': {
    input: z
      .object({
        id,
        certificate: z.enum(['personal', 'seal']),
        /** optional when the user let the OS keep it (see `remember`) */
        password: z.string().max(200).optional(),
        remember: z.boolean().optional(),
        channel: z.enum(['post', 'portal']).default('post'),
        confirmLate: z.boolean().optional(),
      })
      .strict(),
    result: returns<ActionResult>(),
  },
  'sync.run': { input: z.object({}).strict(), result: returns<SyncRunResult>() },
  'sync.status': { input: z.object({}).strict(), result: returns<SyncStatus>() },
  'sync.outbox': {
    input: z
      .object({
        states: z.array(z.enum(['pending', 'conflict', 'rejected'])).min(1).default(['pending', 'conflict', 'rejected']),
        limit: z.number().int().min(1).max(1000).default(200),
      })
      .strict(),
    result: returns<{ entries: OutboxEntryView[]; counts: { pending: number; conflicts: number; failed: number } }>(),
  },
  'sync.retry': { input: z.object({ mutationId: id.optional() }).strict(), result: returns<{ requeued: number }>() },
  'conflicts.get': { input: z.object({ caseId: id }).strict(), result: returns<{ conflicts: ConflictView[] }>() },
  'conflicts.resolve': {
    input: z.object({ mutationId: id, choice: z.enum(['office', 'mine']) }).strict(),
    result: returns<ActionResult>(),
  },
  'cases.create': {
    input: z
      .object({
        procedureId: id,
        applicantName: z.string().trim().min(1, 'Name der antragstellenden Person fehlt').max(300),
        applicantAddress: z.string().trim().min(1, 'Anschrift fehlt').max(500),
        subject: z.string().trim().max(300).optional(),
        formData: z.record(z.string(), z.unknown()).optional(),
        channel: z.enum(['paper', 'phone']),
        attachments: z
          .array(
            z
              .object({
                filename: z.string().min(1).max(1000),
                mimeType: z.string().max(200),
                // base64 of at most MAX_ATTACHMENT_BYTES
                base64: z.string().max(Math.ceil((MAX_ATTACHMENT_BYTES * 4) / 3) + 4, 'Die Datei ist größer als 20 MB'),
              })
              .strict(),
          )
          .max(20, 'Höchstens 20 Anlagen')
          .default([]),
      })
      .strict(),
    result: returns<{ caseId: string; aktenzeichen: string; mutationId: string }>(),
  },
} as const

export { isoDate }

export type Contract = typeof contract
export type Method = keyof Contract
export type Input<M extends Method> = z.input<Contract[M]['input']>
export type ParsedInput<M extends Method> = z.output<Contract[M]['input']>
export type Result<M extends Method> = Contract[M]['result']
export const methods = Object.keys(contract) as Method[]

/** Entity tags carried by the `changed` event so RTK Query refetches exactly what changed. */
export type EntityTag = { type: 'Case'; id?: string } | { type: 'CaseList' } | { type: 'IntakeLog' } | { type: 'Sync' }

export interface Events {
  changed: { tags: EntityTag[] }
  'sync.progress': { phase: 'intake' | 'outbox' | 'changes'; done: number; total: number }
  'sync.status': SyncStatus
}
export type EventName = keyof Events
export const eventNames: EventName[] = ['changed', 'sync.progress', 'sync.status']

export interface ApiError {
  code: string
  message: string
}
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ApiError }

/** `cases.list` → `{ cases: { list } }`: the namespaced object the renderer sees. */
type Namespaces = Method extends `${infer N}.${string}` ? N : never
type MethodsOf<N extends string> = Extract<Method, `${N}.${string}`>
type Leaf<M extends Method> = M extends `${string}.${infer L}` ? L : never
export type AktenflussApi = {
  [N in Namespaces]: {
    [M in MethodsOf<N> as Leaf<M>]: (input: Input<M>) => Promise<Envelope<Result<M>>>
  }
} & {
  events: {
    subscribe: <E extends EventName>(name: E, listener: (payload: Events[E]) => void) => () => void
  }
}

export const IPC_CALL = 'aktenfluss:call'
export const IPC_EVENT = 'aktenfluss:event'
