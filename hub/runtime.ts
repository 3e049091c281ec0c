// What the hub's route modules share: the store, the clock, the keys and the authentication.
import { createHash } from 'node:crypto'
import type { FastifyRequest } from 'fastify'
import type { HubConfig } from './bootstrap'
import type { Jwk } from './keys'
import { forbidden, submissionNotFound, unauthorized } from './problems'
import type { ClientRow, Store, SubmissionRow } from './store'

/** Milliseconds since the epoch. */
export type Clock = () => number

export interface HubRuntime {
  store: Store
  clock: Clock
  config: HubConfig
  tokenTtl: number
  hubPublicJwks: Jwk[]
  authenticate: (req: FastifyRequest) => Promise<ClientRow>
  requireRole: (req: FastifyRequest, ...roles: ClientRow['role'][]) => Promise<ClientRow>
  requireDestination: (c: ClientRow, destinationId: string) => void
  loadSubmission: (c: ClientRow, submissionId: string) => Promise<SubmissionRow>
  hubSet: (
    s: Pick<SubmissionRow, 'submission_id' | 'case_id'>,
    event: string,
    payload: Record<string, unknown>,
  ) => Promise<string>
}

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex')

/** Bearer-token authentication of the hub's clients (tokens from POST /token). */
export function createAuth(
  store: Store,
  clock: Clock,
): Pick<HubRuntime, 'authenticate' | 'requireRole' | 'requireDestination' | 'loadSubmission'> {
  async function authenticate(req: FastifyRequest): Promise<ClientRow> {
    const h = req.headers.authorization
    if (!h || !h.startsWith('Bearer ')) throw unauthorized('Bearer token required.')
    const tok = await store.q.getToken.get(sha256(h.slice(7).trim()))
    if (!tok) throw unauthorized('Unknown access token.')
    if (tok.expires_at <= clock()) throw unauthorized('The access token has expired.')
    const client = await store.q.getClient.get(tok.client_id)
    if (!client) throw unauthorized('Unknown client.')
    return client
  }
  async function requireRole(
    req: FastifyRequest,
    ...roles: ClientRow['role'][]
  ): Promise<ClientRow> {
    const c = await authenticate(req)
    if (!roles.includes(c.role))
      throw forbidden(`This call needs the role ${roles.join(' or ')}; client has ${c.role}.`)
    return c
  }
  function requireDestination(c: ClientRow, destinationId: string) {
    const allowed = JSON.parse(c.destinations) as string[]
    if (!allowed.includes('*') && !allowed.includes(destinationId)) {
      throw forbidden('This client has no access to the destination.')
    }
  }
  async function loadSubmission(c: ClientRow, submissionId: string): Promise<SubmissionRow> {
    const s = await store.q.getSubmission.get(submissionId)
    if (!s) throw submissionNotFound(`Submission ${submissionId} not found.`)
    requireDestination(c, s.destination_id)
    return s
  }
  return { authenticate, requireRole, requireDestination, loadSubmission }
}
