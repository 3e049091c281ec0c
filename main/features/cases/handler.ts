import { getDocument } from '../../../db/repositories/documents'
import { caseCounts, caseDetail, caseList } from './service'
import { searchCases } from './search'
import { notFound } from '../../core/errors'
import type { HandlerSlice } from '../../api/registry'

export const caseHandlers: HandlerSlice<'cases.list' | 'cases.counts' | 'cases.get' | 'cases.search' | 'documents.content'> = {
  'cases.list': (input, ctx) => caseList(ctx, input),
  'cases.counts': (_input, ctx) => caseCounts(ctx),
  'cases.get': ({ id }, ctx) => {
    const detail = caseDetail(ctx, id)
    if (!detail) throw notFound('Der Vorgang')
    return detail
  },
  'cases.search': ({ query, limit }, ctx) => ({ rows: searchCases(ctx, query, limit) }),
  'documents.content': ({ id }, ctx) => {
    const doc = getDocument(ctx.db, id)
    if (!doc) throw notFound('Das Dokument')
    return { mimeType: doc.mimeType, filename: doc.filename, base64: ctx.blobs.get(doc.sha256).toString('base64') }
  },
}
