// The per-type effects of office mutations on the hub's tables: register, effect, snapshot.
import { HttpProblem, forbidden } from '../problems'
import type { Problem } from '../problems'
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

export const rejected = (slug: string, title: string, detail: string) =>
  new HttpProblem(422, slug, title, detail).toProblem()

export class Reject extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title)
  }
}

/** A non-applied result leaves the savepoint: the claim of the mutation id goes with it. */
export class NotApplied extends Error {
  constructor(readonly result: MutationResult) {
    super(result.status)
  }
}

/** What a repeated mutation id answers: duplicate, with the version its first application gave. */
export function duplicateOf(mutationId: string, stored: string): MutationResult {
  const r = (stored ? JSON.parse(stored) : {}) as Partial<MutationResult>
  return {
    mutationId,
    status: 'duplicate',
    ...(r.version !== undefined ? { version: r.version } : {}),
  }
}

const AKTENZEICHEN = /^(.+)-(\d{4})-(\d+)$/

/** The statements' per-type work on one case, inside the caller's transaction. */
export function createCaseEffects(q: OfficeStatements) {
  async function snapshot(c: OfficeCaseRow): Promise<CaseSnapshot> {
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
      documents: (await q.documentsOf.all(c.case_id)).map((d) => ({
        id: d.document_id,
        kind: d.kind,
        title: d.title,
        filename: d.filename,
        mimeType: d.mime_type,
        size: d.size,
        sha256: d.sha256,
        createdAt: d.created_at,
      })),
      notes: (await q.notesOf.all(c.case_id)).map((n) => ({
        noteId: n.note_id,
        kind: n.kind,
        author: n.author,
        text: n.text,
        createdAt: n.created_at,
      })),
    }
  }

  const requireBlobs = async (docs: DocumentPayload[]) => {
    for (const d of docs) {
      if (!(await q.hasBlob.get(d.sha256)))
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

  async function register(
    m: { mutationId: string; caseId: string },
    p: PayloadOf<'case.register'>,
    by: string,
    deskId: string,
    now: string,
  ): Promise<MutationResult> {
    const bySubmission = p.submissionId ? await q.caseBySubmission.get(p.submissionId) : undefined
    if (bySubmission)
      return { mutationId: m.mutationId, status: 'conflict', current: await snapshot(bySubmission) }
    const existing = await q.getCase.get(m.caseId)
    if (existing)
      return { mutationId: m.mutationId, status: 'conflict', current: await snapshot(existing) }
    if (await q.caseByAktenzeichen.get(p.aktenzeichen)) {
      throw new Reject(
        rejected(
          'aktenzeichen-taken',
          'Aktenzeichen already in use',
          `${p.aktenzeichen} belongs to another case.`,
        ),
      )
    }
    await requireBlobs(p.documents)
    await q.insertCase.run({
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
    for (const d of p.documents) await insertDoc(m.caseId, d)
    // a number a desk took from its own sequence is never leased to anyone afterwards
    const az = AKTENZEICHEN.exec(p.aktenzeichen)
    if (az?.[1] && az[2] && az[3]) await q.bumpCounter.run(az[1], Number(az[2]), Number(az[3]) + 1)
    return { mutationId: m.mutationId, status: 'applied', version: 1 }
  }

  /** The effect of a non-register mutation on an existing case, at the new version. */
  async function effect(
    type: MutationType,
    payload: unknown,
    c: OfficeCaseRow,
    v: number,
    by: string,
    now: string,
  ): Promise<void> {
    const id = c.case_id
    switch (type) {
      case 'case.assign':
        await q.setAssignee.run((payload as PayloadOf<'case.assign'>).assignee, v, now, id)
        return
      case 'case.status':
        await q.setStatus.run((payload as PayloadOf<'case.status'>).to, v, now, id)
        return
      case 'case.followUp':
        await q.setFollowUp.run((payload as PayloadOf<'case.followUp'>).date, v, now, id)
        return
      case 'case.note': {
        const p = payload as PayloadOf<'case.note'>
        await q.insertNote.run(p.noteId, id, p.kind, by, p.text, now)
        await q.bumpVersion.run(v, now, id)
        return
      }
      case 'case.requestDocuments': {
        const p = payload as PayloadOf<'case.requestDocuments'>
        await requireBlobs([p.document])
        await insertDoc(id, p.document)
        await q.setStatusFollowUp.run('nachforderung', p.deadline, v, now, id)
        return
      }
      case 'case.decide': {
        // `status` and `cosignRequired` were computed by the hub (mutations.ts), not taken from the desk
        const p = payload as PayloadOf<'case.decide'>
        await q.upsertDecision.run(
          id,
          p.outcome,
          JSON.stringify(p.fields),
          p.reasons,
          JSON.stringify(p.hearing ?? null),
          by,
          now,
          p.cosignRequired ? 1 : 0,
          p.draft ? 1 : 0,
        )
        await q.setStatus.run(p.status ?? 'entschieden', v, now, id)
        return
      }
      case 'case.cosign':
        // four eyes: the co-signer is another person than the one who decided
        if ((await q.decisionOf.get(id))?.decided_by === by)
          throw new Reject(forbidden('The decider cannot co-sign their own decision.').toProblem())
        await q.cosign.run(by, now, id)
        await q.setStatus.run('entschieden', v, now, id)
        return
      case 'notice.posted':
        await q.bumpVersion.run(v, now, id)
        return
      case 'notice.issue': {
        const p = payload as PayloadOf<'notice.issue'>
        await requireBlobs([p.document])
        await insertDoc(id, p.document)
        await q.insertNotice.run(p.document.id, id, p.document.sha256, p.dispatchDate, by, now)
        await q.setStatus.run('versandt', v, now, id)
        return
      }
      case 'case.close': {
        const p = payload as PayloadOf<'case.close'>
        await q.closeCase.run(p.closedAt, p.retentionEnd, v, now, id)
        return
      }
      case 'case.reopen':
        await q.reopenCase.run(v, now, id)
        return
      case 'case.document': {
        const p = payload as PayloadOf<'case.document'>
        await requireBlobs([p.document])
        await insertDoc(id, p.document)
        await q.bumpVersion.run(v, now, id)
        return
      }
      case 'case.register':
        throw new Error('register is not an effect')
    }
  }

  return { snapshot, register, effect }
}
