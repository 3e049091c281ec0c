// The intake quarantine (issue #14): German explanations for parked submissions, and the
// contract's quarantine/retry methods behind their guards.
import { listQuarantine, quarantined, requestRetry } from '../../../db/repositories/quarantine'
import { ApiFailure, notFound } from '../../core/errors'
import type { AppContext } from '../../core/context'
import { HubProtocolError } from '../../hub-client'
import { BlobIntegrityError } from '../../core/blobs'
import { IntakeWorkerCrashed } from './openPool'

/** Why a submission was parked, for the clerk: what happened and what to do. */
export function quarantineReason(err: unknown): string {
  if (err instanceof HubProtocolError)
    return 'Der Hub hat diese Einreichung in unerwarteter Form geliefert. Sie wurde zurückgestellt, damit die übrigen Einreichungen weiter eingehen. Bitte später „Erneut versuchen“ wählen; bleibt der Fehler, bitte den Betrieb des Hubs informieren.'
  if (err instanceof IntakeWorkerCrashed)
    return 'Beim Entschlüsseln und Prüfen dieser Einreichung ist die Verarbeitung zweimal abgebrochen. Sie wurde zurückgestellt, damit die übrigen Einreichungen weiter eingehen. Bitte „Erneut versuchen“ wählen; bleibt der Fehler, bitte die Einzelheiten an den IT-Support geben.'
  if (err instanceof BlobIntegrityError)
    return 'Die Einreichung ließ sich nicht im Dokumentenspeicher ablegen. Bitte den Datenträger prüfen und dann „Erneut versuchen“ wählen.'
  return 'Die Einreichung ließ sich nicht verarbeiten und wurde zurückgestellt, damit die übrigen Einreichungen weiter eingehen. Bitte „Erneut versuchen“ wählen; bleibt der Fehler, bitte die Einzelheiten an den IT-Support geben.'
}

/** intake.quarantine */
export const quarantineView = (ctx: AppContext) => ({ entries: listQuarantine(ctx.db) })

/**
 * intake.retry: the next pass tries the parked submission(s) again. Readers may look, not act;
 * an id that is not parked is refused (nothing is trusted because the caller names it).
 */
export function retryQuarantined(ctx: AppContext, submissionId?: string): { requested: number } {
  if (ctx.currentUser().role === 'readonly')
    throw new ApiFailure(
      'forbidden',
      'Mit einer Leseberechtigung können zurückgestellte Einreichungen nicht erneut versucht werden.',
    )
  if (submissionId !== undefined && !quarantined(ctx.db, submissionId))
    throw notFound('Die zurückgestellte Einreichung')
  return { requested: requestRetry(ctx.db, submissionId) }
}
