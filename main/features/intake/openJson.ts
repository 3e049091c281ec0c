// Bounded JSON parsing (UTF-8, depth, node count, canonical strings) and schema error and size texts.
import { canonicalValue, InputShapeError } from '../../../common/text'

/** Parses JSON and enforces depth and size limits (iteratively: hostile nesting cannot overflow the stack). */
export function parseJsonLimited(
  bytes: Uint8Array,
  limits: { maxJsonDepth: number; maxJsonNodes: number },
): { ok: true; value: unknown } | { ok: false; error: string; errorDe: string } {
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return { ok: false, error: 'not valid UTF-8', errorDe: 'kein gültiges UTF-8' }
  }
  // cheap pre-check on the raw text: bracket depth (strings skipped)
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c) i++
      else if (c === 0x22) inString = false
    } else if (c === 0x22) inString = true
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limits.maxJsonDepth)
        return {
          ok: false,
          error: `nested deeper than ${limits.maxJsonDepth} levels`,
          errorDe: `tiefer als ${limits.maxJsonDepth} Ebenen verschachtelt`,
        }
    } else if (c === 0x7d || c === 0x5d) depth--
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (e) {
    return { ok: false, error: `not JSON (${(e as Error).message})`, errorDe: 'kein gültiges JSON' }
  }
  let nodes = 0
  const stack: unknown[] = [value]
  while (stack.length > 0) {
    const v = stack.pop()
    if (++nodes > limits.maxJsonNodes)
      return {
        ok: false,
        error: `more than ${limits.maxJsonNodes} values`,
        errorDe: `mehr als ${limits.maxJsonNodes.toLocaleString('de-DE')} Werte`,
      }
    if (v && typeof v === 'object') for (const child of Object.values(v)) stack.push(child)
  }
  // every string well-formed and NFC before anything is stored or hashed (db/text.ts)
  try {
    return { ok: true, value: canonicalValue(value, limits.maxJsonDepth + 1) }
  } catch (e) {
    if (e instanceof InputShapeError)
      return { ok: false, error: 'reserved key or too deep', errorDe: e.message }
    throw e
  }
}

export type AjvError = {
  instancePath: string
  message?: string
  keyword?: string
  params?: Record<string, unknown>
}

export function ajvErrors(errors: AjvError[] | null | undefined): string {
  return (errors ?? [])
    .slice(0, 3)
    .map((e) => `${e.instancePath || '/'} ${e.message ?? 'invalid'}`)
    .join('; ')
}

const AJV_DE: Record<string, (p: (k: string) => string) => string> = {
  required: (p) => `Pflichtangabe „${p('missingProperty')}“ fehlt`,
  additionalProperties: (p) => `unbekannte Angabe „${p('additionalProperty')}“`,
  type: (p) => `falscher Typ (erwartet: ${p('type')})`,
  enum: () => 'unzulässiger Wert',
  const: () => 'unzulässiger Wert',
  pattern: () => 'ungültiges Format',
  format: () => 'ungültiges Format',
  maxLength: (p) => `zu lang (höchstens ${p('limit')} Zeichen)`,
  minLength: (p) => `zu kurz (mindestens ${p('limit')} Zeichen)`,
  maxItems: (p) => `zu viele Einträge (höchstens ${p('limit')})`,
  minItems: (p) => `zu wenige Einträge (mindestens ${p('limit')})`,
  maximum: () => 'Wert zu groß',
  exclusiveMaximum: () => 'Wert zu groß',
  minimum: () => 'Wert zu klein',
  exclusiveMinimum: () => 'Wert zu klein',
}

/** The same schema errors for the clerk, in German (the intake log shows them). */
export function ajvErrorsDe(errors: AjvError[] | null | undefined): string {
  return (errors ?? [])
    .slice(0, 3)
    .map((e) => {
      const param = (k: string) => {
        const v = e.params?.[k]
        return typeof v === 'string' || typeof v === 'number'
          ? String(v)
          : Array.isArray(v)
            ? v.join('/')
            : ''
      }
      return `${e.instancePath || '/'}: ${AJV_DE[e.keyword ?? '']?.(param) ?? 'ungültig'}`
    })
    .join('; ')
}

/** "20 MB", "256 KB": limits below a megabyte must not read as "0 MB". */
export const sizeDe = (bytes: number) =>
  bytes >= 1024 * 1024
    ? `${Math.round(bytes / 1024 / 1024)} MB`
    : `${Math.max(1, Math.round(bytes / 1024))} KB`
