/**
 * Figures whose feature is still being built import it through here: a missing file or a
 * failing import becomes a reason string for an "n/a" row instead of a crash.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

export type Optional<T> = { ok: true; mod: T; file: string } | { ok: false; reason: string }

/** `relative` is a module path from the repository root without extension, e.g. `main/features/intake/intake`. */
export async function tryImport<T = Record<string, unknown>>(
  root: string,
  relative: string,
): Promise<Optional<T>> {
  const candidates = [`${relative}.ts`, join(relative, 'index.ts')]
  const file = candidates.map((c) => join(root, c)).find((p) => existsSync(p))
  if (!file) return { ok: false, reason: `${relative}.ts not present yet` }
  try {
    const mod = (await import(pathToFileURL(file).href)) as T
    return { ok: true, mod, file }
  } catch (err) {
    return {
      ok: false,
      reason: `import of ${relative} failed: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`,
    }
  }
}

/** The first of `names` that `mod` exports as a function. */
export function pickFunction(
  mod: Record<string, unknown>,
  names: readonly string[],
): { name: string; fn: (...args: unknown[]) => unknown } | undefined {
  for (const name of names) {
    const v = mod[name]
    if (typeof v === 'function') return { name, fn: v as (...args: unknown[]) => unknown }
  }
  return undefined
}
