import { safeStorage } from 'electron'
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import type { OsKeyStore } from '../core/atRest/keys'
import type { SecretStore } from '../core/secrets'

/**
 * The OS secret store (safeStorage: DPAPI, Keychain, libsecret/kwallet) as the wrapper of the
 * desk's data key (main/core/atRest/keys.ts). On Linux the selected backend is recorded with the
 * wrapped key, so a changed keyring is recognised instead of silently failing.
 */
export const safeStorageKeyStore: OsKeyStore = {
  backend: () =>
    process.platform === 'linux'
      ? safeStorage.getSelectedStorageBackend()
      : process.platform === 'darwin'
        ? 'keychain'
        : 'dpapi',
  available: () => safeStorage.isEncryptionAvailable(),
  encrypt: (plain) => safeStorage.encryptString(plain.toString('base64')),
  decrypt: (sealed) => Buffer.from(safeStorage.decryptString(sealed), 'base64'),
}

/**
 * Older versions kept each secret sealed by safeStorage in `secrets.enc.json`; they move into
 * the sealed secrets file of the key hierarchy once, then the old file is removed.
 */
export function migrateSafeStorageSecrets(dataDir: string, secrets: SecretStore): void {
  const file = join(dataDir, 'secrets.enc.json')
  if (!existsSync(file)) return
  const all = z.record(z.string(), z.string()).parse(JSON.parse(readFileSync(file, 'utf8')))
  for (const [name, sealed] of Object.entries(all))
    if (secrets.get(name) === undefined)
      secrets.set(name, safeStorage.decryptString(Buffer.from(sealed, 'base64')))
  rmSync(file, { force: true })
}
