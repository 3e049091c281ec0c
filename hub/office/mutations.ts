// Applies office mutation batches: dedupe by id, rights (role, team, assignee, Vertretung), version
// conflicts, the status machine, hub-computed co-signature, effects, change feed.
import { forbidden } from '../problems'
import type { OfficeActor, OfficePrincipal } from '../identity/officeAuth'
import { NotApplied, Reject, createCaseEffects, duplicateOf, rejected } from './apply'
import type { MutationResult } from './apply'
import { COLLIDING, mutationEnvelope, payloadSchemas } from './payloads'
import type { MutationType, PayloadOf } from './payloads'
import {
  DECIDE_FROM,
  REQUEST_DOCUMENTS_FROM,
  STATUS_TRANSITIONS,
  cosignRequired,
  loadCosignRules,
  type Rights,
} from './rights'
import type { OfficeCaseRow } from './store'
import type { HubStorage } from '../storage/hub'
import { isUniqueViolation } from '../storage/errors'

export type { CaseSnapshot, MutationResult, MutationStatus } from './apply'

export interface ApplierDeps {
  rights: Rights
  /** where a submission stands at this hub's intake face: its destination and whether a subscriber accepted it */
  submission: (
    submissionId: string,
  ) => Promise<{ destinationId: string; accepted: boolean } | undefined>
}

/** What a clerk may do on a case assigned to them (or to someone they stand in for). */
const CASEWORK = new Set<MutationType>([
  'case.status',
  'case.note',
  'case.followUp',
  'case.requestDocuments',
  'case.decide',
  'notice.issue',
  'notice.posted',
  'case.document',
])

/** Permission by role and type alone. */
function typeForbidden(actor: OfficeActor, type: MutationType): string | null {
  // intake registers cases of real submissions, files the documents a follow-up brought and
  // resumes the case that waited for them (checked per case below)
  if (actor.kind === 'system')
    return type === 'case.register' || type === 'case.document' || type === 'case.status'
      ? null
      : 'The system actor may only register cases and file submitted documents.'
  const role = actor.user.role
  if (role === 'records')
    return type === 'case.close' || type === 'case.reopen'
      ? null
      : 'Records management only closes (zdA) and reopens cases.'
  if (type === 'case.close' || type === 'case.reopen')
    return 'Only records management closes (zdA) or reopens a case.'
  if (type === 'case.cosign' && role !== 'lead') return 'Only a team lead may co-sign a decision.'
  return null
}

const deny = (detail: string) => new Reject(forbidden(detail).toProblem())
const invalidTransition = (detail: string) =>
  new Reject(rejected('invalid-transition', 'Transition not allowed', detail))

export function createMutationApplier(storage: HubStorage, deps: ApplierDeps) {
  const q = storage.q.office
  const { snapshot, register, effect } = createCaseEffects(q)
  const rules = loadCosignRules()
  const { rights } = deps

  /** system on an existing case: only one registered from a real submission of a destination this desk serves */
  async function systemMayTouch(c: OfficeCaseRow, p: OfficePrincipal): Promise<boolean> {
    if (!c.submission_id) return false
    const s = await deps.submission(c.submission_id)
    return s !== undefined && s.accepted && p.desk.destinations.includes(s.destinationId)
  }

  async function checkRegister(
    p: OfficePrincipal,
    payload: PayloadOf<'case.register'>,
  ): Promise<void> {
    const actor = p.actor
    if (actor.kind === 'system') {
      const s = payload.submissionId ? await deps.submission(payload.submissionId) : undefined
      if (!s || !p.desk.destinations.includes(s.destinationId))
        throw deny(
          'The system actor registers only submissions this desk’s destination received and accepted at the hub.',
        )
      // the desk stores the case before it posts the accept SET: a registration may overtake it
      if (!s.accepted)
        throw new Reject(
          rejected(
            'submission-not-accepted',
            'Submission not accepted yet',
            'Post accept-submission for this submission first, then send the registration again.',
          ),
        )
      return
    }
    if (payload.submissionId)
      throw deny('Online submissions are registered by intake (system), not by a user.')
    if (!rights.seesTeam(actor.user, payload.procedureId))
      throw deny('The procedure belongs to another team.')
  }

  /** Rights that depend on the case's current state (after the version check). */
  async function checkCase(
    p: OfficePrincipal,
    type: MutationType,
    payload: unknown,
    c: OfficeCaseRow,
    today: string,
  ): Promise<void> {
    const actor = p.actor
    if (actor.kind === 'system') {
      if (type === 'case.status') {
        const s = payload as PayloadOf<'case.status'>
        if (!(c.status === 'nachforderung' && s.to === 'in_bearbeitung'))
          throw deny('The system actor may only resume a case that waited for documents.')
      }
      return
    }
    const me = actor.user
    if (me.role === 'records') return
    if (type === 'case.assign') {
      const a = payload as PayloadOf<'case.assign'>
      if (me.role === 'lead') {
        const team = rights.teamOf(c.procedure_id)
        if (a.assignee !== null && (!team || !rights.userOfTeam(a.assignee, team)))
          throw deny('A case is assigned only within its team.')
        return
      }
      if (a.assignee === me.userId && (c.assignee === null || c.assignee === me.userId)) return
      if (a.assignee === null && c.assignee === me.userId) return
      if (a.assignee !== null && a.assignee !== me.userId)
        throw deny('Only a team lead may assign a case to someone else.')
      throw deny('Only a team lead may reassign a case that belongs to someone else.')
    }
    if (type === 'case.cosign') {
      const d = await q.decisionOf.get(c.case_id)
      // four eyes by identity: the decider is the acting user of the case.decide
      if (d && d.decided_by === me.userId)
        throw deny('The decider cannot co-sign their own decision.')
      return
    }
    if (me.role === 'clerk' && CASEWORK.has(type) && !(await rights.actsFor(me, c.assignee, today)))
      throw deny('A clerk acts only on cases assigned to them or to a person they stand in for.')
  }

  /** The status machine and the order of decision, co-signature, notice and closing. */
  async function checkTransition(
    type: MutationType,
    payload: unknown,
    c: OfficeCaseRow,
  ): Promise<void> {
    switch (type) {
      case 'case.status': {
        const to = (payload as PayloadOf<'case.status'>).to
        if (to !== c.status && !STATUS_TRANSITIONS[c.status]?.includes(to))
          throw invalidTransition(`No transition from ${c.status} to ${to}.`)
        return
      }
      case 'case.requestDocuments':
        if (!REQUEST_DOCUMENTS_FROM.includes(c.status))
          throw invalidTransition(`Documents cannot be requested in status ${c.status}.`)
        return
      case 'case.decide':
        if (!DECIDE_FROM.includes(c.status))
          throw invalidTransition(`A case in status ${c.status} cannot be decided.`)
        return
      case 'case.cosign': {
        const d = await q.decisionOf.get(c.case_id)
        if (
          !d ||
          !d.cosign_required ||
          d.draft ||
          d.cosigned_by ||
          c.status !== 'entscheidungsreif'
        )
          throw invalidTransition('This decision does not wait for a co-signature.')
        return
      }
      case 'notice.issue': {
        const d = await q.decisionOf.get(c.case_id)
        if (!d || d.draft || c.status !== 'entschieden')
          throw invalidTransition('A notice is issued only for a final decision.')
        if (d.cosign_required && !d.cosigned_by)
          throw invalidTransition('The decision needs its co-signature before the notice.')
        return
      }
      case 'case.close': {
        const d = await q.decisionOf.get(c.case_id)
        const closable =
          c.status === 'versandt' || (c.status === 'entschieden' && d?.outcome === 'eingestellt')
        if (!closable)
          throw invalidTransition('Only a dispatched or discontinued case can be closed (zdA).')
        return
      }
      default:
        return
    }
  }

  /** case.decide: the status and the co-signature requirement as the hub computes them. */
  function decidePayload(payload: PayloadOf<'case.decide'>, c: OfficeCaseRow) {
    const draft = payload.draft === true
    const needs = !draft && cosignRequired(rules, c.procedure_id, payload.fields)
    const status = draft
      ? c.status === 'entschieden'
        ? 'in_bearbeitung'
        : c.status
      : needs
        ? 'entscheidungsreif'
        : 'entschieden'
    return { ...payload, draft, cosignRequired: needs, status } as PayloadOf<'case.decide'>
  }

  async function applyOne(
    raw: unknown,
    p: OfficePrincipal,
    by: string,
    now: string,
    today: string,
    retried = false,
  ): Promise<MutationResult> {
    const deskId = p.desk.deskId
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
    const first = await q.getMutation.get(m.mutationId)
    if (first) return duplicateOf(m.mutationId, first.result)
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
    let payload: unknown = parsed.data
    const denied = typeForbidden(p.actor, type)
    if (denied)
      return {
        mutationId: m.mutationId,
        status: 'rejected',
        problem: forbidden(denied).toProblem(),
      }
    // what the change feed carries: the desk's payload, with the hub's own values where it computes them
    let feedPayload: Record<string, unknown> = m.payload

    try {
      return await storage.transaction(async (): Promise<MutationResult> => {
        // the claim first: a second process with the same id waits here until this one commits
        // (then 0 changes: duplicate) or rolls back (then it applies the mutation itself)
        const claim = await q.claimMutation.run(m.mutationId, deskId, m.caseId, type, now)
        if (claim.changes !== 1) {
          const row = await q.getMutation.get(m.mutationId)
          throw new NotApplied(duplicateOf(m.mutationId, row?.result ?? '{}'))
        }
        let result: MutationResult
        if (type === 'case.register') {
          await checkRegister(p, payload as PayloadOf<'case.register'>)
          result = await register(m, payload as PayloadOf<'case.register'>, by, deskId, now)
          if (result.status !== 'applied') throw new NotApplied(result)
        } else {
          const c = await q.getCase.get(m.caseId)
          if (!c)
            throw new Reject(
              rejected(
                'not-found',
                'Case not found',
                `Case ${m.caseId} is not registered at the hub.`,
              ),
            )
          if (p.actor.kind === 'system' && !(await systemMayTouch(c, p)))
            throw deny(
              'The system actor acts only on cases registered from this desk’s submissions.',
            )
          if (p.actor.kind === 'user' && !rights.seesTeam(p.actor.user, c.procedure_id))
            throw deny('The case belongs to another team.')
          if (c.status === 'abgeschlossen' && type !== 'case.reopen') {
            throw new Reject(
              rejected('read-only', 'Case closed', 'The case is closed (zdA) and read-only.'),
            )
          }
          if (type === 'case.reopen' && c.status !== 'abgeschlossen') {
            throw invalidTransition('Only a closed case can be reopened.')
          }
          if (
            COLLIDING.has(type) &&
            (await q.collidedSince.get(c.case_id, m.baseVersion, deskId))
          ) {
            throw new NotApplied({
              mutationId: m.mutationId,
              status: 'conflict',
              current: await snapshot(c),
            })
          }
          await checkCase(p, type, payload, c, today)
          await checkTransition(type, payload, c)
          if (type === 'case.decide') {
            payload = decidePayload(payload as PayloadOf<'case.decide'>, c)
            const d = payload as PayloadOf<'case.decide'>
            feedPayload = { ...m.payload, cosignRequired: d.cosignRequired, status: d.status }
          }
          const v = c.version + 1
          await effect(type, payload, c, v, by, now)
          result = { mutationId: m.mutationId, status: 'applied', version: v }
        }
        await q.setMutationResult.run(JSON.stringify(result), m.mutationId)
        // the change feed entry last: on PostgreSQL it takes the commit-ordered counter
        await q.insertChange.run(
          m.caseId,
          type,
          result.version,
          now,
          by,
          deskId,
          COLLIDING.has(type) ? 1 : 0,
          m.mutationId,
          JSON.stringify({ ...feedPayload, mutationId: m.mutationId }),
        )
        return result
      })
    } catch (e) {
      if (e instanceof NotApplied) return e.result
      if (e instanceof Reject)
        return { mutationId: m.mutationId, status: 'rejected', problem: e.problem }
      // another process registered the same case, submission or Aktenzeichen at the same moment:
      // once more against the committed state (conflict, duplicate or aktenzeichen-taken)
      if (!retried && isUniqueViolation(e)) return applyOne(raw, p, by, now, today, true)
      throw e
    }
  }

  return {
    snapshot,
    /** One outer transaction per batch (one commit), each mutation in its own savepoint. */
    async applyBatch(
      principal: OfficePrincipal,
      mutations: unknown[],
      now: string,
      today: string,
    ): Promise<MutationResult[]> {
      const by = principal.actor.kind === 'system' ? 'system' : principal.actor.user.userId
      return storage.transaction(async () => {
        const results: MutationResult[] = []
        for (const m of mutations) results.push(await applyOne(m, principal, by, now, today))
        return results
      })
    },
  }
}
