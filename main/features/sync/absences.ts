/**
 * Vertretung through the hub (issue #13): a Vertretung entered or ended on this desk is queued
 * and pushed (PUT/DELETE /office/v1/absences/{id}) under the token of the person who entered it;
 * then the office's list is pulled and replaces the local one, except what still waits to go.
 * Idempotent by absence id, so a lost answer or a second pass changes nothing. The rights
 * (main/core/rights.ts) read the local table, so a substitute's rights follow the office's dates.
 */
import type { Db } from '../../../db/open'
import {
  allAbsences,
  deleteAbsence,
  upsertAbsence,
  type AbsenceRecord,
} from '../../../db/repositories/absences'
import { getSetting, setSetting } from '../../../db/repositories/settings'
import { HubProblemError, type OfficeAbsence, type OfficeClient } from '../../hub-client'
import type { AppContext } from '../../core/context'

const KEY = 'office.absences.pending'

/** The three absence calls of the office client, each for one user (their access token). */
export interface AbsenceClient {
  /** every Vertretung the office knows */
  list(userToken?: string, signal?: AbortSignal): Promise<OfficeAbsence[]>
  /** creates or replaces one (idempotent by absenceId) */
  put(a: Omit<OfficeAbsence, 'by'>, userToken?: string, signal?: AbortSignal): Promise<void>
  /** ends one; an absence the hub does not know counts as ended */
  remove(absenceId: string, userToken?: string, signal?: AbortSignal): Promise<void>
}

export function absenceClientOf(office: OfficeClient): AbsenceClient {
  return {
    list: (userToken, signal) => office.absences({ userToken, signal }),
    put: (a, userToken, signal) => office.putAbsence(a, { userToken, signal }),
    async remove(absenceId, userToken, signal) {
      try {
        await office.deleteAbsence(absenceId, { userToken, signal })
      } catch (err) {
        if (err instanceof HubProblemError && err.status === 404) return
        throw err
      }
    },
  }
}

/** A local change not yet accepted by the hub; `by` is whose token carries it. */
export type PendingAbsence =
  | { op: 'put'; absence: AbsenceRecord; by: string }
  | { op: 'delete'; absenceId: string; by: string }

export const pendingAbsences = (db: Db): PendingAbsence[] =>
  getSetting<PendingAbsence[]>(db, KEY) ?? []

/** Queues a new or changed Vertretung for the hub (inside the caller's transaction). */
export function queueAbsencePut(db: Db, absence: AbsenceRecord, by: string): void {
  const rest = pendingAbsences(db).filter((p) => idOf(p) !== absence.id)
  setSetting(db, KEY, [...rest, { op: 'put', absence, by }])
}

/**
 * Queues the end of a Vertretung (it replaces a put still waiting: the hub may have taken that
 * one already with its answer lost, so the delete goes anyway).
 */
export function queueAbsenceDelete(db: Db, absenceId: string, by: string): void {
  const rest = pendingAbsences(db).filter((p) => idOf(p) !== absenceId)
  setSetting(db, KEY, [...rest, { op: 'delete', absenceId, by }])
}

const idOf = (p: PendingAbsence) => (p.op === 'put' ? p.absence.id : p.absenceId)

/** Where the sync engine gets a user's access token (main/core/identity.ts `UserTokenSource`). */
export interface AbsenceTokens {
  tokenFor(userId: string): Promise<string | undefined>
}

export interface AbsenceCounts {
  pushed: number
  /** refused by the hub (not allowed, invalid): dropped, the office's state wins */
  refused: number
  /** waiting for their author to sign in again */
  waiting: number
  /** local Vertretungen added, changed or removed to match the office */
  pulled: number
}

/**
 * Pushes the queue, then pulls the office's Vertretungen; null when the hub shares none (404) or
 * the signed-in user has no valid token. Without a token source the calls go with the desk's
 * credential alone (the hub before per-user tokens).
 */
export async function syncAbsences(
  ctx: AppContext,
  client: AbsenceClient,
  tokens?: AbsenceTokens,
  signal?: AbortSignal,
): Promise<AbsenceCounts | null> {
  const counts: AbsenceCounts = { pushed: 0, refused: 0, waiting: 0, pulled: 0 }
  const token = async (userId: string): Promise<string | undefined | null> =>
    tokens ? ((await tokens.tokenFor(userId)) ?? null) : undefined
  const me = await token(ctx.currentUser().userId)
  const list = async () => {
    try {
      return await client.list(me ?? undefined, signal)
    } catch (err) {
      // a hub without Vertretung (before issue #13): nothing to share, the queue waits
      if (err instanceof HubProblemError && err.status === 404) return null
      throw err
    }
  }
  // the signed-in user must be signed in at the office to read the list; the queue waits as well
  if (me === null) return null
  let office = await list()
  if (!office) return null
  for (const p of pendingAbsences(ctx.db)) {
    const t = await token(p.by)
    if (t === null) {
      counts.waiting++
      continue
    }
    try {
      if (p.op === 'put') {
        const a = p.absence
        await client.put(
          {
            absenceId: a.id,
            userId: a.userId,
            substituteId: a.substituteId,
            from: a.from,
            until: a.until,
          },
          t,
          signal,
        )
      } else await client.remove(p.absenceId, t, signal)
      counts.pushed++
    } catch (err) {
      // network and 5xx: the phase retries; 401: its author must sign in again, it waits
      if (!(err instanceof HubProblemError) || err.status >= 500) throw err
      if (err.status === 401) {
        counts.waiting++
        continue
      }
      // any other 4xx: the office does not take it (rights, dates); its state wins
      counts.refused++
    }
    dequeue(ctx.db, p)
  }
  if (counts.pushed || counts.refused) office = (await list()) ?? office
  applyOffice(ctx, office, counts)
  if (counts.pulled || counts.pushed || counts.refused)
    ctx.events.emit('changed', { tags: [{ type: 'Absences' }, { type: 'CaseList' }] })
  return counts
}

/** The office's list replaces the local one, except what still waits to go. */
function applyOffice(ctx: AppContext, office: OfficeAbsence[], counts: AbsenceCounts): void {
  const at = ctx.clock.now().toISOString()
  ctx.db.transaction(() => {
    const waiting = new Set(pendingAbsences(ctx.db).map(idOf))
    const known = new Set(office.map((a) => a.absenceId))
    const local = new Map(allAbsences(ctx.db).map((a) => [a.id, a]))
    for (const id of local.keys())
      if (!known.has(id) && !waiting.has(id)) {
        deleteAbsence(ctx.db, id)
        counts.pulled++
      }
    for (const a of office) {
      if (waiting.has(a.absenceId)) continue
      const mine = local.get(a.absenceId)
      const same =
        mine &&
        mine.userId === a.userId &&
        mine.substituteId === a.substituteId &&
        mine.from === a.from &&
        mine.until === a.until
      if (same) continue
      upsertAbsence(ctx.db, {
        id: a.absenceId,
        userId: a.userId,
        substituteId: a.substituteId,
        from: a.from,
        until: a.until,
        createdBy: a.by,
        createdAt: at,
      })
      counts.pulled++
    }
  })()
}

/** Removes exactly this queued change (a newer one for the same absence stays). */
function dequeue(db: Db, done: PendingAbsence): void {
  const rest = pendingAbsences(db).filter((p) => JSON.stringify(p) !== JSON.stringify(done))
  setSetting(db, KEY, rest)
}
