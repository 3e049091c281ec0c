// A reply to the applicant enters the reply outbox in the same local transaction as the action
// that made it (signing the notice, the Nachforderung): encrypted once here, so every later
// attempt sends the same bytes under the same delivery id (idempotency key).
import { insertReplyDelivery } from '../../../db/repositories/replies'
import type { AppContext } from '../../core/context'
import { encryptReply, replyTargetOf, type ReplyContent } from './channel'

export interface PreparedReply {
  deliveryId: string
  /** run inside the action's transaction */
  apply(): void
}

/** Encrypts the reply when the case has a FIT-Connect reply channel; undefined otherwise. */
export async function prepareReply(
  ctx: AppContext,
  caseId: string,
  documentId: string | null,
  content: ReplyContent,
): Promise<PreparedReply | undefined> {
  const target = replyTargetOf(ctx, caseId)
  if (!target) return undefined
  const jwe = await encryptReply(target.key, content)
  const jweSha256 = ctx.blobs.put(new TextEncoder().encode(jwe))
  const deliveryId = crypto.randomUUID()
  return {
    deliveryId,
    apply: () =>
      insertReplyDelivery(ctx.db, {
        deliveryId,
        caseId,
        kind: content.kind,
        documentId,
        hubCaseId: target.hubCaseId,
        jweSha256,
        createdAt: content.createdAt,
      }),
  }
}
