import { disposalList, exportForArchive, importArchiveReceipt } from '../records/service'
import { defineHandlers } from '../../api/registry'

export const archiveHandlers = defineHandlers('archive', {
  list: (_i, ctx) => ({ rows: disposalList(ctx) }),
  export: {
    guard: { action: 'records', cases: (i) => i.ids },
    run: ({ ids }, ctx) => exportForArchive(ctx, ids),
  },
  // names no case: the records role decides (the receipt only confirms this desk's own transfers)
  importReceipt: {
    guard: { action: 'records', cases: () => [] },
    run: ({ xml }, ctx) => importArchiveReceipt(ctx, xml),
  },
})
