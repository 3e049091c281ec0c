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

export const caseStatuses = [
  'eingegangen',
  'in_bearbeitung',
  'nachforderung',
  'entscheidungsreif',
  'entschieden',
  'versandt',
  'abgeschlossen',
] as const
export type CaseStatus = (typeof caseStatuses)[number]
export const caseViews = ['posteingang', 'meine', 'wiedervorlage', 'ueberfaellig', 'alle'] as const
export type CaseView = (typeof caseViews)[number]
export const caseSorts = ['deadline', 'received', 'aktenzeichen', 'applicant'] as const

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
export interface SyncStatus {
  online: boolean | null
  running: boolean
  lastSuccessAt: string | null
  lastError: string | null
  pending: number
  conflicts: number
  hubConfigured: boolean
}
export interface SyncRunResult {
  intake: { accepted: number; rejected: number; acknowledged: number; total: number }
  durationMs: number
  online: boolean
  error: string | null
}
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
  'sync.run': { input: z.object({}).strict(), result: returns<SyncRunResult>() },
  'sync.status': { input: z.object({}).strict(), result: returns<SyncStatus>() },
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
