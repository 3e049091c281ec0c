// Demo access tokens signed offline with the embedded IdP's key (tests and `npm run hub:token`).
// The same form the IdP issues: RFC 9068 JWT, typ at+jwt, aud aktenfluss-office, sub = userId.
import { randomUUID } from 'node:crypto'
import { SignJWT, importJWK } from 'jose'
import { DESK_CLIENT_ID, OFFICE_AUDIENCE, readIdpInfo, readIdpKeys } from './files'

export interface MintOptions {
  /** the hub's data folder (idp-keys.json, idp.json) */
  dataDir: string
  userId: string
  /** default 600 (10 minutes) */
  ttlSeconds?: number
  /** ms since the epoch the token is issued at; default now (an expired token: a time in the past) */
  now?: number
  /** tests only: another audience or issuer, to prove the hub refuses them */
  audience?: string
  issuer?: string
}

export async function mintDemoAccessToken(opts: MintOptions): Promise<string> {
  const [key] = readIdpKeys(opts.dataDir)
  if (!key?.kid || !key.alg) throw new Error('idp-keys.json enthält keinen Signaturschlüssel.')
  const issuer = opts.issuer ?? readIdpInfo(opts.dataDir).issuer
  const iat = Math.floor((opts.now ?? Date.now()) / 1000)
  return new SignJWT({ client_id: DESK_CLIENT_ID, scope: 'openid profile offline_access' })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'at+jwt' })
    .setIssuer(issuer)
    .setAudience(opts.audience ?? OFFICE_AUDIENCE)
    .setSubject(opts.userId)
    .setIssuedAt(iat)
    .setExpirationTime(iat + (opts.ttlSeconds ?? 600))
    .setJti(randomUUID())
    .sign(await importJWK(key, key.alg))
}
