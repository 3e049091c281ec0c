import type { SerializedError } from '@reduxjs/toolkit'
import type { ApiError } from '../../../preload/contract/index'

/** Shows an API error in German; codes stay visible for support. */
export function ErrorMessage({ error }: { error: ApiError | SerializedError | undefined }) {
  if (!error) return null
  const message =
    'code' in error && typeof error.code === 'string' && error.message
      ? error.message
      : 'Unbekannter Fehler.'
  return (
    <div role="alert" className="error">
      {message}
    </div>
  )
}
