// Test support for encryption at rest (issue #17): raw-byte search and permission walk.
import { lstatSync, readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import type { OsKeyStore } from '../../main/core/atRest/keys'

export function filesUnder(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir)) {
    const p = join(dir, name)
    const st = lstatSync(p)
    if (st.isDirectory()) out.push(...filesUnder(p))
    else if (st.isFile()) out.push(p)
  }
  return out
}

/** Every file under `dir` whose raw bytes contain one of `needles` in UTF-8, UTF-16LE or UTF-16BE. */
export function rawHits(dir: string, needles: string[]): string[] {
  const patterns = needles.flatMap((n) => {
    const le = Buffer.from(n, 'utf16le')
    const be = Buffer.from(le).swap16()
    return [Buffer.from(n, 'utf8'), le, be].map((b) => ({ n, b }))
  })
  const hits: string[] = []
  for (const f of filesUnder(dir)) {
    const bytes = readFileSync(f)
    for (const { n, b } of patterns)
      if (bytes.includes(b)) {
        hits.push(`${relative(dir, f)}: ${n}`)
        break
      }
  }
  return hits
}

/** Paths under `dir` (itself included) readable, writable or executable by group or others. */
export function looseModes(dir: string): string[] {
  const loose: string[] = []
  const walk = (p: string) => {
    const st = lstatSync(p)
    if ((st.mode & 0o077) !== 0)
      loose.push(`${relative(dir, p) || '.'} ${(st.mode & 0o777).toString(8)}`)
    if (st.isDirectory()) for (const n of readdirSync(p)) walk(join(p, n))
  }
  walk(dir)
  return loose
}

/** A stand-in for Electron's safeStorage: AES-GCM with a key "held by the OS" per backend. */
export function fakeOsKeyStore(
  backend: string,
  secret = randomBytes(32),
): OsKeyStore & {
  secret: Buffer
} {
  return {
    secret,
    backend: () => backend,
    available: () => true,
    encrypt: (plain) => {
      const iv = randomBytes(12)
      const c = createCipheriv('aes-256-gcm', secret, iv)
      const body = Buffer.concat([c.update(plain), c.final()])
      return Buffer.concat([iv, body, c.getAuthTag()])
    },
    decrypt: (sealed) => {
      const d = createDecipheriv('aes-256-gcm', secret, sealed.subarray(0, 12))
      d.setAuthTag(sealed.subarray(sealed.length - 16))
      return Buffer.concat([d.update(sealed.subarray(12, sealed.length - 16)), d.final()])
    },
  }
}

export const DEMO_RECOVERY_PRIVATE_KEY = join(
  import.meta.dirname,
  '..',
  'recovery',
  'demo-office-recovery.private.jwk',
)
