/**
 * Prüfen → setzen → signieren in einem Durchgang (kein zweites Zerlegen des PDFs).
 */
import type { SigningIdentity } from '../signature/identity'
import { ltvFromEnvironment, signPdfDocument } from '../signature/signPdf'
import type { LtvOptions } from '../signature/signPdf'
import type { RenderOptions } from './letterLayout'
import { NoticeIncompleteError, checkNotice } from './noticeModel'
import type { NoticeInput } from './noticeModel'
import { layoutNotice } from './noticePdf'

export interface SignNoticeOptions extends RenderOptions {
  signingTime: Date
  /** Standard: „Bescheid, Az. …“ */
  reason?: string
  /** Standard: Ort der Behörde */
  location?: string
  /** Zeitstempel + Sperrinformationen (PAdES B-T/B-LT); ohne: aus der Umgebung (AKTENFLUSS_TSA_URL), sonst PAdES B-B */
  ltv?: LtvOptions
}

/**
 * Signiert einen Bescheid (PAdES B-B; mit `ltv` B-T/B-LT). Weigert sich mit {@link NoticeIncompleteError}
 * (Liste der fehlenden Teile), solange checkNotice etwas meldet.
 */
export async function signNotice(
  input: NoticeInput,
  identity: SigningIdentity,
  opts: SignNoticeOptions,
): Promise<Uint8Array> {
  const missing = checkNotice(input)
  if (missing.length) throw new NoticeIncompleteError(missing)
  const { doc, fonts } = await layoutNotice(input, { now: opts.now ?? opts.signingTime })
  const ltv = opts.ltv ?? ltvFromEnvironment()
  return signPdfDocument(
    doc,
    identity,
    {
      reason: opts.reason ?? `Bescheid, Az. ${input.aktenzeichen}`,
      location: opts.location ?? input.authority.city,
      contactInfo: input.clerk.email,
      signingTime: opts.signingTime,
      ...(ltv ? { ltv } : {}),
    },
    fonts,
  )
}
