import { z } from 'zod'
import type { ApiError } from '../../preload/contract'

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

export const notFound = (what: string): ApiFailure => new ApiFailure('not_found', `${what} wurde nicht gefunden.`)

export function describeZodError(err: z.ZodError): string {
  const first = err.issues.slice(0, 3).map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
  return `Ungültige Eingabe – ${first.join('; ')}`
}

export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiFailure) return { code: err.code, message: err.message }
  if (err instanceof z.ZodError) return { code: 'invalid_input', message: describeZodError(err) }
  if (err instanceof Error && err.name === 'BlobIntegrityError') return { code: 'integrity', message: err.message }
  return { code: 'internal', message: 'Interner Fehler. Der Vorgang wurde nicht ausgeführt; Details stehen im Protokoll.' }
}
