import { markPosted, noticeSummary, postOutbox } from '../decisions/review'
import { confirmLateNotice, forgetPassword, issueNotice, previewNotice } from './service'
import { defineHandlers, onCase } from '../../api/registry'

export const noticesHandlers = defineHandlers('notices', {
  preview: async ({ id }, ctx) => {
    const { pdf, missing } = await previewNotice(ctx, id)
    return { base64: Buffer.from(pdf).toString('base64'), missing }
  },
  summary: ({ id, channel }, ctx) => noticeSummary(ctx, id, channel),
  issue: {
    guard: onCase('work'),
    run: ({ id, certificate, password, remember, channel }, ctx) =>
      issueNotice(ctx, id, { certificate, password, remember, channel }),
  },
  postOutbox: (_input, ctx) => ({ rows: postOutbox(ctx) }),
  markPosted: { guard: onCase('work'), run: ({ id }, ctx) => markPosted(ctx, id) },
  forgetPassword: ({ certificate }, ctx) => {
    forgetPassword(ctx, certificate)
    return { forgotten: true }
  },
  confirmLate: { guard: onCase('work'), run: ({ id }, ctx) => confirmLateNotice(ctx, id) },
})
