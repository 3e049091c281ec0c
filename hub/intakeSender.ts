// The sender side of the hub's Submission API (docs/hub-protocol.md, "Intake"): create a
// submission (optionally into an existing case), upload attachments, submit.
import { randomUUID } from 'node:crypto'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { z } from 'zod'
import type { ServiceInfo } from './bootstrap'
import { conflict, notFound, unprocessable, unsupportedMediaType } from './problems'
import type { HubRuntime } from './runtime'
import { EVENT, authTagOf, authenticationTags } from './sets'
import { UUID, checkJwe, mediaType, parseOr400, submissionReduced } from './intakeShared'

// the spec's Leistungs-Identifikator: any URN (LeiKa or another namespace)
const SERVICE_URN = /^urn:[a-z0-9][a-z0-9-]{0,31}:[a-z0-9()+,.:=@;$_!*'%/?#-]+$/
const announceBody = z.object({
  destinationId: UUID,
  announcedAttachments: z.array(UUID).max(100),
  caseId: UUID.optional(),
  serviceType: z.object({
    // the spec requires the name but allows it empty
    name: z.string().max(255),
    description: z.string().max(2000).optional(),
    identifier: z.string().min(7).max(255).regex(SERVICE_URN, 'must be a URN'),
  }),
  callback: z
    .object({
      url: z
        .string()
        .min(9)
        .max(2000)
        .regex(/^https:\/\/.+/, 'must be an https URL'),
      secret: z.string().min(32).max(512),
    })
    .optional(),
})
const JWE_CHARS = /^[a-zA-Z0-9-_=.]+$/
const submitBody = z.object({
  encryptedMetadata: z.string().max(5_000_000).regex(JWE_CHARS),
  // optional in FIT-Connect (a submission may consist of metadata and attachments only)
  encryptedData: z.string().regex(JWE_CHARS).optional(),
})

/** 415 before the body is parsed when the request's media type is not the spec's. */
const requireMedia =
  (type: string, detail: string) =>
  (req: FastifyRequest): Promise<void> =>
    mediaType(req.headers['content-type']) === type
      ? Promise.resolve()
      : Promise.reject(unsupportedMediaType(detail))

export function registerSender(app: FastifyInstance, rt: HubRuntime): void {
  const { store, clock, requireRole, requireDestination, loadSubmission, hubSet } = rt

  app.post('/v1/submissions', async (req, reply) => {
    const c = await requireRole(req, 'sender')
    const body = parseOr400(announceBody, req.body)
    requireDestination(c, body.destinationId)
    const dest = await store.q.getDestination.get(body.destinationId)
    if (!dest) throw notFound('Destination not found.')
    if (dest.status !== 'active')
      throw unprocessable('destination-inactive', 'The destination is not active.')
    const services = JSON.parse(dest.services) as ServiceInfo[]
    if (!services.some((s) => s.identifier === body.serviceType.identifier)) {
      throw unprocessable(
        'service-not-offered',
        `The destination does not offer the service ${body.serviceType.identifier}.`,
      )
    }
    if (
      new Set(body.announcedAttachments.map((a) => a.toLowerCase())).size !==
      body.announcedAttachments.length
    ) {
      throw unprocessable('duplicate-attachments', 'announcedAttachments contains duplicates.')
    }
    // a reply into an existing case joins it: the case must exist at the same destination
    if (body.caseId) {
      const existing = await store.q.getSubmissionByCase.get(body.caseId)
      if (!existing || existing.destination_id !== dest.destination_id) {
        throw unprocessable(
          'unknown-case',
          `The case ${body.caseId} does not exist at this destination.`,
        )
      }
    }
    const row = {
      submission_id: randomUUID(),
      case_id: body.caseId ?? randomUUID(),
      destination_id: dest.destination_id,
      service_name: body.serviceType.name,
      service_identifier: body.serviceType.identifier,
      announced: JSON.stringify(body.announcedAttachments),
      created_at: clock(),
      callback_url: body.callback?.url ?? null,
      callback_secret: body.callback?.secret ?? null,
    }
    const set = await hubSet(row, EVENT.create, {})
    await store.transaction(async () => {
      await store.q.insertSubmission.run(row)
      await store.q.insertEvent.run(row.case_id, EVENT.create, set, row.created_at)
    })
    return reply.code(201).send({
      destinationId: row.destination_id,
      submissionId: row.submission_id,
      caseId: row.case_id,
    })
  })

  app.put<{ Params: { submissionId: string; attachmentId: string } }>(
    '/v1/submissions/:submissionId/attachments/:attachmentId',
    {
      onRequest: requireMedia('application/jose', 'An attachment is uploaded as application/jose.'),
    },
    async (req, reply) => {
      const c = await requireRole(req, 'sender')
      const s = await loadSubmission(c, req.params.submissionId)
      if (s.state !== 'incomplete') {
        throw unprocessable(
          'submission-not-incomplete',
          `The submission is ${s.state}; attachments can no longer be uploaded.`,
        )
      }
      if (!(JSON.parse(s.announced) as string[]).includes(req.params.attachmentId)) {
        throw unprocessable(
          'attachment-not-announced',
          'The attachment was not announced for this submission.',
        )
      }
      const dest = (await store.q.getDestination.get(s.destination_id))!
      const jwe = checkJwe(req.body, dest.encryption_kid, 'The attachment')
      await store.q.putAttachment.run(s.submission_id, req.params.attachmentId, jwe)
      return reply.code(204).send()
    },
  )

  app.put<{ Params: { submissionId: string } }>(
    '/v1/submissions/:submissionId',
    { onRequest: requireMedia('application/json', 'A submission is sent as application/json.') },
    async (req, reply) => {
      const c = await requireRole(req, 'sender')
      const s = await loadSubmission(c, req.params.submissionId)
      if (s.state !== 'incomplete')
        throw unprocessable('submission-not-incomplete', `The submission is already ${s.state}.`)
      const body = parseOr400(submitBody, req.body)
      const dest = (await store.q.getDestination.get(s.destination_id))!
      checkJwe(body.encryptedMetadata, dest.encryption_kid, 'encryptedMetadata')
      if (body.encryptedData !== undefined)
        checkJwe(body.encryptedData, dest.encryption_kid, 'encryptedData')
      const uploaded = new Map<string, { jwe: string } | undefined>()
      for (const r of await store.q.attachmentIds.all(s.submission_id))
        uploaded.set(
          r.attachment_id,
          await store.q.getAttachment.get(s.submission_id, r.attachment_id),
        )
      const announced = JSON.parse(s.announced) as string[]
      const missing = announced.filter((id) => !uploaded.has(id))
      if (missing.length > 0) {
        throw unprocessable(
          'missing-attachments',
          `Announced attachments not uploaded: ${missing.join(', ')}.`,
        )
      }
      // the hub's submit-submission SET carries the authentication tags (FIT-Connect)
      const tags = Object.fromEntries(
        announced.map((id) => [id, authTagOf(uploaded.get(id)?.jwe ?? '')]),
      )
      const set = await hubSet(s, EVENT.submit, {
        authenticationTags: authenticationTags(body.encryptedMetadata, body.encryptedData, tags),
      })
      const now = clock()
      const ok = await store.transaction(async () => {
        const submitted = await store.q.submit.run(
          body.encryptedMetadata,
          body.encryptedData ?? null,
          now,
          s.submission_id,
        )
        if (submitted.changes !== 1) return false
        await store.q.insertEvent.run(s.case_id, EVENT.submit, set, now)
        return true
      })
      if (!ok) throw conflict('The submission was submitted concurrently.')
      return reply.code(202).send(submissionReduced(s))
    },
  )
}
