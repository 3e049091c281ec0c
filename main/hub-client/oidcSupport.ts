/**
 * The desk's OpenID Connect plumbing around openid-client: discovery of the office's identity
 * provider (plain http only for loopback issuers: the demo, tests) and telling "the network is
 * down" apart from "the provider said no", which decides between offline unlock and a refusal.
 */
import * as oidc from 'openid-client'

export async function discoverIssuer(
  issuer: string,
  clientId: string,
): Promise<oidc.Configuration> {
  const url = new URL(issuer)
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost'
  return oidc.discovery(
    url,
    clientId,
    { token_endpoint_auth_method: 'none' },
    oidc.None(),
    loopback && url.protocol === 'http:' ? { execute: [oidc.allowInsecureRequests] } : {},
  )
}

const NETWORK_CODES =
  /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|ETIMEDOUT|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|UND_ERR_)/

/** fetch failed / connection refused / DNS …, anywhere in the cause chain */
export function isNetworkError(err: unknown): boolean {
  const seen = new Set<unknown>()
  for (let e: unknown = err; e && !seen.has(e); e = (e as { cause?: unknown }).cause) {
    seen.add(e)
    if (e instanceof TypeError && /fetch failed/i.test(e.message)) return true
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string' && NETWORK_CODES.test(code)) return true
  }
  return false
}
