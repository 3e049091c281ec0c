/**
 * Zugriff auf assets/ (Verfahren, Bescheidvorlagen, Schriften). Reine Node-Funktionen, gecacht.
 *
 * Der Ordner wird so gefunden: Umgebungsvariable AKTENFLUSS_ASSETS_DIR, sonst aufwärts vom
 * Modulpfad der erste Ordner `assets/` mit einer `procedures.json` (Quellbaum, Tests, gebündelt
 * unter out/ oder in resources/ einer paketierten App, solange assets/ daneben liegt).
 */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

let cachedDir: string | undefined

export function assetsDir(): string {
  if (cachedDir) return cachedDir
  const fromEnv = process.env.AKTENFLUSS_ASSETS_DIR
  if (fromEnv && existsSync(join(fromEnv, 'procedures.json'))) return (cachedDir = fromEnv)
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const candidate = join(dir, 'assets')
    if (existsSync(join(candidate, 'procedures.json'))) return (cachedDir = candidate)
    const parent = dirname(dir)
    if (parent === dir) break
    dir = parent
  }
  throw new Error('Der Ordner assets/ mit procedures.json wurde nicht gefunden (AKTENFLUSS_ASSETS_DIR setzen).')
}

export function assetPath(...parts: string[]): string {
  return join(assetsDir(), ...parts)
}

export interface FontBytes {
  readonly regular: Uint8Array
  readonly bold: Uint8Array
}

let fonts: FontBytes | undefined

/** DejaVu Sans (normal, fett) aus assets/fonts/ – Lizenz: assets/fonts/LICENSE-DejaVu.txt. */
export function loadFontBytes(): FontBytes {
  fonts ??= {
    regular: new Uint8Array(readFileSync(assetPath('fonts', 'DejaVuSans.ttf'))),
    bold: new Uint8Array(readFileSync(assetPath('fonts', 'DejaVuSans-Bold.ttf'))),
  }
  return fonts
}

export function readAssetJson(...parts: string[]): unknown {
  return JSON.parse(readFileSync(assetPath(...parts), 'utf8')) as unknown
}
