import { z } from 'zod'
import type { ApiError } from '../../preload/contract/index'
import { BlobIntegrityError } from './blobs'
import { InputShapeError } from '../../common/text'

z.config(z.locales.de())

/** A failure the user should read: a stable code and a German message. */
export class ApiFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message)
    this.name = 'ApiFailure'
  }
}

export const notFound = (what: string): ApiFailure =>
  new ApiFailure('not_found', `${what} wurde nicht gefunden.`)

export function describeZodError(err: z.ZodError): string {
  const first = err.issues
    .slice(0, 3)
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
  return `Ungültige Eingabe – ${first.join('; ')}`
}

const FULL = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL'])
const READ_ONLY = new Set(['EROFS', 'EACCES', 'EPERM', 'SQLITE_READONLY', 'SQLITE_CANTOPEN'])

/** A failure of the disk under the data folder (full, read-only), from fs or SQLite. */
export function isStorageError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code
  return (
    typeof code === 'string' &&
    (FULL.has(code) || READ_ONLY.has(code) || code.startsWith('SQLITE_IOERR'))
  )
}

export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiFailure) return { code: err.code, message: err.message }
  const code = (err as { code?: unknown } | null)?.code
  if (typeof code === 'string' && FULL.has(code))
    return {
      code: 'disk_full',
      message:
        'Der Speicherplatz im Datenordner ist erschöpft. Die Aktion wurde nicht ausgeführt; bitte Platz schaffen und erneut versuchen.',
    }
  if (isStorageError(err))
    return {
      code: 'storage',
      message:
        'Der Datenordner ist nicht beschreibbar. Die Aktion wurde nicht ausgeführt; bitte Berechtigungen und Datenträger prüfen.',
    }
  if (err instanceof z.ZodError) return { code: 'invalid_input', message: describeZodError(err) }
  if (err instanceof InputShapeError)
    return { code: 'invalid_input', message: `Ungültige Eingabe – ${err.message}` }
  if (err instanceof BlobIntegrityError) return { code: 'integrity', message: err.message }
  return {
    code: 'internal',
    message: 'Interner Fehler. Der Vorgang wurde nicht ausgeführt; Details stehen im Protokoll.',
  }
}
