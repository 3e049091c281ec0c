/**
 * The local unlock verifier: scrypt of the user's password with a random salt. It never leaves
 * the desk and lets a signed-in user unlock (or sign in again) without network.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto'
import { z } from 'zod'

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) =>
    scryptCb(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))),
  )

const PARAMS = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 }
const KEY_LENGTH = 32

const stored = z.object({
  v: z.literal(1),
  N: z.number().int().positive(),
  r: z.number().int().positive(),
  p: z.number().int().positive(),
  salt: z.string().min(16),
  hash: z.string().min(16),
})

export async function makeVerifier(password: string): Promise<string> {
  const salt = randomBytes(16)
  const hash = await scrypt(password.normalize('NFC'), salt, KEY_LENGTH, PARAMS)
  return JSON.stringify({
    v: 1,
    N: PARAMS.N,
    r: PARAMS.r,
    p: PARAMS.p,
    salt: salt.toString('base64url'),
    hash: hash.toString('base64url'),
  })
}

export async function checkVerifier(verifier: string, password: string): Promise<boolean> {
  let v: z.infer<typeof stored>
  try {
    v = stored.parse(JSON.parse(verifier))
  } catch {
    return false
  }
  const want = Buffer.from(v.hash, 'base64url')
  const got = await scrypt(
    password.normalize('NFC'),
    Buffer.from(v.salt, 'base64url'),
    want.length,
    {
      N: v.N,
      r: v.r,
      p: v.p,
      maxmem: PARAMS.maxmem,
    },
  )
  return got.length === want.length && timingSafeEqual(got, want)
}
