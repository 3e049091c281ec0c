import type { ReplyStateView } from '../../../../preload/contract'
import { formatDate } from '../../labels'

const KIND: Record<ReplyStateView['kind'], string> = {
  bescheid: 'Bescheid',
  nachforderung: 'Nachforderung',
  anhoerung: 'Anhörung',
}

/** What happened to one letter on the Rückkanal, in one German sentence. */
export function replyStateText(r: ReplyStateView): string {
  const delivered = r.deliveredAt
    ? `zugestellt über FIT-Connect am ${formatDate(r.deliveredAt)}`
    : ''
  switch (r.state) {
    case 'pending':
      return r.attempts > 0
        ? 'wartet auf die Verbindung zum Hub – wird zugestellt, sobald er erreichbar ist'
        : 'wird über FIT-Connect zugestellt'
    case 'delivered':
      return `${delivered}; noch nicht abgerufen (Abruf bis ${formatDate(r.windowEnd)} möglich)`
    case 'retrieved':
      return `${delivered}, abgerufen am ${formatDate(r.retrievedAt)}`
    case 'not_retrieved':
      return `${delivered}; nicht abgerufen – per Post`
  }
}

/** The case's letters through the Rückkanal (FIT-Connect reply channel). */
export function ReplyState({ replies }: { replies: ReplyStateView[] }) {
  if (replies.length === 0) return null
  return (
    <section className="reply-state" aria-labelledby="reply-state-heading">
      <h3 id="reply-state-heading">Rückkanal (FIT-Connect)</h3>
      <ul data-testid="reply-state">
        {replies.map((r) => (
          <li key={`${r.kind}:${r.createdAt}`} data-state={r.state}>
            <strong>{KIND[r.kind]}:</strong> {replyStateText(r)}
          </li>
        ))}
      </ul>
    </section>
  )
}
