#!/usr/bin/env node
// Before `npm test`: the Debian packages the tests drive (docs/toolchain.md). One line names all
// that are missing and how to install them, instead of a dozen failing tests later.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'

const PACKAGES = [
  { pkg: 'chromium', commands: ['chromium'] },
  { pkg: 'poppler-utils', commands: ['pdfsig', 'pdftotext', 'pdftoppm', 'pdfinfo', 'pdffonts'] },
  { pkg: 'qpdf', commands: ['qpdf'] },
  { pkg: 'libxml2-utils', commands: ['xmllint'] },
  { pkg: 'openssl', commands: ['openssl'] },
  // the hub's PostgreSQL tests start a throwaway cluster (testing/postgres/cluster.ts)
  { pkg: 'postgresql', check: () => hasPgBin() },
]

const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0
const hasPgBin = () =>
  existsSync('/usr/lib/postgresql') &&
  readdirSync('/usr/lib/postgresql').some((v) => existsSync(`/usr/lib/postgresql/${v}/bin/initdb`))
const missing = PACKAGES.filter((p) => !(p.check ? p.check() : p.commands.every(has))).map(
  (p) => p.pkg,
)
if (missing.length > 0) {
  console.error(
    `Für die Tests fehlen Systempakete: ${missing.join(', ')} – bitte installieren: sudo apt-get install -y ${missing.join(' ')}`,
  )
  process.exit(1)
}
