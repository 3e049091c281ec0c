// Destination keys on the desk and the SETs it posts (accept-submission / reject-submission).
import { randomUUID } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { SignJWT, decodeProtectedHeader, importJWK } from 'jose'
import type { CryptoKey, JWK } from 'jose'
import { z } from 'zod'

export const EVENT_BASE = 'https://schema.fitko.de/fit-connect/events/'
export const PROBLEM_BASE = `${EVENT_BASE}problems/`
export const SET_SCHEMA =
  'https://schema.fitko.de/fit-connect/set-payload/1.0.0/set-payload.schema.json'
export const ACCEPT_EVENT = `${EVENT_BASE}accept-submission`
export const REJECT_EVENT = `${EVENT_BASE}reject-submission`

const privateRsaJwk = z
  .object({
    kty: z.literal('RSA'),
    kid: z.string().min(1),
    n: z.string(),
    e: z.string(),
    d: z.string(),
    p: z.string(),
    q: z.string(),
  })
  .loose()
const keysFile = z.object({
  format: z.literal('aktenfluss-destination-keys/1'),
  destinationId: z.string().uuid(),
  encryptionKey: privateRsaJwk,
  signatureKey: privateRsaJwk,
  /** earlier decryption keys still needed for submissions encrypted before a key change */
  decryptionKeys: z.array(privateRsaJwk).max(10).optional(),
})
/** one destination's keys file, or (a desk configured for several destinations) a list of them */
const keysFileList = z.union([keysFile, z.array(keysFile).min(1).max(20)])

export interface DestinationKeys {
  destinationId: string
  /** private RSA-OAEP-256 key for decrypting submissions */
  encryption: { kid: string; key: CryptoKey }
  /** private PS512 key for signing SETs */
  signature: { kid: string; key: CryptoKey }
  /** every decryption key of the destination (the current one first), chosen by the JWE's kid */
  decryption?: { kid: string; key: CryptoKey }[]
}

async function importPrivate(jwk: JWK, alg: 'RSA-OAEP-256' | 'PS512'): Promise<CryptoKey> {
  // FIT-Connect keys carry key_ops unwrapKey/sign; WebCrypto wants decrypt for RSA-OAEP, so drop them.
  const { key_ops: _ops, use: _use, ...rest } = jwk
  const key = await importJWK({ ...rest, alg }, alg)
  if (key instanceof Uint8Array) throw new Error('expected an asymmetric key')
  return key
}

/** Parses the content of a destination private keys file (see hub/README.md). */
export async function parseDestinationKeys(json: unknown): Promise<DestinationKeys> {
  return fromFile(keysFile.parse(json))
}

async function fromFile(f: z.infer<typeof keysFile>): Promise<DestinationKeys> {
  const encryption = {
    kid: f.encryptionKey.kid,
    key: await importPrivate(f.encryptionKey, 'RSA-OAEP-256'),
  }
  const older = await Promise.all(
    (f.decryptionKeys ?? [])
      .filter((k) => k.kid !== f.encryptionKey.kid)
      .map(async (k) => ({ kid: k.kid, key: await importPrivate(k, 'RSA-OAEP-256') })),
  )
  return {
    destinationId: f.destinationId,
    encryption,
    signature: { kid: f.signatureKey.kid, key: await importPrivate(f.signatureKey, 'PS512') },
    ...(older.length ? { decryption: [encryption, ...older] } : {}),
  }
}

/** One keys file or a list of them (one per destination). */
export async function parseDestinationKeyList(json: unknown): Promise<DestinationKeys[]> {
  const parsed = keysFileList.parse(json)
  return Promise.all((Array.isArray(parsed) ? parsed : [parsed]).map(fromFile))
}

/**
 * The decryption key a submission was encrypted for (the `kid` of its metadata JWE); the current
 * key when the kid is unknown, so the opener reports the mismatch as it always did.
 */
export function decryptionKeyFor(
  keys: Pick<DestinationKeys, 'encryption' | 'decryption'>,
  jwe: string,
): { kid: string; key: CryptoKey } {
  if (!keys.decryption) return keys.encryption
  let kid: unknown
  try {
    kid = decodeProtectedHeader(jwe).kid
  } catch {
    return keys.encryption
  }
  return keys.decryption.find((k) => k.kid === kid) ?? keys.encryption
}

export async function loadDestinationKeys(privateKeysFile: string): Promise<DestinationKeys> {
  return parseDestinationKeys(JSON.parse(await readFile(privateKeysFile, 'utf8')))
}

export interface AuthenticationTags {
  metadata: string
  data: string
  attachments: Record<string, string>
}

export interface SetProblem {
  type: string
  title: string
  detail?: string
  instance?: string
}

export interface SetBase {
  destinationId: string
  submissionId: string
  caseId: string
  signature: { kid: string; key: CryptoKey }
  /** ms since the epoch, default Date.now */
  clock?: () => number
  jti?: string
}

async function makeSet(
  base: SetBase,
  event: string,
  payload: Record<string, unknown>,
): Promise<string> {
  return new SignJWT({
    $schema: SET_SCHEMA,
    sub: `submission:${base.submissionId}`,
    txn: `case:${base.caseId}`,
    events: { [event]: payload },
  })
    .setProtectedHeader({ alg: 'PS512', typ: 'secevent+jwt', kid: base.signature.kid })
    .setIssuer(base.destinationId)
    .setIssuedAt(Math.floor((base.clock ?? Date.now)() / 1000))
    .setJti(base.jti ?? randomUUID())
    .sign(base.signature.key)
}

export function makeAcceptSet(
  base: SetBase & { authenticationTags: AuthenticationTags },
): Promise<string> {
  return makeSet(base, ACCEPT_EVENT, { authenticationTags: base.authenticationTags })
}

export function makeRejectSet(base: SetBase & { problems: SetProblem[] }): Promise<string> {
  if (base.problems.length === 0)
    throw new Error('a reject-submission SET needs at least one problem')
  return makeSet(base, REJECT_EVENT, { problems: base.problems })
}
