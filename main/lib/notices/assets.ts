/**
 * Zugriff auf assets/ (Verfahren, Bescheidvorlagen, Schriften). Reine Node-Funktionen, gecacht.
 *
 * Der Ordner wird in db/locate.ts gefunden (AKTENFLUSS_ASSETS_DIR oder aufwärts vom Modulpfad).
 */
import { readFileSync } from 'node:fs'

// the one lookup of assets/ is db/locate.ts
export { assetPath, assetsDir } from '../../../db/locate'
import { assetPath } from '../../../db/locate'

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
