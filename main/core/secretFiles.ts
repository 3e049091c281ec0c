/**
 * Permission checks for the files the desk configuration names (main/core/deskConfig.ts): the
 * configuration file itself and the secret files (client secret, desk secret, private keys).
 */
import { readFileSync, statSync, type Stats } from 'node:fs'

export class DeskConfigError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'DeskConfigError'
  }
}

// ---------------------------------------------------------------------------------------------
// file permissions (POSIX; on Windows the ACLs of %ProgramData% are IT's responsibility)

const octal = (mode: number) => `0${(mode & 0o777).toString(8)}`
const uid = () => (typeof process.getuid === 'function' ? process.getuid() : undefined)

/** The config file must not be changeable by anyone but its owner (root or the desk's account). */
export function checkConfigFile(path: string, st: Stats, platform: NodeJS.Platform): void {
  if (platform === 'win32') return
  const me = uid()
  if (st.mode & 0o022)
    throw new DeskConfigError(
      `Die Konfigurationsdatei „${path}“ ist für andere Konten schreibbar (Modus ${octal(st.mode)}). Wer sie ändern kann, lenkt die Zugangsdaten um: bitte „chmod 644 ${path}“ (oder strenger) setzen.`,
    )
  if (me !== undefined && st.uid !== 0 && st.uid !== me)
    throw new DeskConfigError(
      `Die Konfigurationsdatei „${path}“ gehört einem anderen Konto (uid ${st.uid}). Sie muss root oder dem Konto dieses Arbeitsplatzes gehören.`,
    )
}

/**
 * Reads a secret file (client secret, desk secret, private key) after checking that only its
 * owner can read it: world-readable or writable by others → refused; group-readable → warning.
 */
export function readSecretFile(
  path: string,
  where: string,
  platform: NodeJS.Platform = process.platform,
): { value: string; warning?: string } {
  let st: Stats
  let value: string
  try {
    st = statSync(path)
    if (!st.isFile()) throw new Error('keine Datei')
    value = readFileSync(path, 'utf8')
  } catch (err) {
    throw new DeskConfigError(
      `${where}: Die Datei „${path}“ ist nicht lesbar (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}). Bitte Pfad und Berechtigungen prüfen.`,
    )
  }
  let warning: string | undefined
  if (platform !== 'win32') {
    const me = uid()
    if (st.mode & 0o007)
      throw new DeskConfigError(
        `${where}: Die Datei „${path}“ ist für alle Benutzer dieses Rechners zugänglich (Modus ${octal(st.mode)}). Aus Sicherheitsgründen wird sie nicht verwendet: bitte „chmod 600 ${path}“ setzen und das Geheimnis erneuern, falls andere es gelesen haben könnten.`,
      )
    if (st.mode & 0o020)
      throw new DeskConfigError(
        `${where}: Die Datei „${path}“ ist für die Gruppe schreibbar (Modus ${octal(st.mode)}). Bitte „chmod 600 ${path}“ setzen.`,
      )
    if (me !== undefined && st.uid !== me && st.uid !== 0)
      throw new DeskConfigError(
        `${where}: Die Datei „${path}“ gehört einem anderen Konto (uid ${st.uid}). Bitte dem Konto dieses Arbeitsplatzes übertragen (chown) und „chmod 600“ setzen.`,
      )
    if (st.mode & 0o040)
      warning = `${where}: Die Datei „${path}“ ist für die Gruppe lesbar (Modus ${octal(st.mode)}). Empfohlen ist „chmod 600 ${path}“.`
  }
  return { value: value.replace(/\r?\n$/, ''), ...(warning ? { warning } : {}) }
}
