// The synchronous JWE decryption of the intake (jweDecrypt.ts): the same plaintext as jose for what
// FIT-Connect sends, on the calling thread (a value, not a promise: no libuv pool), and a refusal
// for every other algorithm, a changed byte, a foreign key and non-canonical encodings.
import { CompactEncrypt, compactDecrypt, generateKeyPair, type CryptoKey } from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'
import { JweError, decryptCompactSync } from './jweDecrypt'

let pub: CryptoKey
let priv: CryptoKey
let otherPriv: CryptoKey
const text = new TextEncoder().encode('Antrag auf Wohngeld — Anlage 1 ✓'.repeat(300))

const seal = (bytes: Uint8Array, header: Record<string, unknown> = {}) =>
  new CompactEncrypt(bytes)
    .setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A256GCM', ...header })
    .encrypt(pub)

/** The compact JWE with part `i` replaced. */
const withPart = (jwe: string, i: number, value: string) =>
  jwe
    .split('.')
    .map((p, k) => (k === i ? value : p))
    .join('.')

beforeAll(async () => {
  ;({ publicKey: pub, privateKey: priv } = await generateKeyPair('RSA-OAEP-256', {
    modulusLength: 2048,
  }))
  otherPriv = (await generateKeyPair('RSA-OAEP-256', { modulusLength: 2048 })).privateKey
})

describe('decryptCompactSync', () => {
  it('gives what jose gives, synchronously (on this thread, not a promise)', async () => {
    const jwe = await seal(text, { kid: 'k1', cty: 'application/json' })
    const out = decryptCompactSync(jwe, priv)
    expect(out).toBeInstanceOf(Uint8Array)
    expect(Buffer.from(out).equals(Buffer.from(text))).toBe(true)
    const viaJose = await compactDecrypt(jwe, priv)
    expect(Buffer.from(out).equals(Buffer.from(viaJose.plaintext))).toBe(true)
    // empty content is fine too
    expect(decryptCompactSync(await seal(new Uint8Array(0)), priv).byteLength).toBe(0)
  })

  it('refuses other algorithms, compression and critical parameters', async () => {
    const a128 = await new CompactEncrypt(text)
      .setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A128GCM' })
      .encrypt(pub)
    expect(() => decryptCompactSync(a128, priv)).toThrow(/content encryption algorithm/)
    const ok = await seal(text)
    const header = (h: object) => Buffer.from(JSON.stringify(h)).toString('base64url')
    for (const h of [
      { alg: 'RSA-OAEP', enc: 'A256GCM' },
      { alg: 'dir', enc: 'A256GCM' },
      { alg: 'RSA-OAEP-256', enc: 'A256GCM', zip: 'DEF' },
      { alg: 'RSA-OAEP-256', enc: 'A256GCM', crit: ['exp'], exp: 1 },
    ])
      expect(() => decryptCompactSync(withPart(ok, 0, header(h)), priv)).toThrow(JweError)
  })

  it('refuses a changed header, ciphertext, tag or key, and a foreign key', async () => {
    const jwe = await seal(text)
    // one character inside the part (a whole 6-bit group, so the decoded bytes change)
    const flip = (s: string) => s.slice(0, 5) + (s[5] === 'A' ? 'B' : 'A') + s.slice(6)
    const parts = jwe.split('.')
    // header: same algorithms, one more member — the AAD changes, so the tag must fail
    const header = Buffer.from(
      JSON.stringify({ alg: 'RSA-OAEP-256', enc: 'A256GCM', kid: 'x' }),
    ).toString('base64url')
    expect(() => decryptCompactSync(withPart(jwe, 0, header), priv)).toThrow(JweError)
    for (const i of [1, 3, 4]) {
      expect(() => decryptCompactSync(withPart(jwe, i, flip(parts[i]!)), priv)).toThrow(JweError)
    }
    expect(() => decryptCompactSync(jwe, otherPriv)).toThrow(JweError)
  })

  it('refuses wrong lengths, foreign characters and a token that is not five parts', async () => {
    const jwe = await seal(text)
    const [, , iv, , tag] = jwe.split('.')
    expect(() => decryptCompactSync(withPart(jwe, 2, iv!.slice(0, 12)), priv)).toThrow(/iv/)
    expect(() => decryptCompactSync(withPart(jwe, 4, tag!.slice(0, 16)), priv)).toThrow(/tag/)
    // Buffer's decoder would skip these characters: the token must be refused, not read leniently
    expect(() => decryptCompactSync(withPart(jwe, 4, `${tag}==`), priv)).toThrow(JweError)
    expect(() => decryptCompactSync(withPart(jwe, 3, `+${jwe.split('.')[3]}`), priv)).toThrow(
      JweError,
    )
    expect(() => decryptCompactSync(jwe.split('.').slice(0, 4).join('.'), priv)).toThrow(JweError)
    expect(() => decryptCompactSync(`x${jwe}`, priv)).toThrow(JweError)
  })
})
