// A reply to the applicant enters the reply outbox in the same local transaction as the action
// that made it (signing the notice, the Nachforderung): encrypted once here, so every later
// attempt sends the same bytes under the same delivery id (idempotency key).
import { insertReplyDelivery } from '../../../db/repositories/replies'
import type { AppContext } from '../../core/context'
import { encryptReply, replyPayload, replyTargetOf, type ReplyContent } from './channel'

export interface PreparedReply {
  deliveryId: string
  /** run inside the action's transaction */
  apply(): void
}

/**
 * Encrypts the reply when the case has a FIT-Connect reply channel; with an e-mail channel keeps
 * the payload (sealed like every blob) for the pass to encrypt to the portal's key; undefined
 * without a channel.
 */
export async function prepareReply(
  ctx: AppContext,
  caseId: string,
  documentId: string | null,
  content: ReplyContent,
): Promise<PreparedReply | undefined> {
  const target = replyTargetOf(ctx, caseId)
  if (!target) return undefined
  const jweSha256 = target.key
    ? ctx.blobs.put(new TextEncoder().encode(await encryptReply(target.key, content)))
    : ctx.blobs.put(replyPayload(content))
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
        notifyEmail: target.eMail,
        createdAt: content.createdAt,
      }),
  }
}
