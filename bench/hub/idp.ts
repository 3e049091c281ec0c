// A stand-in for the office's own IdP (Keycloak, ADFS, Entra ID) on loopback: an OpenID discovery
// document and a JWKS, and access tokens signed with its key. Several hub processes behind one
// address must accept the same token, so they are configured with `identity` in hub.json (the
// embedded IdP's issuer is `<the process's own URL>/oidc`, different for every process). The hub
// verifies these tokens exactly as it verifies an external IdP's: discovery → jwks_uri → JWS.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { randomUUID } from 'node:crypto'
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose'

export const OFFICE_AUDIENCE = 'aktenfluss-office'

export interface LoopbackIdp {
  issuer: string
  /** an access token for a directory user (RFC 9068: typ at+jwt, aud aktenfluss-office) */
  token(userId: string, ttlSeconds?: number): Promise<string>
  close(): Promise<void>
}

export async function startLoopbackIdp(): Promise<LoopbackIdp> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true })
  const kid = `bench-${randomUUID()}`
  const pub: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }
  let issuer = ''
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0]
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(JSON.stringify(body))
    }
    if (path === '/.well-known/openid-configuration')
      send(200, {
        issuer,
        jwks_uri: `${issuer}/jwks`,
        id_token_signing_alg_values_supported: ['RS256'],
      })
    else if (path === '/jwks') send(200, { keys: [pub] })
    else send(404, { error: 'not_found' })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const key: CryptoKey = privateKey
  return {
    issuer,
    token: (userId, ttlSeconds = 3600) => {
      const iat = Math.floor(Date.now() / 1000)
      return new SignJWT({ client_id: 'aktenfluss-desk', scope: 'openid profile offline_access' })
        .setProtectedHeader({ alg: 'RS256', kid, typ: 'at+jwt' })
        .setIssuer(issuer)
        .setAudience(OFFICE_AUDIENCE)
        .setSubject(userId)
        .setIssuedAt(iat)
        .setExpirationTime(iat + ttlSeconds)
        .setJti(randomUUID())
        .sign(key)
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
