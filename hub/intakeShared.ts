// What the hub's Submission API route modules share: ids, body parsing, JWE checks and the
// SubmissionReduced representation (FIT-Connect Submission API 1.1.3).
import { z } from 'zod'
import { badRequest } from './problems'
import type { SubmissionRow } from './store'

export const UUID = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a UUID')
const JWE_RE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/

export function parseOr400<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value)
  if (!r.success) {
    throw badRequest(
      r.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '),
    )
  }
  return r.data
}

export function checkJwe(jwe: unknown, encryptionKid: string, what: string): string {
  if (typeof jwe !== 'string' || !JWE_RE.test(jwe))
    throw badRequest(`${what} must be a JWE in compact serialisation.`)
  let header: Record<string, unknown>
  try {
    header = JSON.parse(
      Buffer.from(jwe.slice(0, jwe.indexOf('.')), 'base64url').toString('utf8'),
    ) as Record<string, unknown>
  } catch {
    throw badRequest(`${what}: the protected header is not JSON.`)
  }
  if (header['alg'] !== 'RSA-OAEP-256') throw badRequest(`${what}: alg must be RSA-OAEP-256.`)
  if (header['enc'] !== 'A256GCM') throw badRequest(`${what}: enc must be A256GCM.`)
  if (header['kid'] !== encryptionKid)
    throw badRequest(`${what}: kid must be the destination's encryption key id.`)
  return jwe
}

/** The media type of a request without parameters, lower case ('' when absent). */
export const mediaType = (contentType: string | undefined) =>
  (contentType ?? '').split(';')[0]!.trim().toLowerCase()

/** FIT-Connect's SubmissionReduced (also the head of Submission). */
export function submissionReduced(s: SubmissionRow) {
  return {
    destinationId: s.destination_id,
    submissionId: s.submission_id,
    caseId: s.case_id,
    attachments: JSON.parse(s.announced) as string[],
    serviceType: { name: s.service_name, identifier: s.service_identifier },
    ...(s.callback_url ? { callback: { url: s.callback_url } } : {}),
  }
}
