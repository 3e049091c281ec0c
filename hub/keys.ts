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
