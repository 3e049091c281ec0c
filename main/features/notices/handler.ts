import { confirmLateNotice, forgetPassword, issueNotice, previewNotice } from '../decisions/service'
import { defineHandlers } from '../../api/registry'

export const noticesHandlers = defineHandlers('notices', {
  preview: async ({ id }, ctx) => {
    const { pdf, missing } = await previewNotice(ctx, id)
    return { base64: Buffer.from(pdf).toString('base64'), missing }
  },
  issue: ({ id, certificate, password, remember, channel }, ctx) => issueNotice(ctx, id, { certificate, password, remember, channel }),
  forgetPassword: ({ certificate }, ctx) => {
    forgetPassword(ctx, certificate)
    return { forgotten: true }
  },
  confirmLate: ({ id }, ctx) => confirmLateNotice(ctx, id),
})
