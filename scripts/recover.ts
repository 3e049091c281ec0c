/**
 * For IT: gives a desk its data back with the office recovery key (issue #17,
 * docs/operations-desk.md "Wiederherstellung"):
 *
 *   npm run recover -- --data-dir DIR --recovery-key PRIVATE.jwk [--passphrase-file F]
 *
 * Opens the data key's recovery JWE (DIR/aktenfluss.keys.json, or DIR/aktenfluss.recovery.jwe
 * when the keys file is damaged) with the office's private key and re-wraps the key in a 0600
 * key file (with the passphrase when given). The desktop app moves it back into the OS secret
 * store at its next start. The data themselves are not touched. Exit 0 done, 1 refused, 2 usage.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { recoverDataKey } from '../main/core/atRest/recover'

function fail(message: string, code = 2): never {
  console.error(message)
  process.exit(code)
}

const USAGE =
  'Aufruf: npm run recover -- --data-dir ORDNER --recovery-key PRIVATER-SCHLÜSSEL.jwk [--passphrase-file DATEI]'
let values: Record<string, string | undefined>
try {
  values = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      'recovery-key': { type: 'string' },
      'passphrase-file': { type: 'string' },
    },
    strict: true,
  }).values
} catch (err) {
  fail(`${USAGE} (${err instanceof Error ? err.message : String(err)})`)
}
const dir = values['data-dir'] && resolve(values['data-dir'])
const keyFile = values['recovery-key'] && resolve(values['recovery-key'])
if (!dir || !keyFile) fail(USAGE)
if (!existsSync(keyFile)) fail(`Der private Wiederherstellungsschlüssel „${keyFile}“ fehlt.`)
const passphrase = values['passphrase-file']
  ? readFileSync(resolve(values['passphrase-file']), 'utf8').replace(/\r?\n$/, '')
  : undefined

try {
  const r = await recoverDataKey(dir, JSON.parse(readFileSync(keyFile, 'utf8')) as unknown, {
    ...(passphrase ? { passphrase } : {}),
  })
  console.log(
    `Zugang wiederhergestellt: Schlüssel ${r.keyId} (aus ${r.source === 'keys' ? 'der Schlüsseldatei' : join(dir, 'aktenfluss.recovery.jwe')}) liegt jetzt in der Schlüsseldatei${passphrase ? ', geschützt mit der neuen Passphrase' : ''}. Aktenfluss kann wieder gestartet werden; die Desktop-Anwendung legt den Schlüssel dann wieder in den Schlüsselbund des Betriebssystems.`,
  )
} catch (err) {
  fail(`Wiederherstellung abgelehnt: ${err instanceof Error ? err.message : String(err)}`, 1)
}
