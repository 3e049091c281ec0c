import { cosign, cosignInbox, returnForChanges } from './review'
import { decide } from './service'
import { decisionView } from './view'
import { defineHandlers } from '../../api/registry'

export const decisionsHandlers = defineHandlers('decisions', {
  get: ({ id }, ctx) => decisionView(ctx, id),
  decide: ({ id, ...d }, ctx) => decide(ctx, id, d),
  cosign: ({ id, comment }, ctx) => cosign(ctx, id, comment),
  returnForChanges: ({ id, note }, ctx) => returnForChanges(ctx, id, note),
  cosignInbox: (_input, ctx) => ({ rows: cosignInbox(ctx) }),
})
