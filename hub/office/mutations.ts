// Applies office mutation batches: dedupe by id, role checks, version conflicts, effects, change feed.
import type { Database } from 'better-sqlite3'
import { HttpProblem, forbidden } from '../problems'
import type { Problem } from '../problems'
import type { OfficeDirectory, OfficeUser } from './directory'
import { COLLIDING, mutationEnvelope, payloadSchemas } from './payloads'
import type { DocumentPayload, MutationType, PayloadOf } from './payloads'
import type { OfficeCaseRow, OfficeStatements } from './store'

export type MutationStatus = 'applied' | 'duplicate' | 'conflict' | 'rejected'
export interface MutationResult {
  mutationId: string
  status: MutationStatus
  version?: number
  current?: CaseSnapshot
  problem?: Problem
}

export interface CaseSnapshot {
  caseId: string
  aktenzeichen: string
  submissionId: string | null
  procedureId: string
  subject: string
  applicantName: string
  applicantAddress: string
  receivedAt: string
  deadline: string | null
  channel: string
  formData: unknown
  status: string
  assignee: string | null
  followUp: string | null
  version: number
  documents: DocumentPayload[]
  notes: { noteId: string; kind: string; author: string; text: string; createdAt: string }[]
}

/** The actor of a batch: a user from the directory, or `system` (intake registrations only). */
export type Actor =
  { kind: 'system' } | { kind: 'user'; user: OfficeUser } | { kind: 'unknown'; userId: string }

const rejected = (slug: string, title: string, detail: string) =>
  new HttpProblem(422, slug, title, detail).toProblem()

class Reject extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title)
  }
}

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

const AKTENZEICHEN = /^(.+)-(\d{4})-(\d+)$/

export function createMutationApplier(
  db: Database,
  q: OfficeStatements,
  directory: () => OfficeDirectory,
) {
  function snapshot(c: OfficeCaseRow): CaseSnapshot {
    return {
      caseId: c.case_id,
      aktenzeichen: c.aktenzeichen,
      submissionId: c.submission_id,
      procedureId: c.procedure_id,
      subject: c.subject,
      applicantName: c.applicant_name,
      applicantAddress: c.applicant_address,
      receivedAt: c.received_at,
      deadline: c.deadline,
      channel: c.channel,
      formData: JSON.parse(c.form_data) as unknown,
      status: c.status,
      assignee: c.assignee,
      followUp: c.follow_up,
      version: c.version,
      documents: q.documentsOf.all(c.case_id).map((d) => ({
        id: d.document_id,
        kind: d.kind,
        title: d.title,
        filename: d.filename,
        mimeType: d.mime_type,
        size: d.size,
        sha256: d.sha256,
        createdAt: d.created_at,
      })),
      notes: q.notesOf.all(c.case_id).map((n) => ({
        noteId: n.note_id,
        kind: n.kind,
        author: n.author,
        text: n.text,
        createdAt: n.created_at,
      })),
    }
  }

  const requireBlobs = (docs: DocumentPayload[]) => {
    for (const d of docs) {
      if (!q.hasBlob.get(d.sha256))
        throw new Reject(
          rejected(
            'missing-blob',
            'Document content missing',
            `Upload blob ${d.sha256} before the mutation.`,
          ),
        )
    }
  }
  const insertDoc = (caseId: string, d: DocumentPayload) => q.insertDocument.run({ ...d, caseId })

  function register(
    m: { mutationId: string; caseId: string },
    p: PayloadOf<'case.register'>,
    by: string,
    deskId: string,
    now: string,
  ): MutationResult {
    const bySubmission = p.submissionId ? q.caseBySubmission.get(p.submissionId) : undefined
    if (bySubmission)
      return { mutationId: m.mutationId, status: 'conflict', current: snapshot(bySubmission) }
    const existing = q.getCase.get(m.caseId)
    if (existing)
      return { mutationId: m.mutationId, status: 'conflict', current: snapshot(existing) }
    if (q.caseByAktenzeichen.get(p.aktenzeichen)) {
      throw new Reject(
        rejected(
          'aktenzeichen-taken',
          'Aktenzeichen already in use',
          `${p.aktenzeichen} belongs to another case.`,
        ),
      )
    }
    requireBlobs(p.documents)
    q.insertCase.run({
      case_id: m.caseId,
      submission_id: p.submissionId ?? null,
      aktenzeichen: p.aktenzeichen,
      procedure_id: p.procedureId,
      subject: p.subject,
      applicant_name: p.applicantName,
      applicant_address: p.applicantAddress,
      received_at: p.receivedAt,
      deadline: p.deadline,
      channel: p.channel,
      form_data: JSON.stringify(p.formData ?? {}),
      registered_by: by,
      desk_id: deskId,
      updated_at: now,
    })
    for (const d of p.documents) insertDoc(m.caseId, d)
    // a number a desk took from its own sequence is never leased to anyone afterwards
    const az = AKTENZEICHEN.exec(p.aktenzeichen)
    if (az?.[1] && az[2] && az[3]) q.bumpCounter.run(az[1], Number(az[2]), Number(az[3]) + 1)
    return { mutationId: m.mutationId, status: 'applied', version: 1 }
  }

  /** The effect of a non-register mutation on an existing case, at the new version. */
  function effect(
    type: MutationType,
    payload: unknown,
    c: OfficeCaseRow,
    v: number,
    by: string,
    now: string,
  ): void {
    const id = c.case_id
    switch (type) {
      case 'case.assign':
        q.setAssignee.run((payload as PayloadOf<'case.assign'>).assignee, v, now, id)
        return
      case 'case.status':
        q.setStatus.run((payload as PayloadOf<'case.status'>).to, v, now, id)
        return
      case 'case.followUp':
        q.setFollowUp.run((payload as PayloadOf<'case.followUp'>).date, v, now, id)
        return
      case 'case.note': {
        const p = payload as PayloadOf<'case.note'>
        q.insertNote.run(p.noteId, id, p.kind, by, p.text, now)
        q.bumpVersion.run(v, now, id)
        return
      }
      case 'case.requestDocuments': {
        const p = payload as PayloadOf<'case.requestDocuments'>
        requireBlobs([p.document])
        insertDoc(id, p.document)
        q.setStatusFollowUp.run('nachforderung', p.deadline, v, now, id)
        return
      }
      case 'case.decide': {
        const p = payload as PayloadOf<'case.decide'>
        q.upsertDecision.run(
          id,
          p.outcome,
          JSON.stringify(p.fields),
          p.reasons,
          JSON.stringify(p.hearing ?? null),
          by,
          now,
        )
        // with a required co-signature the case waits for the team lead (four eyes); a draft stays in work
        q.setStatus.run(
          p.status ?? (p.cosignRequired ? 'entscheidungsreif' : 'entschieden'),
          v,
          now,
          id,
        )
        return
      }
      case 'case.cosign':
        // four eyes: the co-signer is another person than the one who decided
        if (q.decisionOf.get(id)?.decided_by === by)
          throw new Reject(forbidden('The decider cannot co-sign their own decision.').toProblem())
        q.cosign.run(by, now, id)
        q.setStatus.run('entschieden', v, now, id)
        return
      case 'notice.posted':
        q.bumpVersion.run(v, now, id)
        return
      case 'notice.issue': {
        const p = payload as PayloadOf<'notice.issue'>
        requireBlobs([p.document])
        insertDoc(id, p.document)
        q.insertNotice.run(p.document.id, id, p.document.sha256, p.dispatchDate, by, now)
        q.setStatus.run('versandt', v, now, id)
        return
      }
      case 'case.close': {
        const p = payload as PayloadOf<'case.close'>
        q.closeCase.run(p.closedAt, p.retentionEnd, v, now, id)
        return
      }
      case 'case.reopen':
        q.reopenCase.run(v, now, id)
        return
      case 'case.document': {
        const p = payload as PayloadOf<'case.document'>
        requireBlobs([p.document])
        insertDoc(id, p.document)
        q.bumpVersion.run(v, now, id)
        return
      }
      case 'case.register':
        throw new Error('register is not an effect')
    }
  }

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
