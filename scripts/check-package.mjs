// Packaging check (npm run package:check): builds the unpacked Linux app with electron-builder
// and a placeholder Electron (the real zips need the internet, docs/toolchain.md), then inspects the
// produced app.asar: what must be in it, what must not (devDependencies), and that better-sqlite3's
// native module is unpacked. Also checks that the paths the shell and db/locate.ts use resolve
// inside the asar layout.
import { spawnSync } from 'node:child_process'
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, posix, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(import.meta.url)
const asar = require('@electron/asar')

const REQUIRED = [
  'out/main/index.js',
  // the intake worker pool's thread (main/features/intake/openPool.ts)
  'out/main/intake-worker.js',
  'out/preload/index.cjs',
  'out/renderer/index.html',
  'assets/procedures.json',
  'assets/icon.png',
  'db/migrations/0001-initial.sql',
  'package.json',
]
// always forbidden, whatever package.json says today
const NEVER = [
  'react',
  'react-dom',
  'vite',
  'vitest',
  '@playwright/test',
  'playwright',
  'playwright-core',
  'typescript',
  'eslint',
  'electron',
  'electron-builder',
  'electron-vite',
  'tsx',
  'esbuild',
  'prettier',
  'fast-check',
  'pdfjs-dist',
]

const problems = []
const check = (ok, message) => {
  if (!ok) problems.push(message)
}

function main() {
  const build = spawnSync(process.execPath, ['scripts/ensure-build.mjs'], {
    cwd: root,
    stdio: ['ignore', 2, 2],
  })
  if (build.status !== 0) process.exit(build.status ?? 1)

  const work = mkdtempSync(join(tmpdir(), 'aktenfluss-package-'))
  try {
    const electronDist = join(work, 'electron-dist')
    spawnSync('mkdir', ['-p', electronDist])
    writeFileSync(
      join(electronDist, 'electron'),
      '#!/bin/sh\necho "Platzhalter – kein echtes Electron"\nexit 1\n',
    )
    chmodSync(join(electronDist, 'electron'), 0o755)
    const output = join(work, 'dist')
    const t0 = Date.now()
    const eb = spawnSync(
      process.execPath,
      [
        join(root, 'node_modules', 'electron-builder', 'cli.js'),
        '--linux',
        '--dir',
        `-c.electronDist=${electronDist}`,
        '-c.npmRebuild=false',
        `-c.directories.output=${output}`,
      ],
      { cwd: root, encoding: 'utf8', env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' } },
    )
    if (eb.status !== 0) {
      console.error(eb.stdout, eb.stderr)
      console.error('electron-builder ist fehlgeschlagen.')
      process.exit(1)
    }
    const seconds = ((Date.now() - t0) / 1000).toFixed(1)
    const resources = join(output, 'linux-unpacked', 'resources')
    const archive = join(resources, 'app.asar')
    if (!existsSync(archive)) {
      console.error(`Kein app.asar unter ${resources}.`)
      process.exit(1)
    }
    const entries = asar.listPackage(archive).map((p) => p.replace(/\\/g, '/').replace(/^\//, ''))
    const fileEntries = []
    let packedBytes = 0
    let unpackedBytes = 0
    const bySize = new Map()
    for (const p of entries) {
      const st = asar.statFile(archive, p, false)
      if (!('size' in st)) continue
      fileEntries.push(p)
      if (st.unpacked) unpackedBytes += st.size
      else packedBytes += st.size
      const m = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(p)
      const key = m ? m[1] : p.split('/').slice(0, 2).join('/')
      bySize.set(key, (bySize.get(key) ?? 0) + st.size)
    }
    const has = (p) => fileEntries.includes(p)

    // 1. what must be there
    for (const r of REQUIRED) check(has(r), `fehlt im asar: ${r}`)
    const migrations = fileEntries.filter(
      (p) => p.startsWith('db/migrations/') && p.endsWith('.sql'),
    )
    const repoMigrations = spawnSync('ls', [join(root, 'db', 'migrations')], { encoding: 'utf8' })
      .stdout.split('\n')
      .filter((f) => f.endsWith('.sql'))
    check(
      migrations.length === repoMigrations.length,
      `Migrationen im asar: ${migrations.length}, im Quellbaum: ${repoMigrations.length}`,
    )

    // 2. what must not be there: devDependencies (anywhere under node_modules), sources, maps
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
    const forbidden = new Set([...Object.keys(pkg.devDependencies ?? {}), ...NEVER])
    // a devDependency that a production dependency also needs is legitimately present (nested or hoisted)
    const prodClosure = productionClosure(pkg)
    const packages = new Set(
      fileEntries
        .map((p) => /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(p)?.[1])
        .filter(Boolean),
    )
    const devInside = [...packages].filter((name) => forbidden.has(name) && !prodClosure.has(name))
    check(devInside.length === 0, `devDependencies im asar: ${devInside.join(', ')}`)
    const stray = fileEntries.filter(
      (p) =>
        /^(renderer|main|preload|hub|e2e|bench|scripts|src)\//.test(p) ||
        (!p.includes('node_modules/') && /\.(ts|tsx|map)$/.test(p)),
    )
    check(stray.length === 0, `Quelltexte/Maps im asar: ${stray.slice(0, 5).join(', ')}`)

    // 3. the native module lives outside the asar
    const nativeModules = fileEntries.filter((p) => p.endsWith('.node'))
    // the desk's encrypted database (multiple-ciphers) and the embedded demo hub's plain SQLite
    for (const sqliteNode of [
      'node_modules/better-sqlite3/build/Release/better_sqlite3.node',
      'node_modules/better-sqlite3-multiple-ciphers/build/Release/better_sqlite3.node',
    ]) {
      check(has(sqliteNode), `fehlt: ${sqliteNode}`)
      if (has(sqliteNode)) {
        check(
          asar.statFile(archive, sqliteNode, false).unpacked === true,
          `${sqliteNode} ist nicht als unpacked markiert`,
        )
        check(
          existsSync(join(resources, 'app.asar.unpacked', sqliteNode)),
          `${sqliteNode} fehlt in app.asar.unpacked`,
        )
      }
    }
    for (const n of nativeModules)
      check(
        asar.statFile(archive, n, false).unpacked === true,
        `natives Modul im asar (nicht ladbar): ${n}`,
      )

    // 4. the paths the app computes at run time, replayed on the asar layout
    const mainDir = posix.dirname(pkg.main ?? 'out/main/index.js')
    check(has(pkg.main), `package.json "main" (${pkg.main}) fehlt im asar`)
    check(
      has(posix.join(mainDir, '../renderer/index.html')),
      'main/electron/index.ts: ../renderer/index.html relativ zum Bundle fehlt',
    )
    check(
      has(posix.join(mainDir, '../preload/index.cjs')),
      'main/electron/index.ts: ../preload/index.cjs relativ zum Bundle fehlt',
    )
    const walkUp = (rel) => {
      for (let dir = mainDir; ; dir = posix.dirname(dir)) {
        const candidate = posix.normalize(posix.join(dir, rel))
        if (fileEntries.some((p) => p === candidate || p.startsWith(`${candidate}/`)))
          return candidate
        if (dir === '.' || dir === '') return undefined
      }
    }
    check(
      walkUp('db/migrations') === 'db/migrations',
      'db/locate.ts findet db/migrations vom Bundle aus nicht',
    )
    check(
      walkUp('assets/procedures.json') === 'assets/procedures.json',
      'assets/procedures.json vom Bundle aus nicht auffindbar',
    )
    // every `new URL('<relative>', import.meta.url)` the bundler left in the main bundle must point at a shipped file
    const bundle = asar.extractFile(archive, pkg.main).toString('utf8')
    const relativeUrls = [
      ...bundle.matchAll(/new URL\(\s*["'`]([^"'`]+)["'`]\s*,\s*import\.meta\.url\s*\)/g),
    ].map((m) => m[1])
    for (const rel of new Set(relativeUrls)) {
      const target = posix.normalize(posix.join(mainDir, rel))
      check(
        !target.startsWith('..') &&
          fileEntries.some((p) => p === target || p.startsWith(`${target}/`)),
        `${pkg.main}: new URL("${rel}", import.meta.url) zeigt im asar ins Leere (${target})`,
      )
    }
    const packagedPkg = JSON.parse(asar.extractFile(archive, 'package.json').toString('utf8'))
    check(
      packagedPkg.type === 'module',
      'package.json im asar: "type": "module" fehlt (das Bundle ist ESM)',
    )

    // report
    const mb = (n) => `${(n / 1024 / 1024).toFixed(1)} MB`
    const asarSize = statSync(archive).size
    console.log(`electron-builder --linux --dir (Platzhalter-Electron) in ${seconds} s`)
    console.log(
      `app.asar: ${mb(asarSize)} auf der Platte, ${fileEntries.length} Dateien (${mb(packedBytes)} gepackt, ${mb(unpackedBytes)} in app.asar.unpacked)`,
    )
    console.log(
      `node_modules: ${packages.size} Pakete; native Module: ${nativeModules.join(', ') || '–'}`,
    )
    console.log(
      `import.meta.url-relative Pfade im Main-Bundle geprüft: ${new Set(relativeUrls).size}`,
    )
    console.log(
      `App-Dateien: ${fileEntries.filter((p) => !p.includes('node_modules/')).length} (out/, assets/, db/migrations/ mit ${migrations.length} Migrationen, package.json)`,
    )
    console.log('Größte Teile:')
    for (const [k, v] of [...bySize].sort((a, b) => b[1] - a[1]).slice(0, 8))
      console.log(`  ${mb(v).padStart(8)}  ${k}`)
    if (problems.length > 0) {
      console.error(`\nPaketprüfung fehlgeschlagen (${problems.length}):`)
      for (const p of problems) console.error(`  - ${p}`)
      process.exit(1)
    }
    console.log(
      '\nPaketprüfung bestanden: Pflichtdateien vorhanden, keine devDependencies, better-sqlite3 und better-sqlite3-multiple-ciphers ausgepackt, Pfade auflösbar.',
    )
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

/** Names of all packages reachable from the production dependencies (per package-lock.json). */
function productionClosure(pkg) {
  const lockFile = join(root, 'package-lock.json')
  const names = new Set()
  if (!existsSync(lockFile)) return names
  const lock = JSON.parse(readFileSync(lockFile, 'utf8'))
  const packages = lock.packages ?? {}
  const resolveDep = (fromPath, name) => {
    for (let base = fromPath; ;) {
      const candidate = `${base ? `${base}/` : ''}node_modules/${name}`
      if (packages[candidate]) return candidate
      if (!base) return undefined
      const idx = base.lastIndexOf('/node_modules/')
      base = idx === -1 ? '' : base.slice(0, idx)
    }
  }
  const queue = Object.keys(pkg.dependencies ?? {})
    .map((n) => resolveDep('', n))
    .filter(Boolean)
  const seen = new Set()
  while (queue.length) {
    const p = queue.pop()
    if (seen.has(p)) continue
    seen.add(p)
    const entry = packages[p]
    names.add(p.slice(p.lastIndexOf('node_modules/') + 'node_modules/'.length))
    for (const dep of Object.keys({
      ...(entry.dependencies ?? {}),
      ...(entry.optionalDependencies ?? {}),
    })) {
      const r = resolveDep(p, dep)
      if (r) queue.push(r)
    }
  }
  return names
}

main()
