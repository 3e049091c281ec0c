import { getCase } from '../../../db/repositories/cases'
import { addNote, releaseCase, setFollowUp, setStatus, takeCase } from './actions'
import { requestDocumentsWithLetter } from './letters'
import { notFound } from '../../core/errors'
import { defineHandlers } from '../../api/registry'

export const caseworkHandlers = defineHandlers('casework', {
  take: ({ id }, ctx) => takeCase(ctx, id),
  release: ({ id, reason }, ctx) => releaseCase(ctx, id, reason),
  setStatus: ({ id, to, reason }, ctx) => setStatus(ctx, id, to, reason),
  addNote: ({ id, text, kind, party }, ctx) => addNote(ctx, id, text, kind, party),
  setFollowUp: ({ id, date, reason }, ctx) => setFollowUp(ctx, id, date, reason),
  requestDocuments: async ({ id, items, deadline }, ctx) => {
    const c = getCase(ctx.db, id)
    if (!c) throw notFound('Der Vorgang')
    return requestDocumentsWithLetter(ctx, c, items, deadline)
  },
})
