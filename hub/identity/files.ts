// The demo IdP's files in the hub data folder: DIR/idp-keys.json (private JWKS) and DIR/idp.json
// ({issuer, audience}, rewritten whenever the hub listens). Both mode 0600.
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { exportJWK, generateKeyPair, type JWK } from 'jose'
import { z } from 'zod'

export const OFFICE_AUDIENCE = 'aktenfluss-office'
/** The resource indicator of the office API at the embedded IdP (its tokens' `aud` is OFFICE_AUDIENCE). */
export const OFFICE_RESOURCE = 'urn:aktenfluss:office'
export const DESK_CLIENT_ID = 'aktenfluss-desk'
export const ACCESS_TOKEN_ALG = 'RS256'

const idpKeysFile = z.object({
  keys: z
    .array(z.object({ kty: z.string(), kid: z.string(), alg: z.string(), d: z.string() }).loose())
    .min(1),
})
const idpFile = z.object({ issuer: z.string().url(), audience: z.string().min(1) })
export type IdpInfo = z.infer<typeof idpFile>

export const idpKeysPath = (dataDir: string) => join(dataDir, 'idp-keys.json')
export const idpInfoPath = (dataDir: string) => join(dataDir, 'idp.json')

const writePrivate = (file: string, value: unknown) => {
  writeFileSync(file, JSON.stringify(value, null, 2) + '\n', { mode: 0o600 })
  chmodSync(file, 0o600)
}

/** The IdP's private signing keys; created (RS256, 2048 bit) on first use. */
export async function ensureIdpKeys(dataDir: string): Promise<JWK[]> {
  const file = idpKeysPath(dataDir)
  if (existsSync(file)) return readIdpKeys(dataDir)
  const { privateKey } = await generateKeyPair(ACCESS_TOKEN_ALG, {
    modulusLength: 2048,
    extractable: true,
  })
  const jwk = await exportJWK(privateKey)
  const key: JWK = {
    ...jwk,
    kid: `idp-${Date.now().toString(36)}`,
    alg: ACCESS_TOKEN_ALG,
    use: 'sig',
  }
  writePrivate(file, { keys: [key] })
  return [key]
}

export function readIdpKeys(dataDir: string): JWK[] {
  const parsed = idpKeysFile.parse(JSON.parse(readFileSync(idpKeysPath(dataDir), 'utf8')))
  return parsed.keys
}

/** The public halves (what the IdP publishes at its jwks_uri). */
export const publicJwks = (keys: JWK[]): JWK[] =>
  keys.map(({ kty, kid, alg, use, n, e, crv, x, y }) =>
    Object.fromEntries(
      Object.entries({ kty, kid, alg, use, n, e, crv, x, y }).filter(([, v]) => v !== undefined),
    ),
  )

export function writeIdpInfo(dataDir: string, info: IdpInfo): void {
  writePrivate(idpInfoPath(dataDir), info)
}

export function readIdpInfo(dataDir: string): IdpInfo {
  return idpFile.parse(JSON.parse(readFileSync(idpInfoPath(dataDir), 'utf8')))
}
