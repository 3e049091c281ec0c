import { getSetting, setSetting } from '../../../db/repositories/settings'
import type { ListColumn, SavedView } from '../../../preload/contract/index'
import type { AppContext } from '../../core/context'
import { defineHandlers } from '../../api/registry'

const DEFAULT_COLUMNS: ListColumn[] = [
  'aktenzeichen',
  'applicant',
  'procedure',
  'status',
  'received',
  'deadline',
]
const viewsKey = (ctx: AppContext) => `views:${ctx.currentUser().userId}`
const columnsKey = (ctx: AppContext) => `columns:${ctx.currentUser().userId}`
const viewsOf = (ctx: AppContext) => getSetting<SavedView[]>(ctx.db, viewsKey(ctx)) ?? []

/** Saved views and list columns, per user (local preferences, not synced to the office). */
export const viewsHandlers = defineHandlers('views', {
  list: (_i, ctx) => ({
    views: viewsOf(ctx),
    columns: getSetting<ListColumn[]>(ctx.db, columnsKey(ctx)) ?? DEFAULT_COLUMNS,
  }),
  save: (input, ctx) => {
    const view: SavedView = { id: ctx.newId(), ...input }
    setSetting(ctx.db, viewsKey(ctx), [...viewsOf(ctx).filter((v) => v.name !== input.name), view])
    return view
  },
  delete: ({ id }, ctx) => {
    setSetting(
      ctx.db,
      viewsKey(ctx),
      viewsOf(ctx).filter((v) => v.id !== id),
    )
    return { id }
  },
  setColumns: ({ columns }, ctx) => {
    setSetting(ctx.db, columnsKey(ctx), columns)
    return { columns }
  },
})
