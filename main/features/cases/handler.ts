import { getDocument } from '../../../db/repositories/documents'
import { caseCounts, caseDetail, caseList } from './service'
import { searchCases } from './search'
import { notFound } from '../../core/errors'
import { defineHandlers } from '../../api/registry'

export const casesHandlers = defineHandlers('cases', {
  list: (input, ctx) => caseList(ctx, input),
  counts: (_input, ctx) => caseCounts(ctx),
  get: ({ id }, ctx) => {
    const detail = caseDetail(ctx, id)
    if (!detail) throw notFound('Der Vorgang')
    return detail
  },
  search: ({ query, limit }, ctx) => ({ rows: searchCases(ctx, query, limit) }),
  document: ({ id }, ctx) => {
    const doc = getDocument(ctx.db, id)
    if (!doc) throw notFound('Das Dokument')
    return {
      mimeType: doc.mimeType,
      filename: doc.filename,
      base64: ctx.blobs.get(doc.sha256).toString('base64'),
    }
  },
})
