// Small helpers the decision and notice components share.
import type { SerializedError } from '@reduxjs/toolkit'
import type { ApiError, DecisionFieldDef, DecisionFieldValue } from '../../../../preload/contract'
import { formatMoney } from '../../../../common/germanNumbers'
import { useApiLazyQuery } from '../../api/api'
import { formatDate } from '../../labels'

/** After an action whose button goes away: focus a heading that stays (never <body>). */
export function focusStableHeading(): void {
  requestAnimationFrame(() =>
    (
      document.getElementById('decision-title') ?? document.querySelector<HTMLElement>('main h1')
    )?.focus(),
  )
}

export const decode = (b64: string) => Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0))

export function fieldText(v: DecisionFieldValue | undefined, def: DecisionFieldDef): string {
  if (v === undefined || v === '') return '—'
  if (Array.isArray(v)) return v.join('; ')
  if (def.type === 'money' && typeof v === 'number') return formatMoney(v)
  if (def.type === 'date' && typeof v === 'string') return formatDate(v)
  return String(v)
}

/** Opens a stored PDF for printing (a download: the OS viewer prints it). */
export function useOpenPdf(): [
  (documentId: string, filename: string) => Promise<void>,
  { isFetching: boolean; error: ApiError | SerializedError | undefined },
] {
  const [load, state] = useApiLazyQuery('cases.document')
  const open = async (documentId: string, filename: string) => {
    const res = await load({ id: documentId })
    if (!res.data) return
    const url = URL.createObjectURL(
      new Blob([decode(res.data.base64)], { type: 'application/pdf' }),
    )
    const a = document.createElement('a')
    a.href = url
    a.download = filename
    document.body.append(a)
    a.click()
    a.remove()
    setTimeout(() => URL.revokeObjectURL(url), 10_000)
  }
  return [open, { isFetching: state.isFetching, error: state.error }]
}

/** Postal channel: the print-ready signed copy, and noting that it went into the post. */
