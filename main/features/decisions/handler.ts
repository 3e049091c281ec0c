import { cosign, cosignInbox, returnForChanges } from './review'
import { decide } from './service'
import { sendHearingLetter } from './hearing'
import { decisionView } from './view'
import { defineHandlers, onCase } from '../../api/registry'

export const decisionsHandlers = defineHandlers('decisions', {
  get: ({ id }, ctx) => decisionView(ctx, id),
  decide: { guard: onCase('work'), run: ({ id, ...d }, ctx) => decide(ctx, id, d) },
  // four eyes: only a lead of the case's team who did not decide it (main/core/rights.ts)
  hearing: {
    guard: onCase('work'),
    run: ({ id, points, deadline }, ctx) => sendHearingLetter(ctx, id, points, deadline),
  },
  cosign: { guard: onCase('review'), run: ({ id, comment }, ctx) => cosign(ctx, id, comment) },
  returnForChanges: {
    guard: onCase('review'),
    run: ({ id, note }, ctx) => returnForChanges(ctx, id, note),
  },
  cosignInbox: (_input, ctx) => ({ rows: cosignInbox(ctx) }),
})
