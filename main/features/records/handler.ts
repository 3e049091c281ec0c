import { closeCase, disposalList, exportForArchive, importArchiveReceipt, reopenCase } from './service'
import type { HandlerSlice } from '../../api/registry'

export const recordsHandlers: HandlerSlice<'cases.close' | 'cases.reopen' | 'archive.list' | 'archive.export' | 'archive.importReceipt'> = {
  'cases.close': ({ id }, ctx) => closeCase(ctx, id),
  'cases.reopen': ({ id, reason }, ctx) => reopenCase(ctx, id, reason),
  'archive.list': (_i, ctx) => ({ rows: disposalList(ctx) }),
  'archive.export': ({ ids }, ctx) => exportForArchive(ctx, ids),
  'archive.importReceipt': ({ xml }, ctx) => importArchiveReceipt(ctx, xml),
}
