/**
 * Canonical text (docs/architecture.md, "Validate at every boundary"): every string that enters
 * — API input, submission data, file names, notes — is made well-formed (a lone UTF-16
 * surrogate becomes U+FFFD, as SQLite would store it anyway) and NFC-normalised before it is
 * stored or hashed. So what is hashed is byte for byte what is stored and read back, and the
 * audit chain stays verifiable for any input.
 */
export function canonicalText(s: string): string {
  const wellFormed = s.isWellFormed() ? s : s.toWellFormed()
  return wellFormed.normalize('NFC')
}

/** Limits of structured input (form data), the same at desk and hub (docs/hub-protocol.md). */
export const FORM_LIMITS = {
  /** nesting depth of objects/arrays */
  maxDepth: 32,
  /** serialised size in bytes (UTF-8 JSON) */
  maxBytes: 5 * 1024 * 1024,
} as const

/** Keys that mean something to JavaScript objects and never name a form field. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set([
  '__proto__',
  'constructor',
  'prototype',
])

export class InputShapeError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'InputShapeError'
  }
}

/**
 * Returns a copy of a JSON-like value with every string (and object key) canonical; refuses
 * values nested deeper than `maxDepth` and keys from FORBIDDEN_KEYS with a German message.
 * Iterative, so a hostile 100,000-deep value cannot overflow the stack.
 */
export function canonicalValue(value: unknown, maxDepth: number = FORM_LIMITS.maxDepth): unknown {
  if (typeof value === 'string') return canonicalText(value)
  if (value === null || typeof value !== 'object') return value
  const root: { v: unknown } = { v: undefined }
  const stack: { src: unknown; set: (v: unknown) => void; depth: number }[] = [
    { src: value, set: (v) => (root.v = v), depth: 1 },
  ]
  while (stack.length > 0) {
    const { src, set, depth } = stack.pop()!
    if (typeof src === 'string') {
      set(canonicalText(src))
      continue
    }
    if (src === null || typeof src !== 'object') {
      set(src)
      continue
    }
    if (depth > maxDepth)
      throw new InputShapeError(
        `Die Daten sind zu tief verschachtelt (höchstens ${maxDepth} Ebenen).`,
      )
    if (Array.isArray(src)) {
      const out: unknown[] = new Array<unknown>(src.length)
      set(out)
      src.forEach((item, i) =>
        stack.push({ src: item, set: (v) => (out[i] = v), depth: depth + 1 }),
      )
    } else {
      const out: Record<string, unknown> = {}
      set(out)
      for (const [k, item] of Object.entries(src)) {
        const key = canonicalText(k)
        if (FORBIDDEN_KEYS.has(key))
          throw new InputShapeError(`Das Feld „${key}“ ist als Name nicht zulässig.`)
        // keys keep their order: the property exists now, its value is filled in later
        Object.defineProperty(out, key, {
          value: undefined,
          enumerable: true,
          writable: true,
          configurable: true,
        })
        stack.push({ src: item, set: (v) => (out[key] = v), depth: depth + 1 })
      }
    }
  }
  return root.v
}

/** Nesting depth of a JSON-like value (a scalar is 0, `{}` is 1), without recursion. */
export function depthOf(value: unknown): number {
  let max = 0
  const stack: [unknown, number][] = [[value, 0]]
  while (stack.length > 0) {
    const [v, d] = stack.pop()!
    if (v === null || typeof v !== 'object') {
      max = Math.max(max, d)
      continue
    }
    max = Math.max(max, d + 1)
    for (const item of Array.isArray(v) ? v : Object.values(v)) stack.push([item, d + 1])
  }
  return max
}
