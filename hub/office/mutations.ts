// Applies office mutation batches: dedupe by id, role checks, version conflicts, effects, change feed.
import type { Database } from 'better-sqlite3'
import { forbidden } from '../problems'
import { Reject, createCaseEffects, rejected } from './apply'
import type { MutationResult } from './apply'
import type { OfficeDirectory, OfficeUser } from './directory'
import { COLLIDING, mutationEnvelope, payloadSchemas } from './payloads'
import type { MutationType, PayloadOf } from './payloads'
import type { OfficeCaseRow, OfficeStatements } from './store'

export type { CaseSnapshot, MutationResult, MutationStatus } from './apply'

/** The actor of a batch: a user from the directory, or `system` (intake registrations only). */
export type Actor =
  { kind: 'system' } | { kind: 'user'; user: OfficeUser } | { kind: 'unknown'; userId: string }

export function resolveActor(directory: OfficeDirectory, userId: string): Actor {
  if (userId === 'system') return { kind: 'system' }
  const user = directory.users.find((u) => u.userId === userId)
  return user ? { kind: 'user', user } : { kind: 'unknown', userId }
}

/** Permission by type alone (before looking at versions). */
function typeForbidden(actor: Actor, type: MutationType): string | null {
  if (actor.kind === 'unknown') return `Unknown user ${actor.userId}.`
  // Intake acts as `system`: it registers cases, files documents a follow-up submission brought
  // and resumes the case that waited for them (status changes are checked further in applyOne).
  if (actor.kind === 'system')
    return type === 'case.register' || type === 'case.document' || type === 'case.status'
      ? null
      : 'The system actor may only register cases and file submitted documents.'
  const role = actor.user.role
  if (type === 'case.cosign' && role !== 'lead') return 'Only a team lead may co-sign a decision.'
  if (type === 'case.reopen' && role !== 'records')
    return 'Only records management may reopen a closed case.'
  if (type === 'case.assign' && role === 'records')
    return 'Records management does not assign cases.'
  return null
}

/** Permission that depends on the case (assignments by clerks). */
function stateForbidden(
  actor: Actor,
  type: MutationType,
  payload: unknown,
  c: OfficeCaseRow,
): string | null {
  if (actor.kind === 'system' && type === 'case.status') {
    const p = payload as PayloadOf<'case.status'>
    return p.from === 'nachforderung' && p.to === 'in_bearbeitung'
      ? null
      : 'The system actor may only resume a case that waited for documents.'
  }
  if (type !== 'case.assign' || actor.kind !== 'user' || actor.user.role === 'lead') return null
  const me = actor.user.userId
  const p = payload as PayloadOf<'case.assign'>
  if (p.assignee === me && c.assignee === null) return null // take an unassigned case
  if (p.assignee === null && c.assignee === me) return null // return one's own case
  if (p.assignee === me && c.assignee === me) return null // no-op
  if (p.assignee !== null && p.assignee !== me)
    return 'Only a team lead may assign a case to someone else.'
  return 'Only a team lead may reassign a case that belongs to someone else.'
}

export function createMutationApplier(
  db: Database,
  q: OfficeStatements,
  directory: () => OfficeDirectory,
) {
  const { snapshot, register, effect } = createCaseEffects(q)

  function applyOne(
    raw: unknown,
    actor: Actor,
    by: string,
    deskId: string,
    now: string,
  ): MutationResult {
    const env = mutationEnvelope.safeParse(raw)
    const rawId = (raw as { mutationId?: unknown } | null)?.mutationId
    const fallbackId = typeof rawId === 'string' ? rawId.slice(0, 100) : ''
    if (!env.success) {
      return {
        mutationId: fallbackId,
        status: 'rejected',
        problem: rejected(
          'validation',
          'Invalid mutation',
          env.error.issues
            .slice(0, 3)
            .map((i) => `${i.path.join('.')}: ${i.message}`)
            .join('; '),
        ),
      }
    }
    const m = env.data
    const first = q.getMutation.get(m.mutationId)
    if (first) {
      const r = JSON.parse(first.result) as MutationResult
      return {
        mutationId: m.mutationId,
        status: 'duplicate',
        ...(r.version !== undefined ? { version: r.version } : {}),
      }
    }
    if (!(m.type in payloadSchemas)) {
      return {
        mutationId: m.mutationId,
        status: 'rejected',
        problem: rejected('unknown-type', 'Unknown mutation type', `Unknown type ${m.type}.`),
      }
    }
    const type = m.type as MutationType
    const parsed = payloadSchemas[type].safeParse(m.payload)
    if (!parsed.success) {
      return {
        mutationId: m.mutationId,
        status: 'rejected',
        problem: rejected(
          'validation',
          'Invalid payload',
          parsed.error.issues
            .slice(0, 3)
            .map((i) => `${i.path.join('.')}: ${i.message}`)
            .join('; '),
        ),
      }
    }
    const payload = parsed.data
    const denied = typeForbidden(actor, type)
    if (denied)
      return {
        mutationId: m.mutationId,
        status: 'rejected',
        problem: forbidden(denied).toProblem(),
      }

    try {
      return db.transaction((): MutationResult => {
        let result: MutationResult
        if (type === 'case.register') {
          result = register(m, payload as PayloadOf<'case.register'>, by, deskId, now)
          if (result.status !== 'applied') return result
        } else {
          const c = q.getCase.get(m.caseId)
          if (!c)
            throw new Reject(
              rejected(
                'not-found',
                'Case not found',
                `Case ${m.caseId} is not registered at the hub.`,
              ),
            )
          if (c.status === 'abgeschlossen' && type !== 'case.reopen') {
            throw new Reject(
              rejected('read-only', 'Case closed', 'The case is closed (zdA) and read-only.'),
            )
          }
          if (type === 'case.reopen' && c.status !== 'abgeschlossen') {
            throw new Reject(
              rejected(
                'invalid-transition',
                'Case not closed',
                'Only a closed case can be reopened.',
              ),
            )
          }
          if (COLLIDING.has(type) && q.collidedSince.get(c.case_id, m.baseVersion, deskId)) {
            return { mutationId: m.mutationId, status: 'conflict', current: snapshot(c) }
          }
          const stateDenied = stateForbidden(actor, type, payload, c)
          if (stateDenied) throw new Reject(forbidden(stateDenied).toProblem())
          const v = c.version + 1
          effect(type, payload, c, v, by, now)
          result = { mutationId: m.mutationId, status: 'applied', version: v }
        }
        q.insertMutation.run(m.mutationId, deskId, m.caseId, type, JSON.stringify(result), now)
        q.insertChange.run(
          m.caseId,
          type,
          result.version,
          now,
          by,
          deskId,
          COLLIDING.has(type) ? 1 : 0,
          m.mutationId,
          JSON.stringify({ ...m.payload, mutationId: m.mutationId }),
        )
        return result
      })()
    } catch (e) {
      if (e instanceof Reject)
        return { mutationId: m.mutationId, status: 'rejected', problem: e.problem }
      throw e
    }
  }

  return {
    snapshot,
    /** One outer transaction per batch (one commit), each mutation in its own savepoint. */
    applyBatch(
      deskId: string,
      userId: string,
      mutations: unknown[],
      now: string,
    ): MutationResult[] {
      const actor = resolveActor(directory(), userId)
      return db.transaction(() => mutations.map((m) => applyOne(m, actor, userId, deskId, now)))()
    },
  }
}
