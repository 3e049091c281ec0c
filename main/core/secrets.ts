import { existsSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { seal, unseal } from './atRest/seal'
import { writeFileAtomic } from './secureFs'

/**
 * Where secrets live (the hub client secret, the destination's private keys, remembered
 * certificate passwords): `secrets.sealed` in the data folder, AES-256-GCM with a key derived
 * from the desk's data key (main/core/atRest/keys.ts), in Electron and browser mode alike.
 */
export interface SecretStore {
  get(name: string): string | undefined
  set(name: string, value: string): void
}

export const SECRETS_FILE = 'secrets.sealed'
/** the plaintext file of older versions (and of the bench's plaintext runs) */
export const PLAIN_SECRETS_FILE = 'secrets.json'
const AAD = 'aktenfluss-secrets/1'
const secretsSchema = z.record(z.string(), z.string())

export class EncryptedFileSecretStore implements SecretStore {
  private readonly file: string
  constructor(
    dataDir: string,
    private readonly key: Buffer,
  ) {
    this.file = join(dataDir, SECRETS_FILE)
  }
  private read(): Record<string, string> {
    if (!existsSync(this.file)) return {}
    const plain = unseal(this.key, readFileSync(this.file), AAD, 'Die Ablage der Zugangsdaten')
    return secretsSchema.parse(JSON.parse(plain.toString('utf8')))
  }
  get(name: string): string | undefined {
    return this.read()[name]
  }
  set(name: string, value: string): void {
    this.setMany({ [name]: value })
  }
  setMany(values: Record<string, string>): void {
    const all = { ...this.read(), ...values }
    writeFileAtomic(this.file, seal(this.key, Buffer.from(JSON.stringify(all), 'utf8'), AAD))
  }
}

/** Moves the plaintext secrets.json of an older version into the sealed store and removes it. */
export function migratePlainSecrets(dataDir: string, store: EncryptedFileSecretStore): void {
  const plain = join(dataDir, PLAIN_SECRETS_FILE)
  if (!existsSync(plain)) return
  store.setMany(secretsSchema.parse(JSON.parse(readFileSync(plain, 'utf8'))))
  rmSync(plain, { force: true })
  rmSync(`${plain}.tmp`, { force: true })
}

/** Plaintext 0600 file: only for a desk opened with `atRest: 'plaintext'` (bench, migration tests). */
export class FileSecretStore implements SecretStore {
  private readonly file: string
  constructor(dataDir: string) {
    this.file = join(dataDir, PLAIN_SECRETS_FILE)
  }
  private read(): Record<string, string> {
    return existsSync(this.file)
      ? secretsSchema.parse(JSON.parse(readFileSync(this.file, 'utf8')))
      : {}
  }
  get(name: string): string | undefined {
    return this.read()[name]
  }
  set(name: string, value: string): void {
    writeFileAtomic(this.file, JSON.stringify({ ...this.read(), [name]: value }))
  }
}
