// Who is calling the office API: the desk (X-Aktenfluss-Desk: <deskId>:<secret>, always) and the
// acting user (Authorization: Bearer <access token of the office's IdP>); no token = `system`.
import type { FastifyRequest } from 'fastify'
import { forbidden, invalidDesk, invalidToken } from '../problems'
import type { OfficeDirectory, OfficeUser } from '../office/directory'
import type { DeskRegistry, RegisteredDesk } from './desks'
import { TokenRefused, type TokenVerifier } from './verify'

export const DESK_HEADER = 'x-aktenfluss-desk'

export type OfficeActor = { kind: 'system' } | { kind: 'user'; user: OfficeUser }
export interface OfficePrincipal {
  desk: RegisteredDesk
  actor: OfficeActor
}

export function createOfficeAuth(deps: {
  desks: DeskRegistry
  verify: TokenVerifier
  directory: () => OfficeDirectory
}) {
  return async function authenticate(req: FastifyRequest): Promise<OfficePrincipal> {
    const header = req.headers[DESK_HEADER]
    const desk = await deps.desks.authenticate(typeof header === 'string' ? header : undefined)
    if (!desk)
      throw invalidDesk(
        header === undefined
          ? 'Header X-Aktenfluss-Desk (<deskId>:<secret>) is required.'
          : 'Unknown desk or wrong desk secret.',
      )
    const auth = req.headers.authorization
    if (auth === undefined) return { desk, actor: { kind: 'system' } }
    const m = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(auth.trim())
    if (!m?.[1]) throw invalidToken('Authorization must be a Bearer access token.')
    let userId: string
    try {
      userId = (await deps.verify(m[1])).userId
    } catch (e) {
      if (e instanceof TokenRefused) throw invalidToken(e.message)
      throw e
    }
    const user = deps.directory().users.find((u) => u.userId === userId)
    if (!user) throw forbidden(`The user ${userId} is not in the office directory.`)
    return { desk, actor: { kind: 'user', user } }
  }
}

export type OfficeAuthenticate = ReturnType<typeof createOfficeAuth>
