import { getSetting, setSetting } from '../../../db/repositories/settings'
import type { ListColumn, SavedView } from '../../../preload/contract/index'
import type { AppContext } from '../../core/context'
import type { HandlerSlice } from '../../api/registry'

const DEFAULT_COLUMNS: ListColumn[] = ['aktenzeichen', 'applicant', 'procedure', 'status', 'received', 'deadline']
const viewsKey = (ctx: AppContext) => `views:${ctx.currentUser().userId}`
const columnsKey = (ctx: AppContext) => `columns:${ctx.currentUser().userId}`
const viewsOf = (ctx: AppContext) => getSetting<SavedView[]>(ctx.db, viewsKey(ctx)) ?? []

/** Saved views and list columns, per user (local preferences, not synced to the office). */
export const viewHandlers: HandlerSlice<'views.list' | 'views.save' | 'views.delete' | 'views.setColumns'> = {
  'views.list': (_i, ctx) => ({ views: viewsOf(ctx), columns: getSetting<ListColumn[]>(ctx.db, columnsKey(ctx)) ?? DEFAULT_COLUMNS }),
  'views.save': (input, ctx) => {
    const view: SavedView = { id: ctx.newId(), ...input }
    setSetting(ctx.db, viewsKey(ctx), [...viewsOf(ctx).filter((v) => v.name !== input.name), view])
    return view
  },
  'views.delete': ({ id }, ctx) => {
    setSetting(ctx.db, viewsKey(ctx), viewsOf(ctx).filter((v) => v.id !== id))
    return { id }
  },
  'views.setColumns': ({ columns }, ctx) => {
    setSetting(ctx.db, columnsKey(ctx), columns)
    return { columns }
  },
}
