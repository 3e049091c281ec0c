// Security Event Tokens (SET, RFC 8417) as FIT-Connect uses them: JWS PS512, typ secevent+jwt.
import { randomUUID } from 'node:crypto'
import { SignJWT, jwtVerify, decodeProtectedHeader, importJWK } from 'jose'
import type { CryptoKey, JWTPayload } from 'jose'
import type { Jwk } from './keys'
import { invalidEvent } from './problems'

export const EVENT_BASE = 'https://schema.fitko.de/fit-connect/events/'
export const SET_SCHEMA =
  'https://schema.fitko.de/fit-connect/set-payload/1.0.0/set-payload.schema.json'
export const EVENT = {
  create: `${EVENT_BASE}create-submission`,
  submit: `${EVENT_BASE}submit-submission`,
  accept: `${EVENT_BASE}accept-submission`,
  reject: `${EVENT_BASE}reject-submission`,
  delete: `${EVENT_BASE}delete-submission`,
} as const

export interface SetClaims {
  iss: string
  submissionId: string
  caseId: string
  event: string
  payload?: Record<string, unknown>
  iat: number // seconds
}

const stripOps = (jwk: Jwk) => {
  const { key_ops: _ops, ...rest } = jwk
  return rest
}

const keyCache = new WeakMap<Jwk, Promise<CryptoKey | Uint8Array>>()

export async function signSet(privateJwk: Jwk, c: SetClaims): Promise<string> {
  let pending = keyCache.get(privateJwk)
  if (!pending) keyCache.set(privateJwk, (pending = importJWK(stripOps(privateJwk), 'PS512')))
  const key = await pending
  return new SignJWT({
    $schema: SET_SCHEMA,
    sub: `submission:${c.submissionId}`,
    txn: `case:${c.caseId}`,
    events: { [c.event]: c.payload ?? {} },
  })
    .setProtectedHeader({ alg: 'PS512', typ: 'secevent+jwt', kid: privateJwk.kid })
    .setIssuer(c.iss)
    .setIssuedAt(c.iat)
    .setJti(randomUUID())
    .sign(key)
}

export interface AuthenticationTags {
  metadata: string
  /** absent when the submission carries no encryptedData */
  data?: string
  attachments: Record<string, string>
}

/** The authentication tags of a submission as FIT-Connect's SETs carry them. */
export function authenticationTags(
  encryptedMetadata: string,
  encryptedData: string | null | undefined,
  attachments: Record<string, string>,
): AuthenticationTags {
  return {
    metadata: authTagOf(encryptedMetadata),
    ...(encryptedData ? { data: authTagOf(encryptedData) } : {}),
    attachments,
  }
}

/** `sub` of a SET without verifying it (the hub reads its own stored event log). */
export function setSubject(token: string): string | undefined {
  try {
    const body = JSON.parse(
      Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'),
    ) as { sub?: unknown }
    return typeof body.sub === 'string' ? body.sub : undefined
  } catch {
    return undefined
  }
}

export interface VerifiedSet {
  event: 'accept' | 'reject'
  eventUri: string
  payload: Record<string, unknown>
  claims: JWTPayload
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * Verifies a subscriber's SET: signature against the destination's registered signature key,
 * typ, alg, and the claims iss/sub/txn/events. Throws a 422 problem when anything is off.
 */
export async function verifySubscriberSet(
  token: string,
  opts: { signatureJwk: Jwk; destinationId: string; submissionId: string; caseId: string },
): Promise<VerifiedSet> {
  let header
  try {
    header = decodeProtectedHeader(token)
  } catch {
    throw invalidEvent('The body is not a JWS compact token.')
  }
  if (header.alg !== 'PS512') throw invalidEvent('alg must be PS512.')
  if (header.typ !== 'secevent+jwt') throw invalidEvent('typ must be secevent+jwt.')
  if (header.kid !== undefined && header.kid !== opts.signatureJwk.kid) {
    throw invalidEvent('kid does not name the signature key registered for this destination.')
  }
  let claims: JWTPayload
  try {
    const key = await importJWK(stripOps(opts.signatureJwk), 'PS512')
    ;({ payload: claims } = await jwtVerify(token, key, {
      algorithms: ['PS512'],
      typ: 'secevent+jwt',
    }))
  } catch {
    throw invalidEvent("The signature does not verify against the destination's signature key.")
  }
  if (claims.iss !== opts.destinationId) throw invalidEvent('iss must be the destination id.')
  if (claims.sub !== `submission:${opts.submissionId}`)
    throw invalidEvent('sub must be submission:<submissionId>.')
  if (claims['txn'] !== `case:${opts.caseId}`) throw invalidEvent('txn must be case:<caseId>.')
  if (typeof claims.jti !== 'string' || !UUID_RE.test(claims.jti))
    throw invalidEvent('jti must be a UUID.')
  if (typeof claims.iat !== 'number') throw invalidEvent('iat is missing.')
  // $schema is optional (FITKO's SET documentation); when given it must be a string
  if (claims['$schema'] !== undefined && typeof claims['$schema'] !== 'string')
    throw invalidEvent('$schema must be a string.')
  const events = claims['events']
  if (!events || typeof events !== 'object' || Array.isArray(events))
    throw invalidEvent('events must be an object.')
  const keys = Object.keys(events)
  if (keys.length !== 1) throw invalidEvent('events must contain exactly one event.')
  const eventUri = keys[0]!
  // an event without payload (null or absent) is an empty payload
  const payload = (events as Record<string, unknown>)[eventUri] ?? {}
  if (typeof payload !== 'object' || Array.isArray(payload))
    throw invalidEvent('The event payload must be an object.')
  if (eventUri === EVENT.accept)
    return { event: 'accept', eventUri, payload: payload as Record<string, unknown>, claims }
  if (eventUri === EVENT.reject)
    return { event: 'reject', eventUri, payload: payload as Record<string, unknown>, claims }
  throw invalidEvent(
    `A subscriber may only post accept-submission or reject-submission, not ${eventUri}.`,
  )
}

/** The authentication tag of a JWE compact token is its last segment. */
export const authTagOf = (jwe: string): string => jwe.slice(jwe.lastIndexOf('.') + 1)

/**
 * An accept-submission without payload is accepted (FITKO's SET documentation allows it); when
 * it carries authenticationTags they must equal the stored JWEs' tags.
 */
export function checkAcceptTags(
  payload: Record<string, unknown>,
  expected: AuthenticationTags,
): void {
  if (payload['authenticationTags'] === undefined) return
  const raw: unknown = payload['authenticationTags']
  if (!raw || typeof raw !== 'object') throw invalidEvent('authenticationTags must be an object.')
  const tags: Partial<AuthenticationTags> = raw
  if (tags.metadata !== expected.metadata)
    throw invalidEvent('authenticationTags.metadata does not match the stored metadata.')
  if (tags.data !== expected.data)
    throw invalidEvent('authenticationTags.data does not match the stored data.')
  const given = tags.attachments ?? {}
  if (typeof given !== 'object')
    throw invalidEvent('authenticationTags.attachments must be an object.')
  const expIds = Object.keys(expected.attachments)
  if (Object.keys(given).length !== expIds.length)
    throw invalidEvent('authenticationTags.attachments must name every attachment exactly once.')
  for (const id of expIds) {
    if ((given as Record<string, unknown>)[id] !== expected.attachments[id]) {
      throw invalidEvent(
        `authenticationTags.attachments[${id}] does not match the stored attachment.`,
      )
    }
  }
}

/** A reject-submission without payload is accepted; a given `problems` list must be well-formed. */
export function checkRejectPayload(payload: Record<string, unknown>): void {
  const problems = payload['problems']
  if (problems === undefined) return
  if (!Array.isArray(problems) || problems.length === 0 || problems.length > 50) {
    throw invalidEvent('reject-submission must carry a non-empty list of problems.')
  }
  for (const p of problems as unknown[]) {
    if (!p || typeof p !== 'object') throw invalidEvent('Each problem must be an object.')
    const { type, title } = p as Record<string, unknown>
    if (typeof type !== 'string' || !type.startsWith(`${EVENT_BASE}problems/`)) {
      throw invalidEvent(`Each problem needs a type under ${EVENT_BASE}problems/.`)
    }
    if (typeof title !== 'string' || title.length === 0)
      throw invalidEvent('Each problem needs a title.')
  }
}
