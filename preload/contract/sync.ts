/** `sync.*` — Office synchronisation: one pass, status, the outbox, retry, conflicts. */
import { z } from 'zod'
import { type ActionResult, id, mutation, namespace, query, returns } from './shared'

/** The phases of a pass that report their own failures (besides the probe). */
export type SyncPhaseName = 'leases' | 'intake' | 'outbox' | 'changes'

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
  /** what failed in the last pass, per phase, in German (empty when every phase went through) */
  failures?: Partial<Record<SyncPhaseName, string>>
}
export interface SyncRunResult {
  intake: {
    accepted: number
    rejected: number
    acknowledged: number
    total: number
    failed?: number
  }
  durationMs: number
  online: boolean
  /** every phase's failure in one German text, or null */
  error: string | null
  /** per phase what failed (German); the other phases ran regardless */
  failures?: Partial<Record<SyncPhaseName, string>>
  outbox?: {
    sent: number
    duplicates: number
    conflicts: number
    rejected: number
    adopted: number
    renumbered: number
    batches: number
  }
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
  /** for a pending entry that waits behind a refused entry of its case: why, in German */
  waitingFor?: string | null
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

export const sync = namespace('sync', {
  run: mutation(z.object({}).strict(), returns<SyncRunResult>(), [
    { type: 'CaseList' },
    { type: 'IntakeLog' },
    { type: 'Sync' },
    { type: 'Case' },
  ]),
  status: query(z.object({}).strict(), returns<SyncStatus>(), [{ type: 'Sync' }]),
  outbox: query(
    z
      .object({
        states: z
          .array(z.enum(['pending', 'conflict', 'rejected']))
          .min(1)
          .default(['pending', 'conflict', 'rejected']),
        limit: z.number().int().min(1).max(1000).default(200),
      })
      .strict(),
    returns<{
      entries: OutboxEntryView[]
      counts: { pending: number; conflicts: number; failed: number }
    }>(),
    [{ type: 'Sync' }],
  ),
  retry: mutation(
    z.object({ mutationId: id.optional() }).strict(),
    returns<{ requeued: number }>(),
    [{ type: 'Sync' }, { type: 'Case' }, { type: 'CaseList' }],
  ),
  /** drops a refused local change (only where that is safe; recorded in the Verlauf) */
  discard: mutation(z.object({ mutationId: id }).strict(), returns<{ discarded: number }>(), [
    { type: 'Sync' },
    { type: 'Case' },
    { type: 'CaseList' },
  ]),
  conflicts: query(
    z.object({ caseId: id }).strict(),
    returns<{ conflicts: ConflictView[] }>(),
    (i) => [{ type: 'Case', id: i.caseId }, { type: 'Sync' }],
  ),
  resolveConflict: mutation(
    z.object({ mutationId: id, choice: z.enum(['office', 'mine']) }).strict(),
    returns<ActionResult>(),
    [{ type: 'Sync' }, { type: 'Case' }, { type: 'CaseList' }],
  ),
})
