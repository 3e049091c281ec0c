import { canonicalText } from '../../../common/text'

// File handling for opened submissions: display names (never paths) and magic-byte checks.

// eslint-disable-next-line no-control-regex -- stripping control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g
// bidi overrides/isolates/marks, zero-width characters, BOM
const INVISIBLE = /[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i

export const MIME_EXTENSIONS: Record<string, string> = {
  'application/pdf': 'pdf',
  'image/jpeg': 'jpg',
  'image/png': 'png',
}

/**
 * A safe display name for a file name taken from a submission. The result is metadata only and
 * must never be used as a path; still it carries no path separators, NUL, control or bidi
 * characters, and is at most 255 characters long.
 */
export function sanitizeFilename(name: unknown, fallback: string): string {
  if (typeof name !== 'string') return fallback
  let n = canonicalText(name.slice(0, 4096)).replace(CONTROL, '').replace(INVISIBLE, '')
  n = n.split(/[\\/]/).pop() ?? ''
  n = n
    .replace(/[<>:"|?*]/g, '_')
    .trim()
    .replace(/^[.\s]+/, '')
    .replace(/[.\s]+$/, '')
  if (n === '') return fallback
  if (WINDOWS_RESERVED.test(n)) n = `_${n}`
  const chars = Array.from(n)
  if (chars.length > 255) {
    const dot = n.lastIndexOf('.')
    const ext = dot > 0 ? Array.from(n.slice(dot)) : []
    if (ext.length > 0 && ext.length <= 16)
      n = chars.slice(0, 255 - ext.length).join('') + ext.join('')
    else n = chars.slice(0, 255).join('')
  }
  return n
}

const startsWith = (b: Uint8Array, sig: number[]) =>
  b.length >= sig.length && sig.every((x, i) => b[i] === x)

/** Detects the real type of the common document formats (and executables) by their first bytes. */
export function sniffMimeType(b: Uint8Array): string | undefined {
  if (startsWith(b, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf' // %PDF-
  if (startsWith(b, [0xff, 0xd8, 0xff])) return 'image/jpeg'
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png'
  if (startsWith(b, [0x4d, 0x5a])) return 'application/x-msdownload' // MZ (EXE/DLL)
  if (startsWith(b, [0x7f, 0x45, 0x4c, 0x46])) return 'application/x-elf'
  if (startsWith(b, [0x50, 0x4b, 0x03, 0x04])) return 'application/zip'
  return undefined
}

export const normalizeMimeType = (m: string) => m.split(';')[0]!.trim().toLowerCase()
