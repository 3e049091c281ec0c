/**
 * Checks the hash-chained audit trail (Verlauf) of a desk's database without changing it:
 *
 *   npm run audit:verify -- --data-dir DIR
 *
 * Opens DIR/aktenfluss.db read-only (an encrypted one with the desk's key file; a passphrase
 * from AKTENFLUSS_PASSPHRASE or --passphrase-file F), walks the chain (verifyHistoryChain) and prints one German
 * line: "Prüfkette intakt: N Einträge" (exit 0) or "Prüfkette gebrochen bei Eintrag #SEQ: GRUND"
 * (exit 1). Usage errors and unreadable databases exit 2.
 */
import { openDatabaseReadOnly, type ReadDb } from '../db/open'
import { existsSync, readFileSync } from 'node:fs'
import { openDeskKeys, readKeysFile } from '../main/core/atRest/keys'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { verifyHistoryChain } from '../db/repositories/history'

function fail(message: string): never {
  console.error(message)
  process.exit(2)
}

let values: { 'data-dir'?: string | undefined; 'passphrase-file'?: string | undefined }
try {
  values = parseArgs({
    options: { 'data-dir': { type: 'string' }, 'passphrase-file': { type: 'string' } },
    strict: true,
  }).values
} catch (err) {
  fail(
    `Aufruf: npm run audit:verify -- --data-dir ORDNER (${err instanceof Error ? err.message : String(err)})`,
  )
}
if (!values['data-dir']) fail('Aufruf: npm run audit:verify -- --data-dir ORDNER')

const file = join(resolve(values['data-dir']), 'aktenfluss.db')
if (!existsSync(file)) fail(`Keine Datenbank gefunden: ${file}`)

let db: ReadDb
try {
  const dir = resolve(values['data-dir'])
  const passphrase = values['passphrase-file']
    ? readFileSync(resolve(values['passphrase-file']), 'utf8').replace(/\r?\n$/, '')
    : process.env.AKTENFLUSS_PASSPHRASE
  const key = readKeysFile(dir)
    ? openDeskKeys(dir, { mustExist: true, ...(passphrase ? { passphrase } : {}) }).dbKeyHex
    : undefined
  db = openDatabaseReadOnly(file, key)
} catch (err) {
  fail(
    `Die Datenbank ${file} lässt sich nicht öffnen: ${err instanceof Error ? err.message : String(err)}`,
  )
}

try {
  const result = verifyHistoryChain(db)
  if (result.ok) {
    console.log(`Prüfkette intakt: ${result.entries} Einträge`)
    process.exitCode = 0
  } else {
    console.log(`Prüfkette gebrochen bei Eintrag #${result.brokenAt}: ${result.reason}`)
    process.exitCode = 1
  }
} catch (err) {
  console.error(
    `Die Prüfkette ließ sich nicht lesen: ${err instanceof Error ? err.message : String(err)}`,
  )
  process.exitCode = 2
} finally {
  db.close()
}
