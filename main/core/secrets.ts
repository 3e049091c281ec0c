import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * Where secrets live (the hub client secret, the destination's private keys): Electron passes a
 * safeStorage-backed store; browser mode uses a 0600 file in the data folder.
 */
export interface SecretStore {
  get(name: string): string | undefined
  set(name: string, value: string): void
}

export class FileSecretStore implements SecretStore {
  private readonly file: string
  constructor(dataDir: string) {
    this.file = join(dataDir, 'secrets.json')
  }
  private read(): Record<string, string> {
    return existsSync(this.file)
      ? (JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, string>)
      : {}
  }
  get(name: string): string | undefined {
    return this.read()[name]
  }
  set(name: string, value: string): void {
    const all = { ...this.read(), [name]: value }
    const tmp = `${this.file}.tmp`
    writeFileSync(tmp, JSON.stringify(all), { mode: 0o600 })
    chmodSync(tmp, 0o600)
    renameSync(tmp, this.file)
  }
}
