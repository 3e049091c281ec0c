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
