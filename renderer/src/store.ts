import { configureStore } from '@reduxjs/toolkit'
import { api } from './api/api'
import { aktenfluss } from './api/transport'

export const store = configureStore({
  reducer: { [api.reducerPath]: api.reducer },
  middleware: (gDM) => gDM().concat(api.middleware),
})

// Events from the core: invalidate exactly the entities a sync reports as changed.
aktenfluss.events.subscribe('changed', ({ tags }) => {
  store.dispatch(
    api.util.invalidateTags(
      tags.map((t) => ('id' in t && t.id ? { type: t.type, id: t.id } : t.type)),
    ),
  )
})
aktenfluss.events.subscribe('sync.status', (status) => {
  void store.dispatch(api.util.upsertQueryData('sync.status', {}, status))
})

export type RootState = ReturnType<typeof store.getState>
export type AppDispatch = typeof store.dispatch
