/**
 * Testhilfe: Debian-Werkzeuge (poppler-utils, qpdf). Fehlen sie, schlägt der Test mit klarer
 * Anweisung fehl – kein stilles Überspringen (CI installiert sie).
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const checked = new Set<string>()

export function requireTool(
  name: 'pdfsig' | 'pdftotext' | 'pdftoppm' | 'pdfinfo' | 'qpdf' | 'openssl',
): void {
  if (checked.has(name)) return
  const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' })
  if (r.status !== 0) {
    throw new Error(
      `Werkzeug „${name}“ fehlt. Bitte installieren: apt-get install poppler-utils qpdf openssl`,
    )
  }
  checked.add(name)
}

let dir: string | undefined
export function tempPdf(bytes: Uint8Array, name = 'doc.pdf'): string {
  dir ??= mkdtempSync(join(tmpdir(), 'aktenfluss-pdf-'))
  const p = join(dir, `${Math.random().toString(36).slice(2)}-${name}`)
  writeFileSync(p, bytes)
  return p
}

export function run(
  cmd: 'pdfsig' | 'pdftotext' | 'pdfinfo' | 'qpdf' | 'openssl',
  args: string[],
): { status: number; out: string } {
  requireTool(cmd)
  const r = spawnSync(cmd, args, { encoding: 'utf8' })
  return { status: r.status ?? -1, out: `${r.stdout}${r.stderr}` }
}

export function pdfText(bytes: Uint8Array): string {
  const { status, out } = run('pdftotext', ['-enc', 'UTF-8', tempPdf(bytes), '-'])
  if (status !== 0) throw new Error(`pdftotext: ${out}`)
  return out
}

export function pdfsig(bytes: Uint8Array): string {
  return run('pdfsig', [tempPdf(bytes)]).out
}

export function qpdfCheck(bytes: Uint8Array): { status: number; out: string } {
  return run('qpdf', ['--check', tempPdf(bytes)])
}

export function pdfInfo(bytes: Uint8Array, ...args: string[]): string {
  const { status, out } = run('pdfinfo', [...args, tempPdf(bytes)])
  if (status !== 0) throw new Error(`pdfinfo: ${out}`)
  return out
}

/** Text einer Seite in Lesereihenfolge (pdftotext ohne -layout). */
export function pdfPageText(bytes: Uint8Array, page: number): string {
  const { status, out } = run('pdftotext', [
    '-enc',
    'UTF-8',
    '-f',
    String(page),
    '-l',
    String(page),
    tempPdf(bytes),
    '-',
  ])
  if (status !== 0) throw new Error(`pdftotext: ${out}`)
  return out
}

/**
 * Unabhängige Prüfung eines RFC-3161-Zeitstempels mit OpenSSL (`openssl ts`): pdfsig 22.12 wertet
 * das Attribut signatureTimeStampToken nicht aus. `data` = die gestempelten Bytes (bei einem
 * Signaturzeitstempel der Signaturwert), `caFile` = Vertrauensanker der TSA.
 */
export function opensslTimestamp(
  token: Uint8Array,
  data: Uint8Array,
  caFile: string,
): { verified: boolean; time: string | undefined; out: string } {
  const tokenFile = tempPdf(token, 'tst.der')
  const text = run('openssl', ['ts', '-reply', '-token_in', '-in', tokenFile, '-text'])
  const verify = run('openssl', [
    'ts',
    '-verify',
    '-token_in',
    '-in',
    tokenFile,
    '-data',
    tempPdf(data, 'signed.bin'),
    '-CAfile',
    caFile,
  ])
  return {
    verified: verify.status === 0 && /Verification: OK/.test(verify.out),
    time: /Time stamp: (.+)/.exec(text.out)?.[1]?.trim(),
    out: `${text.out}\n${verify.out}`,
  }
}
