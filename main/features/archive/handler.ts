import { disposalList, exportForArchive, importArchiveReceipt } from '../records/service'
import { defineHandlers } from '../../api/registry'

export const archiveHandlers = defineHandlers('archive', {
  list: (_i, ctx) => ({ rows: disposalList(ctx) }),
  export: ({ ids }, ctx) => exportForArchive(ctx, ids),
  importReceipt: ({ xml }, ctx) => importArchiveReceipt(ctx, xml),
})
