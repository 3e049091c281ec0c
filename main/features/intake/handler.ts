import { listIntakeLog } from '../../../db/repositories/intake'
import { createCase } from './createCase'
import { defineHandlers } from '../../api/registry'
import { intakeFields } from '../../../preload/contract/intakeForm'
import { notFound } from '../../core/errors'
import { quarantineView, retryQuarantined } from './quarantine'

export const intakeHandlers = defineHandlers('intake', {
  log: ({ limit }, ctx) => ({ entries: listIntakeLog(ctx.db, limit) }),
  formFields: ({ procedureId }, ctx) => {
    if (!ctx.procedures.byId(procedureId)) throw notFound('Das Verfahren')
    return { fields: intakeFields(ctx.procedures.schemaOf(procedureId)) }
  },
  create: (input, ctx) => createCase(ctx, input),
  quarantine: (_input, ctx) => quarantineView(ctx),
  retry: ({ submissionId }, ctx) => retryQuarantined(ctx, submissionId),
})
