// Validates xdomea messages against the 3.0.0 XSD with xmllint (Debian package libxml2-utils).
// Used by the tests and by scripts/archive-sample.ts; the desk itself does not need it.

import { spawnSync } from 'node:child_process'
import { locateShipped } from '../../../db/locate'

/** found by walking up (sources, the bundle in out/main, an asar) */
export const xdomeaXsd = (): string => locateShipped('assets/xdomea/xdomea_3.0.0/xdomea.xsd')

export class XmllintMissingError extends Error {
  constructor() {
    super('xmllint nicht gefunden: apt-get install libxml2-utils')
    this.name = 'XmllintMissingError'
  }
}

export interface XsdValidationResult {
  valid: boolean
  /** xmllint's messages (stderr), one per line */
  errors: string[]
}

/** Runs `xmllint --noout --nonet --schema xdomea.xsd -` on the XML. Throws XmllintMissingError when absent. */
export function validateXdomea(
  xml: string,
  options: { schemaPath?: string; xmllint?: string } = {},
): XsdValidationResult {
  const r = spawnSync(
    options.xmllint ?? 'xmllint',
    ['--noout', '--nonet', '--schema', options.schemaPath ?? xdomeaXsd(), '-'],
    {
      input: xml,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    },
  )
  if (r.error) {
    if ((r.error as NodeJS.ErrnoException).code === 'ENOENT') throw new XmllintMissingError()
    throw r.error
  }
  const errors = r.stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/ validates$/.test(l))
  return { valid: r.status === 0, errors }
}
