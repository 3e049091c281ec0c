// Key material of the reference hub: RSA-4096 destination keys and the hub's own signing key.
import { generateKeyPair as generateKeyPairCb, randomUUID } from 'node:crypto'
import { promisify } from 'node:util'
import type { JsonWebKey as NodeJwk } from 'node:crypto'

const generateKeyPair = promisify(generateKeyPairCb)

export type Jwk = NodeJwk & { kid?: string; alg?: string; use?: string; key_ops?: string[] }

export interface KeyPairJwk {
  kid: string
  privateJwk: Jwk
  publicJwk: Jwk
}

/** RSA key pair as JWKs (kid, alg and use set on both halves). Runs on the libuv threadpool. */
export async function generateRsaJwk(
  alg: 'RSA-OAEP-256' | 'PS512',
  modulusLength = 4096,
): Promise<KeyPairJwk> {
  const { privateKey, publicKey } = await generateKeyPair('rsa', {
    modulusLength,
    publicExponent: 0x10001,
  })
  const kid = randomUUID()
  const use = alg === 'PS512' ? 'sig' : 'enc'
  const privKeyOps = alg === 'PS512' ? ['sign'] : ['unwrapKey']
  const pubKeyOps = alg === 'PS512' ? ['verify'] : ['wrapKey']
  const privateJwk: Jwk = {
    ...(privateKey.export({ format: 'jwk' }) as Jwk),
    kid,
    alg,
    use,
    key_ops: privKeyOps,
  }
  const publicJwk: Jwk = {
    ...(publicKey.export({ format: 'jwk' }) as Jwk),
    kid,
    alg,
    use,
    key_ops: pubKeyOps,
  }
  return { kid, privateJwk, publicJwk }
}

/**
 * A self-signed X.509 certificate (DER, base64 — a JWK `x5c` entry) for an RSA key pair, so the
 * published JWK carries the `x5c` chain that FIT-Connect requires. The hub is no CA: the
 * certificate only binds the key to a name; FIT-Connect's real destinations use V-PKI chains.
 */
export async function selfSignedX5c(privateJwk: Jwk, commonName: string): Promise<string> {
  const { webcrypto, randomBytes } = await import('node:crypto')
  const pkijs = await import('pkijs')
  const asn1js = await import('asn1js')
  const engine = new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as never })
  const pick = ({ kty, n, e, d, p, q, dp, dq, qi }: Jwk) => ({ kty, n, e, d, p, q, dp, dq, qi })
  const alg = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }
  const priv = await webcrypto.subtle.importKey('jwk', pick(privateJwk), alg, false, ['sign'])
  const { kty, n, e } = privateJwk
  const pub = await webcrypto.subtle.importKey('jwk', { kty, n, e }, alg, true, ['verify'])
  const cert = new pkijs.Certificate()
  cert.version = 2
  const serial = randomBytes(16)
  serial[0] = serial[0]! & 0x7f // positive INTEGER
  cert.serialNumber = new asn1js.Integer({ valueHex: serial })
  const name = () =>
    new pkijs.AttributeTypeAndValue({
      type: '2.5.4.3', // commonName
      value: new asn1js.Utf8String({ value: commonName }),
    })
  cert.issuer.typesAndValues.push(name())
  cert.subject.typesAndValues.push(name())
  const now = Date.now()
  cert.notBefore.value = new Date(now - 60_000)
  cert.notAfter.value = new Date(now + 10 * 365 * 86_400_000)
  await cert.subjectPublicKeyInfo.importKey(pub, engine)
  await cert.sign(priv, 'SHA-256', engine)
  return Buffer.from(cert.toSchema(true).toBER(false)).toString('base64')
}

/** The public JWK with its `x5c` (a self-signed certificate made from the private half when absent). */
export async function withX5c(publicJwk: Jwk, privateJwk: Jwk, commonName: string): Promise<Jwk> {
  const existing = (publicJwk as { x5c?: unknown }).x5c
  if (Array.isArray(existing) && existing.length > 0) return publicJwk
  return { ...publicJwk, x5c: [await selfSignedX5c(privateJwk, commonName)] }
}
