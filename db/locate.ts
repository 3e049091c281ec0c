import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * Finds a folder shipped with the app (e.g. `db/migrations`, `assets`) by walking up from this
 * module. Works from the sources (tsx, vitest), from the bundle in `out/main` and inside an asar.
 */
export function locateShipped(relative: string, from: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(from))
  for (;;) {
    const candidate = join(dir, relative)
    if (existsSync(candidate)) return candidate
    const parent = dirname(dir)
    if (parent === dir) throw new Error(`Ordner „${relative}“ der Anwendung nicht gefunden`)
    dir = parent
  }
}

let assetsCache: string | undefined

/**
 * The shipped assets/ folder (procedures, notice templates, fonts, certificates …), the one
 * lookup for the desk: AKTENFLUSS_ASSETS_DIR when set (an office's own templates), otherwise
 * found by walking up like every shipped folder.
 */
export function assetsDir(): string {
  if (assetsCache) return assetsCache
  const fromEnv = process.env.AKTENFLUSS_ASSETS_DIR
  if (fromEnv && existsSync(join(fromEnv, 'procedures.json'))) return (assetsCache = fromEnv)
  return (assetsCache = locateShipped('assets'))
}

export function assetPath(...segments: string[]): string {
  return join(assetsDir(), ...segments)
}
