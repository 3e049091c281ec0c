/**
 * The identity provider of a reference hub's data folder (issue #13): an external IdP named in
 * hub.json `identity`, else the hub's embedded demo IdP announced in `DIR/idp.json` (rewritten
 * each time the hub starts listening, as its port may change).
 */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { z } from 'zod'
import type { Db } from '../../../db/open'
import { configureIdentity, DEFAULT_SCOPES } from './service'

export const DESK_CLIENT_ID = 'aktenfluss-desk'

const hubIdentity = z.object({
  identity: z
    .object({ issuer: z.url(), userClaim: z.string().min(1).optional() })
    .loose()
    .optional(),
})
const idpJson = z.object({ issuer: z.url() }).loose()

/** Stores the identity settings found next to hub.json; false when there are none. */
export function identityFromHubConfig(db: Db, hubConfigPath: string): boolean {
  const external = hubIdentity.safeParse(JSON.parse(readFileSync(hubConfigPath, 'utf8')) as unknown)
  if (external.success && external.data.identity) {
    const { issuer, userClaim } = external.data.identity
    configureIdentity(db, {
      issuer,
      clientId: DESK_CLIENT_ID,
      scopes: DEFAULT_SCOPES,
      ...(userClaim ? { userClaim } : {}),
    })
    return true
  }
  const file = join(dirname(hubConfigPath), 'idp.json')
  if (!existsSync(file)) return false
  const demo = idpJson.safeParse(JSON.parse(readFileSync(file, 'utf8')) as unknown)
  if (!demo.success) return false
  configureIdentity(db, {
    issuer: demo.data.issuer,
    clientId: DESK_CLIENT_ID,
    scopes: DEFAULT_SCOPES,
    // the login screen pre-fills the demo password `demo`
    demo: true,
  })
  return true
}
