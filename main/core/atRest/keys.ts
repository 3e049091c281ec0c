import { createHash, randomBytes, scryptSync } from 'node:crypto'
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { writeFileAtomic } from '../secureFs'
import { loadRecoveryPublicKey, wrapForRecovery, type RecoveryPublicJwk } from './recoveryJwe'
import { seal, subkey, unseal, SealError } from './seal'

/**
 * The desk's key hierarchy (issue #17, docs/architecture.md "Data"): one random 256-bit data key
 * per desk, never stored in the clear outside a 0600 key file, wrapped
 *  (a) by the OS secret store (Electron safeStorage; the backend that wrapped it is recorded) or,
 *      in browser mode, by a 0600 key file with an optional passphrase (scrypt), and
 *  (b) always by the office recovery public key (JWE, RSA-OAEP-256) so IT can restore access.
 * The database key, the blob-key wrapping key and the secrets key are derived from it (HKDF).
 */
export const KEYS_FILE = 'aktenfluss.keys.json'
/** A copy of the recovery JWE on its own, so a damaged keys file still leaves IT a way in. */
export const RECOVERY_FILE = 'aktenfluss.recovery.jwe'

const b64 = z.string().regex(/^[A-Za-z0-9+/=_-]+$/)
export const keysFileSchema = z.object({
  format: z.literal('aktenfluss-desk-keys/1'),
  keyId: z.string().regex(/^[0-9a-f]{16}$/),
  createdAt: z.string(),
  os: z.object({ backend: z.string(), wrapped: b64 }).optional(),
  file: z
    .discriminatedUnion('kdf', [
      z.object({ kdf: z.literal('none'), key: b64 }),
      z.object({
        kdf: z.literal('scrypt'),
        salt: b64,
        N: z.number().int(),
        r: z.number().int(),
        p: z.number().int(),
        wrapped: b64,
      }),
    ])
    .optional(),
  recovery: z.object({ kid: z.string(), jwe: z.string() }),
  /** 'pending' while a plaintext data folder of an older version is being encrypted */
  plaintextMigration: z.enum(['pending', 'done']),
})
export type KeysFile = z.infer<typeof keysFileSchema>

/** Electron's safeStorage, or a stand-in in tests. */
export interface OsKeyStore {
  /** e.g. gnome_libsecret, kwallet6, basic_text on Linux; 'dpapi'/'keychain' elsewhere */
  backend(): string
  available(): boolean
  encrypt(plain: Buffer): Buffer
  decrypt(sealed: Buffer): Buffer
}

export interface KeyOptions {
  /** Electron: the OS secret store; absent in browser mode (key file) */
  os?: OsKeyStore
  /** the office's policy allows Linux's basic_text backend (a hard-coded key): default no */
  allowBasicText?: boolean
  /** browser mode: passphrase for the key file (AKTENFLUSS_PASSPHRASE / --passphrase-file) */
  passphrase?: string
  /** the office recovery public key; default loadRecoveryPublicKey() */
  recovery?: { jwk: RecoveryPublicJwk; kid: string }
  /** never create keys (audit:verify, recover): only open existing ones */
  mustExist?: boolean
}

export interface DeskKeys {
  keyId: string
  /** hex of the SQLCipher raw key */
  dbKeyHex: string
  /** wraps the per-content blob keys */
  blobWrapKey: Buffer
  /** seals the secrets file */
  secretsKey: Buffer
  /** seals other files in the data folder (exports) */
  fileKey: Buffer
  /** how the data key was unwrapped: 'os:<backend>' or 'file' / 'file+passphrase' */
  unlockedBy: string
  migrationPending: boolean
  /** records that the plaintext migration finished */
  markMigrated(): void
}

/** Why the desk cannot open its data; always German, always with the way out. */
export class KeyAccessError extends Error {
  constructor(
    readonly code:
      | 'keyring_changed'
      | 'keyring_failed'
      | 'keyring_missing'
      | 'basic_text_refused'
      | 'passphrase_required'
      | 'wrong_passphrase'
      | 'keys_missing'
      | 'keys_damaged',
    message: string,
  ) {
    super(message)
    this.name = 'KeyAccessError'
  }
}

const RECOVERY_HINT = (dir: string) =>
  ` Die Daten sind nicht verloren und werden nicht durch eine leere Datenbank ersetzt. Bitte die IT verständigen: sie stellt den Zugang mit dem Wiederherstellungsschlüssel des Amts wieder her („npm run recover -- --data-dir ${dir} --recovery-key …“, docs/operations-desk.md).`

export const keyIdOf = (dataKey: Buffer) =>
  createHash('sha256').update(subkey(dataKey, 'key-id')).digest('hex').slice(0, 16)

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1')
/** true when the file starts with SQLite's plaintext header (an unencrypted database) */
export function isPlainSqlite(file: string): boolean {
  if (!existsSync(file)) return false
  const fd = openSync(file, 'r')
  try {
    const head = Buffer.alloc(16)
    return readSync(fd, head, 0, 16, 0) === 16 && head.equals(SQLITE_HEADER)
  } finally {
    closeSync(fd)
  }
}

const SCRYPT = { N: 2 ** 15, r: 8, p: 1 }
function passphraseKey(passphrase: string, salt: Buffer, p: { N: number; r: number; p: number }) {
  return scryptSync(passphrase.normalize('NFC'), salt, 32, { ...p, maxmem: 256 * p.N * p.r })
}

/** The key file's wrap (browser mode, or what `npm run recover` writes). */
export function fileWrap(dataKey: Buffer, passphrase?: string): NonNullable<KeysFile['file']> {
  if (!passphrase) return { kdf: 'none', key: dataKey.toString('base64') }
  const salt = randomBytes(16)
  const kek = passphraseKey(passphrase, salt, SCRYPT)
  return {
    kdf: 'scrypt',
    salt: salt.toString('base64'),
    ...SCRYPT,
    wrapped: seal(kek, dataKey, 'aktenfluss-data-key').toString('base64'),
  }
}

function unwrapFile(dir: string, f: NonNullable<KeysFile['file']>, passphrase?: string): Buffer {
  if (f.kdf === 'none') return Buffer.from(f.key, 'base64')
  if (!passphrase)
    throw new KeyAccessError(
      'passphrase_required',
      'Der Schlüssel dieses Arbeitsplatzes ist mit einer Passphrase geschützt. Bitte Aktenfluss mit der Passphrase starten (Umgebungsvariable AKTENFLUSS_PASSPHRASE oder --passphrase-file DATEI).',
    )
  const kek = passphraseKey(passphrase, Buffer.from(f.salt, 'base64'), f)
  try {
    return unseal(kek, Buffer.from(f.wrapped, 'base64'), 'aktenfluss-data-key')
  } catch (err) {
    if (!(err instanceof SealError)) throw err
    throw new KeyAccessError(
      'wrong_passphrase',
      'Die Passphrase ist falsch. Bitte die richtige Passphrase angeben; die Daten bleiben unverändert. Wer die Passphrase vergessen hat, wendet sich an die IT (Wiederherstellung mit dem Schlüssel des Amts, docs/operations-desk.md).' +
        ` Datenordner: ${dir}`,
    )
  }
}

function refuseBasicText(os: OsKeyStore, allow: boolean | undefined): void {
  if (os.backend() === 'basic_text' && !allow)
    throw new KeyAccessError(
      'basic_text_refused',
      'Der Schlüsselbund des Betriebssystems ist hier nur als „basic_text“ verfügbar: damit wäre der Schlüssel der Akten mit einem fest eingebauten Schlüssel geschützt, also praktisch unverschlüsselt. Aktenfluss legt so keine Daten an. Bitte einen Schlüsselbund (GNOME Keyring/KWallet) einrichten lassen oder die IT fragen, ob die Richtlinie des Amts „basic_text“ erlaubt (AKTENFLUSS_ALLOW_BASIC_TEXT=1).',
    )
}

function osWrap(os: OsKeyStore, dataKey: Buffer): NonNullable<KeysFile['os']> {
  if (!os.available())
    throw new KeyAccessError(
      'keyring_missing',
      'Der Schlüsselbund des Betriebssystems ist nicht verfügbar; ohne ihn kann Aktenfluss die Akten nicht verschlüsselt ablegen. Bitte die IT verständigen.',
    )
  return { backend: os.backend(), wrapped: os.encrypt(dataKey).toString('base64') }
}

function write(dir: string, k: KeysFile): void {
  writeFileAtomic(join(dir, RECOVERY_FILE), k.recovery.jwe + '\n')
  writeFileAtomic(join(dir, KEYS_FILE), JSON.stringify(k, null, 2) + '\n')
}

export function readKeysFile(dir: string): KeysFile | undefined {
  const file = join(dir, KEYS_FILE)
  if (!existsSync(file)) return undefined
  try {
    return keysFileSchema.parse(JSON.parse(readFileSync(file, 'utf8')))
  } catch {
    throw new KeyAccessError(
      'keys_damaged',
      `Die Schlüsseldatei „${file}“ ist beschädigt.` + RECOVERY_HINT(dir),
    )
  }
}

export function writeKeysFile(dir: string, k: KeysFile): void {
  write(dir, k)
}

function derive(dir: string, dataKey: Buffer, k: KeysFile, unlockedBy: string): DeskKeys {
  return {
    keyId: k.keyId,
    dbKeyHex: subkey(dataKey, 'database').toString('hex'),
    blobWrapKey: subkey(dataKey, 'blob-keys'),
    secretsKey: subkey(dataKey, 'secrets'),
    fileKey: subkey(dataKey, 'files'),
    unlockedBy,
    migrationPending: k.plaintextMigration === 'pending',
    markMigrated: () => {
      const now = readKeysFile(dir) ?? k
      write(dir, { ...now, plaintextMigration: 'done' })
    },
  }
}

/**
 * Opens (or, for a new or plaintext data folder, creates) the desk's keys. Never returns a
 * fresh key for a folder that already holds encrypted data: a lost or changed key store is a
 * KeyAccessError with a German message and the recovery path, so nobody starts on an empty
 * database.
 */
export function openDeskKeys(dir: string, opts: KeyOptions = {}): DeskKeys {
  const existing = readKeysFile(dir)
  if (existing) return unlock(dir, existing, opts)
  const db = join(dir, 'aktenfluss.db')
  const hasEncryptedData =
    (existsSync(db) && statSync(db).size > 0 && !isPlainSqlite(db)) ||
    existsSync(join(dir, RECOVERY_FILE)) ||
    existsSync(join(dir, 'secrets.sealed'))
  if (hasEncryptedData || opts.mustExist)
    throw new KeyAccessError(
      'keys_missing',
      `Die Schlüsseldatei „${join(dir, KEYS_FILE)}“ fehlt, die Daten dieses Arbeitsplatzes sind aber verschlüsselt.` +
        RECOVERY_HINT(dir),
    )
  if (opts.os) refuseBasicText(opts.os, opts.allowBasicText)
  const dataKey = randomBytes(32)
  const recovery = opts.recovery ?? loadRecoveryPublicKey()
  const plaintextLeft =
    isPlainSqlite(db) ||
    existsSync(join(dir, 'blobs')) ||
    existsSync(join(dir, 'secrets.json')) ||
    existsSync(join(dir, 'secrets.enc.json')) ||
    existsSync(join(dir, 'exports'))
  const k: KeysFile = {
    format: 'aktenfluss-desk-keys/1',
    keyId: keyIdOf(dataKey),
    createdAt: new Date().toISOString(),
    ...(opts.os ? { os: osWrap(opts.os, dataKey) } : { file: fileWrap(dataKey, opts.passphrase) }),
    recovery: { kid: recovery.kid, jwe: wrapForRecovery(dataKey, recovery) },
    plaintextMigration: plaintextLeft ? 'pending' : 'done',
  }
  write(dir, k)
  return derive(dir, dataKey, k, opts.os ? `os:${opts.os.backend()}` : fileLabel(k))
}

const fileLabel = (k: KeysFile) => (k.file?.kdf === 'scrypt' ? 'file+passphrase' : 'file')

function unlock(dir: string, k: KeysFile, opts: KeyOptions): DeskKeys {
  let dataKey: Buffer
  let by: string
  if (opts.os && k.os) {
    const now = opts.os.available() ? opts.os.backend() : 'nicht verfügbar'
    if (now !== k.os.backend)
      throw new KeyAccessError(
        'keyring_changed',
        `Der Schlüssel dieses Arbeitsplatzes wurde mit dem Schlüsselbund „${k.os.backend}“ geschützt, jetzt meldet das Betriebssystem „${now}“ (zum Beispiel nach einem Wechsel zwischen GNOME und KDE oder einer Flatpak-Installation). Aktenfluss öffnet deshalb vorerst nichts.` +
          RECOVERY_HINT(dir),
      )
    try {
      dataKey = opts.os.decrypt(Buffer.from(k.os.wrapped, 'base64'))
    } catch (err) {
      throw new KeyAccessError(
        'keyring_failed',
        `Der Schlüsselbund „${k.os.backend}“ gibt den Schlüssel dieses Arbeitsplatzes nicht heraus (${err instanceof Error ? err.message.slice(0, 120) : String(err)}).` +
          RECOVERY_HINT(dir),
      )
    }
    by = `os:${k.os.backend}`
  } else if (k.file) {
    dataKey = unwrapFile(dir, k.file, opts.passphrase)
    by = fileLabel(k)
  } else {
    throw new KeyAccessError(
      'keyring_missing',
      'Der Schlüssel dieses Arbeitsplatzes liegt im Schlüsselbund des Betriebssystems, den es hier nicht gibt (etwa ein Datenordner aus der Desktop-Anwendung im Browser-Modus oder auf einem anderen Rechner).' +
        RECOVERY_HINT(dir),
    )
  }
  if (dataKey.length !== 32 || keyIdOf(dataKey) !== k.keyId)
    throw new KeyAccessError(
      'keyring_failed',
      'Der entschlüsselte Schlüssel passt nicht zu diesem Datenordner.' + RECOVERY_HINT(dir),
    )
  // after a recovery by IT (key file) the desktop app moves the key back into the OS store
  if (opts.os && !k.os) {
    refuseBasicText(opts.os, opts.allowBasicText)
    const { file: _file, ...rest } = k
    k = { ...rest, os: osWrap(opts.os, dataKey) }
    write(dir, k)
    by = `os:${opts.os.backend()}`
  }
  return derive(dir, dataKey, k, by)
}
