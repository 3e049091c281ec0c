#!/usr/bin/env node
// Before `npm test`: the Debian packages the tests drive (docs/toolchain.md). One line names all
// that are missing and how to install them, instead of a dozen failing tests later.
import { spawnSync } from 'node:child_process'

const PACKAGES = [
  { pkg: 'chromium', commands: ['chromium'] },
  { pkg: 'poppler-utils', commands: ['pdfsig', 'pdftotext', 'pdftoppm', 'pdfinfo', 'pdffonts'] },
  { pkg: 'qpdf', commands: ['qpdf'] },
  { pkg: 'libxml2-utils', commands: ['xmllint'] },
  { pkg: 'openssl', commands: ['openssl'] },
]

const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0
const missing = PACKAGES.filter((p) => !p.commands.every(has)).map((p) => p.pkg)
if (missing.length > 0) {
  console.error(
    `Für die Tests fehlen Systempakete: ${missing.join(', ')} – bitte installieren: sudo apt-get install -y ${missing.join(' ')}`,
  )
  process.exit(1)
}
