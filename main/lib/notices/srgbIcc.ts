/**
 * Standard-sRGB-Profil für den OutputIntent (PDF/A): assets/icc/sRGB.icc, unverändert aus dem
 * Debian-Paket icc-profiles-free 2.0.1 (ICC v2.3, „sRGB“, 6 922 Bytes, Zlib-Lizenz:
 * assets/icc/LICENSE-icc-profiles-free.txt). Früher wurde hier ein eigenes Profil erzeugt.
 */
import { readFileSync } from 'node:fs'
import { deflateSync } from 'node:zlib'
import { assetPath } from './assets'

let cached: Uint8Array | undefined
let deflated: Uint8Array | undefined

export function srgbIccProfile(): Uint8Array {
  cached ??= new Uint8Array(readFileSync(assetPath('icc', 'sRGB.icc')))
  return cached
}

/** Das Profil Flate-komprimiert (einmal pro Prozess; für einen Stream mit /Filter /FlateDecode). */
export function srgbIccProfileDeflated(): Uint8Array {
  deflated ??= new Uint8Array(deflateSync(srgbIccProfile(), { level: 9 }))
  return deflated
}
