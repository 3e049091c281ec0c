/** `archive.*` — Aussonderung: the disposal list, the xdomea export (0501/0503) and the archive's receipt (0506). */
import { z } from 'zod'
import { id, mutation, namespace, query, returns } from './shared'

export interface DisposalRow {
  id: string
  aktenzeichen: string
  subject: string
  procedureName: string
  fileCode: string
  closedAt: string
  retentionEnd: string
  disposal: string
  transferred: boolean
}

export const archive = namespace('archive', {
  list: query(z.object({}).strict(), returns<{ rows: DisposalRow[] }>(), [{ type: 'CaseList' }]),
  export: mutation(
    z.object({ ids: z.array(id).min(1, 'Keine Vorgänge ausgewählt').max(200) }).strict(),
    returns<{
      prozessId: string
      offer: { fileName: string; base64: string }
      transfer: { fileName: string; base64: string }
    }>(),
    (i) => [...i.ids.map((id) => ({ type: 'Case' as const, id })), { type: 'CaseList' }],
  ),
  importReceipt: mutation(
    z
      .object({ xml: z.string().min(1, 'Datei ist leer').max(5_000_000, 'Datei ist zu groß') })
      .strict(),
    returns<{ messageType: string; deleted: number; failed: number; note: string }>(),
    [{ type: 'CaseList' }, { type: 'Case' }],
  ),
})
