// Destination keys from several files: one entry per destination, older decryption keys by kid.
import { generateKeyPairSync } from 'node:crypto'
import { CompactEncrypt, importJWK, type JWK } from 'jose'
import { expect, it } from 'vitest'
import { decryptionKeyFor, parseDestinationKeyList } from './keys'

const jwk = (kid: string, alg: string): JWK => ({
  ...(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
    format: 'jwk',
  }) as JWK),
  kid,
  alg,
})
const entry = (destinationId: string, enc: JWK[], sig: JWK) => ({
  format: 'aktenfluss-destination-keys/1',
  destinationId,
  encryptionKey: enc[0],
  signatureKey: sig,
  ...(enc.length > 1 ? { decryptionKeys: enc } : {}),
})
async function jweFor(key: JWK): Promise<string> {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...pub } = key
  return new CompactEncrypt(new TextEncoder().encode('{}'))
    .setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A256GCM', kid: key.kid! })
    .encrypt(await importJWK({ ...pub, alg: 'RSA-OAEP-256' }, 'RSA-OAEP-256'))
}

it('reads a list of destinations and picks the decryption key named by the JWE, else the current one', async () => {
  const current = jwk('neu', 'RSA-OAEP-256')
  const old = jwk('alt', 'RSA-OAEP-256')
  const [a, b] = await parseDestinationKeyList([
    entry('5e1b7c3a-9d2f-4a8e-b6c1-0f3e2d1c4b5a', [current, old], jwk('s1', 'PS512')),
    entry('6f2c8d4b-0e3a-4b9f-87d2-1a4f3e2d5c6b', [jwk('b', 'RSA-OAEP-256')], jwk('s2', 'PS512')),
  ])
  expect(a!.decryption?.map((k) => k.kid)).toEqual(['neu', 'alt'])
  expect(decryptionKeyFor(a!, await jweFor(old)).kid).toBe('alt')
  expect(decryptionKeyFor(a!, await jweFor(current)).kid).toBe('neu')
  // unknown kid or garbage: the current key, so the opener reports „fremder Schlüssel“ as before
  expect(decryptionKeyFor(a!, await jweFor(jwk('fremd', 'RSA-OAEP-256'))).kid).toBe('neu')
  expect(decryptionKeyFor(a!, 'kein.jwe').kid).toBe('neu')
  // a destination with one key has no list: always its key
  expect(b!.decryption).toBeUndefined()
  expect(decryptionKeyFor(b!, await jweFor(old)).kid).toBe('b')
})
