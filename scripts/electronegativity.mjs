// Electron security scan (npm run security:scan): builds, runs @doyensec/electronegativity 1.10
// over the built main process, preload and the renderer's HTML, prints the findings and fails on
// every HIGH or MEDIUM finding that scripts/electronegativity-allow.json does not explain.
//
// electronegativity is installed outside the app's dependencies (docs/toolchain.md) into
// node_modules/.cache/electronegativity, once. It exits 0 even with findings, so its CSV is read.
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const VERSION = '1.10'
const cacheDir = join(root, 'node_modules', '.cache', 'electronegativity')
const bin = join(cacheDir, 'node_modules', '@doyensec', 'electronegativity', 'dist', 'index.js')
const allowFile = join(root, 'scripts', 'electronegativity-allow.json')
const FAILING = new Set(['HIGH', 'MEDIUM'])

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', ...opts })
  if (r.error) throw r.error
  return r
}

/** Minimal RFC 4180 CSV reader (quoted fields, doubled quotes, commas and newlines inside quotes). */
/**
 * electronegativity 1.10 sometimes writes a row whose start is cut off (seen for CSP_GLOBAL_CHECK:
 * the row begins in the middle of the sample and leaves a quote open). Parsed as one CSV, that open
 * quote swallowed every later row, so their MEDIUM findings were never judged. Rows are therefore
 * split where a line starts with a check id, and each is parsed on its own; a row without its head
 * is named by its wiki URL and kept (severity unknown) so that it shows in the table.
 */
export function parseFindings(text) {
  const lines = text.split(/\r?\n/)
  const header = parseCsv(lines[0] ?? '')[0] ?? []
  const records = []
  for (const line of lines.slice(1)) {
    if (/^[A-Z][A-Z0-9_]*_CHECK,/.test(line) || records.length === 0) records.push(line)
    else records[records.length - 1] += '\n' + line
  }
  const rows = records
    .filter((r) => r.trim() !== '')
    .map((r) => {
      if (/^[A-Z][A-Z0-9_]*_CHECK,/.test(r)) return parseCsv(r)[0] ?? []
      const check = /\/wiki\/([A-Z0-9_]+)\s*$/.exec(r)?.[1] ?? 'UNLESBARE_ZEILE'
      const row = header.map(() => '')
      row[header.findIndex((h) => h.trim() === 'issue')] = check
      row[header.findIndex((h) => h.trim() === 'severity')] = 'UNBEKANNT (Zeile unvollständig)'
      row[header.findIndex((h) => h.trim() === 'sample')] = r.slice(0, 60)
      return row
    })
  return [header, ...rows]
}

export function parseCsv(text) {
  const rows = []
  let row = []
  let field = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"'
        i++
      } else if (c === '"') quoted = false
      else field += c
    } else if (c === '"') quoted = true
    else if (c === ',') {
      row.push(field)
      field = ''
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++
      row.push(field)
      if (row.some((f) => f.trim() !== '')) rows.push(row)
      row = []
      field = ''
    } else field += c
  }
  row.push(field)
  if (row.some((f) => f.trim() !== '')) rows.push(row)
  return rows
}

function ensureScanner() {
  const pkg = join(cacheDir, 'node_modules', '@doyensec', 'electronegativity', 'package.json')
  if (
    existsSync(bin) &&
    existsSync(pkg) &&
    JSON.parse(readFileSync(pkg, 'utf8')).version.startsWith(`${VERSION}.`)
  )
    return
  console.error(
    `Installiere @doyensec/electronegativity@${VERSION} nach ${cacheDir} (nicht in die App-Abhängigkeiten) …`,
  )
  mkdirSync(cacheDir, { recursive: true })
  const r = run(
    'npm',
    [
      'install',
      '--prefix',
      cacheDir,
      '--no-save',
      '--no-package-lock',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      `@doyensec/electronegativity@${VERSION}`,
    ],
    {
      stdio: ['ignore', 2, 2],
    },
  )
  if (r.status !== 0 || !existsSync(bin)) {
    console.error('electronegativity konnte nicht installiert werden.')
    process.exit(2)
  }
}

function main() {
  const build = run(process.execPath, ['scripts/ensure-build.mjs'], { stdio: ['ignore', 2, 2] })
  if (build.status !== 0) process.exit(build.status ?? 1)
  ensureScanner()

  // Scan exactly what ships as code: the main bundle, the preload and the HTML (for its CSP).
  // The renderer's JS bundle is React + pdf.js without Electron APIs; it would only add noise.
  const work = mkdtempSync(join(tmpdir(), 'electronegativity-'))
  try {
    const scan = join(work, 'scan')
    cpSync(join(root, 'out', 'main'), join(scan, 'main'), { recursive: true })
    cpSync(join(root, 'out', 'preload'), join(scan, 'preload'), { recursive: true })
    cpSync(join(root, 'out', 'renderer', 'index.html'), join(scan, 'index.html'))
    const electronVersion = createRequire(import.meta.url)('electron/package.json').version
    const csv = join(work, 'findings.csv')
    const t0 = Date.now()
    // AvailableSecurityFixesGlobalCheck downloads Electron's release list: no internet here.
    const r = run(
      process.execPath,
      [
        bin,
        '-i',
        scan,
        '-o',
        csv,
        '-r',
        '-v',
        'false',
        '-e',
        electronVersion,
        '-x',
        'AvailableSecurityFixesGlobalCheck',
      ],
      {
        env: { ...process.env, LANG: 'en-US' },
      },
    )
    if (r.status !== 0 || !existsSync(csv)) {
      console.error(r.stdout, r.stderr)
      console.error('electronegativity ist fehlgeschlagen (keine Ergebnisdatei).')
      process.exit(2)
    }
    const [header, ...rows] = parseFindings(readFileSync(csv, 'utf8'))
    const col = (name) => header.findIndex((h) => h.trim() === name)
    const findings = rows.map((f) => ({
      check: f[col('issue')],
      severity: f[col('severity')],
      confidence: f[col('confidence')],
      file: f[col('filename')],
      location: f[col('location')],
      sample: (f[col('sample')] ?? '').replace(/\s+/g, ' ').slice(0, 60),
      description: f[col('description')],
    }))
    const allow = JSON.parse(readFileSync(allowFile, 'utf8')).allow
    for (const a of allow) {
      if (!a.check || !a.file || typeof a.reason !== 'string' || a.reason.trim().length < 10) {
        console.error(
          `Ungültiger Eintrag in ${allowFile}: ${JSON.stringify(a)} (check, file und eine Begründung sind Pflicht)`,
        )
        process.exit(2)
      }
    }
    const allowedBy = (f) => allow.find((a) => a.check === f.check && a.file === f.file)
    const verdict = (f) => (!FAILING.has(f.severity) ? 'info' : allowedBy(f) ? 'erlaubt' : 'FEHLER')

    console.log(
      `electronegativity ${VERSION} (Electron ${electronVersion}) über out/main, out/preload, out/renderer/index.html – ${findings.length} Befunde in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`,
    )
    const table = findings.map((f) => [
      verdict(f),
      f.severity,
      f.confidence,
      f.check,
      `${f.file}:${f.location}`,
      f.sample,
    ])
    const head = ['Urteil', 'Schwere', 'Sicherheit', 'Prüfung', 'Ort', 'Auszug']
    const widths = head.map((h, i) =>
      Math.max(h.length, ...table.map((row) => String(row[i]).length)),
    )
    const line = (cells) => cells.map((c, i) => String(c).padEnd(widths[i])).join('  ')
    console.log(line(head))
    console.log(widths.map((w) => '-'.repeat(w)).join('  '))
    for (const row of table) console.log(line(row))
    for (const f of findings) {
      const a = allowedBy(f)
      if (a && FAILING.has(f.severity))
        console.log(`\n  ${f.check} (${f.file}) erlaubt: ${a.reason}`)
    }
    const unused = allow.filter(
      (a) => !findings.some((f) => f.check === a.check && f.file === a.file),
    )
    for (const a of unused)
      console.log(
        `\nHinweis: Ausnahme ${a.check} (${a.file}) wird nicht mehr gebraucht – bitte aus ${allowFile} entfernen.`,
      )

    const failing = findings.filter((f) => verdict(f) === 'FEHLER')
    if (failing.length > 0) {
      console.error(
        `\n${failing.length} Befund(e) der Stufe HIGH/MEDIUM ohne Begründung in scripts/electronegativity-allow.json:`,
      )
      for (const f of failing)
        console.error(`  ${f.check} ${f.file}:${f.location} – ${f.description}`)
      process.exit(1)
    }
    console.log('\nSicherheitsprüfung bestanden: kein unbegründeter HIGH/MEDIUM-Befund.')
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

main()
