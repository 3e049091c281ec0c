import { safeStorage } from 'electron'
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { SecretStore } from '../core/secrets'

/**
 * Secrets encrypted with the OS keychain (safeStorage: DPAPI, Keychain, libsecret). When the OS
 * offers no encryption the store refuses to write rather than keep secrets in plain text.
 */
export class SafeStorageSecretStore implements SecretStore {
  private readonly file: string
  constructor(dataDir: string) {
    this.file = join(dataDir, 'secrets.enc.json')
  }
  private read(): Record<string, string> {
    return existsSync(this.file)
      ? (JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, string>)
      : {}
  }
  get(name: string): string | undefined {
    const sealed = this.read()[name]
    return sealed === undefined
      ? undefined
      : safeStorage.decryptString(Buffer.from(sealed, 'base64'))
  }
  set(name: string, value: string): void {
    if (!safeStorage.isEncryptionAvailable())
      throw new Error('Die sichere Ablage des Betriebssystems ist nicht verfügbar.')
    const all = { ...this.read(), [name]: safeStorage.encryptString(value).toString('base64') }
    writeFileSync(`${this.file}.tmp`, JSON.stringify(all), { mode: 0o600 })
    renameSync(`${this.file}.tmp`, this.file)
  }
}
