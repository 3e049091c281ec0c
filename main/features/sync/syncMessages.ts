// German texts of sync failures for the status bar and the per-phase messages.
import { ApiFailure } from '../../core/errors'
import { HubProblemError, HubProtocolError } from '../../hub-client'

/** A phase's failure in German for the status bar (the English details go to the log). */
export function germanReason(err: unknown): string {
  if (err instanceof HubProtocolError)
    return err.tooLarge
      ? 'Die Antwort des Hubs war größer als erlaubt und wurde verworfen'
      : 'Der Hub hat unerwartet geantwortet'
  if (err instanceof HubProblemError)
    return `Der Hub hat die Anfrage abgelehnt (HTTP ${err.status})`
  // our own code throws plain Errors and ApiFailures with German messages; the runtime's
  // TypeError, RangeError, SyntaxError … are English and go to the log only
  if (err instanceof Error && (err.constructor === Error || err instanceof ApiFailure))
    return err.message
  return 'Unerwarteter Fehler, Einzelheiten stehen im Protokoll'
}

/** What the status bar says about a failed synchronisation that is not a network outage. */
export function syncErrorMessage(err: unknown): string {
  if (err instanceof ApiFailure) return err.message
  if (err instanceof HubProblemError) {
    if (err.status === 401 || err.status === 403)
      return 'Der Hub hat die Anmeldung dieses Arbeitsplatzes abgelehnt. Bitte die Hub-Einrichtung prüfen.'
    if (err.status >= 500)
      return `Der Hub meldet einen Fehler (HTTP ${err.status}); es wird später erneut versucht.`
    return `Der Hub hat die Anfrage abgelehnt (HTTP ${err.status}). Einzelheiten stehen im Protokoll.`
  }
  if (err instanceof HubProtocolError)
    return 'Der Hub hat unerwartet geantwortet. Einzelheiten stehen im Protokoll.'
  return 'Die Synchronisation ist fehlgeschlagen. Einzelheiten stehen im Protokoll; „Jetzt synchronisieren“ versucht es erneut.'
}
