// Sending one outbox batch: transient errors retried in place, a batch the hub refuses as a whole
// halved until the culprit stands alone (issue #14 point 1; docs/architecture.md "Isolation").
import { isNetworkError } from './engine'
import {
  HubProblemError,
  type MutationResult,
  type OfficeClient,
  type OutgoingMutation,
} from '../../hub-client'

/** what sending needs of the push's dependencies */
interface SendDeps {
  office: OfficeClient
  signal?: AbortSignal
}

/** 5xx, reset, timeout: the same request again after a short pause (mutations are idempotent by id). */
const isTransient = isNetworkError
export async function retryTransient<T>(
  fn: () => Promise<T>,
  signal?: AbortSignal,
  attempts = 4,
  pauseMs = 50,
): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn()
    } catch (err) {
      if (i >= attempts || signal?.aborted || !isTransient(err)) throw err
      await new Promise((r) => setTimeout(r, pauseMs * i))
    }
  }
}

/** The hub refused the request as a whole (its body, not its availability): 400, 413, 422. */
export const isBatchRefusal = (err: unknown): err is HubProblemError =>
  err instanceof HubProblemError && (err.status === 400 || err.status === 413 || err.status === 422)

const REFUSAL_LABELS: Record<number, string> = {
  400: 'Vom Büro als ungültig abgelehnt',
  413: 'Zu groß für das Büro',
  422: 'Vom Büro nicht verarbeitbar',
}

/**
 * Sends a batch; when the hub refuses it as a whole, halves it until the culprit stands alone
 * and refuses only that one (marked `isolated`). Mutations of the culprit's case after it are
 * not sent (no answer: they stay pending and wait behind it); other cases go on.
 */
export async function sendIsolating(
  deps: SendDeps,
  userToken: string | undefined,
  mutations: OutgoingMutation[],
): Promise<MutationResult[]> {
  if (mutations.length === 0) return []
  try {
    return await retryTransient(
      () => deps.office.mutate(mutations, { userToken, signal: deps.signal }),
      deps.signal,
    )
  } catch (err) {
    if (!isBatchRefusal(err)) throw err
    if (mutations.length === 1) {
      const label = REFUSAL_LABELS[err.status] ?? 'Vom Büro abgelehnt'
      return [
        {
          mutationId: mutations[0]!.mutationId,
          status: 'rejected',
          isolated: true,
          problem: {
            type: err.type,
            title: label,
            status: err.status,
            ...(err.detail || err.title ? { detail: err.detail ?? err.title } : {}),
          },
        } as MutationResult,
      ]
    }
    const mid = Math.ceil(mutations.length / 2)
    const left = await sendIsolating(deps, userToken, mutations.slice(0, mid))
    const culprits = new Set(
      left
        .filter((r) => (r as { isolated?: boolean }).isolated)
        .map((r) => mutations.find((m) => m.mutationId === r.mutationId)?.caseId),
    )
    return [
      ...left,
      ...(await sendIsolating(
        deps,
        userToken,
        mutations.slice(mid).filter((m) => !culprits.has(m.caseId)),
      )),
    ]
  }
}
