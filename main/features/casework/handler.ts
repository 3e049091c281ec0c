import { getCase } from '../../../db/repositories/cases'
import { addNote, releaseCase, setFollowUp, setStatus, takeCase } from './actions'
import { requestDocumentsWithLetter } from './letters'
import { notFound } from '../../core/errors'
import type { HandlerSlice } from '../../api/registry'

export const caseWorkHandlers: HandlerSlice<
  'cases.take' | 'cases.release' | 'cases.setStatus' | 'cases.addNote' | 'cases.setFollowUp' | 'cases.requestDocuments'
> = {
  'cases.take': ({ id }, ctx) => takeCase(ctx, id),
  'cases.release': ({ id, reason }, ctx) => releaseCase(ctx, id, reason),
  'cases.setStatus': ({ id, to, reason }, ctx) => setStatus(ctx, id, to, reason),
  'cases.addNote': ({ id, text, kind, party }, ctx) => addNote(ctx, id, text, kind, party),
  'cases.setFollowUp': ({ id, date, reason }, ctx) => setFollowUp(ctx, id, date, reason),
  'cases.requestDocuments': async ({ id, items, deadline }, ctx) => {
    const c = getCase(ctx.db, id)
    if (!c) throw notFound('Der Vorgang')
    return requestDocumentsWithLetter(ctx, c, items, deadline)
  },
}
