import { getCase } from '../../../db/repositories/cases'
import { addNote, releaseCase, setFollowUp, setStatus, takeCase } from './actions'
import { requestDocumentsWithLetter } from './letters'
import { notFound } from '../../core/errors'
import { defineHandlers, onCase } from '../../api/registry'

export const caseworkHandlers = defineHandlers('casework', {
  take: { guard: onCase('take'), run: ({ id }, ctx) => takeCase(ctx, id) },
  release: { guard: onCase('release'), run: ({ id, reason }, ctx) => releaseCase(ctx, id, reason) },
  setStatus: {
    guard: onCase('work'),
    run: ({ id, to, reason }, ctx) => setStatus(ctx, id, to, reason),
  },
  addNote: {
    guard: onCase('work'),
    run: ({ id, text, kind, party }, ctx) => addNote(ctx, id, text, kind, party),
  },
  setFollowUp: {
    guard: onCase('work'),
    run: ({ id, date, reason }, ctx) => setFollowUp(ctx, id, date, reason),
  },
  requestDocuments: {
    guard: onCase('work'),
    run: async ({ id, items, deadline }, ctx) => {
      const c = getCase(ctx.db, id)
      if (!c) throw notFound('Der Vorgang')
      return requestDocumentsWithLetter(ctx, c, items, deadline)
    },
  },
})
