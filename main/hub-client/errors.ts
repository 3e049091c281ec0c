// Typed errors of the hub client.

/** The hub could not be reached (DNS, refused, reset, timeout). Retry later. */
export class HubUnreachableError extends Error {
  override readonly name = 'HubUnreachableError'
  constructor(
    message: string,
    readonly url: string,
    readonly timedOut = false,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

/** The hub answered with an error (an RFC 7807 problem document where it sent one). */
export class HubProblemError extends Error {
  override readonly name = 'HubProblemError'
  constructor(
    readonly status: number,
    readonly type: string,
    readonly title: string,
    readonly detail: string | undefined,
    readonly url: string,
  ) {
    super(`${status} ${title}${detail ? `: ${detail}` : ''} (${url})`)
  }
}

/** The hub answered 2xx but with a body that does not match the protocol. */
export class HubProtocolError extends Error {
  override readonly name = 'HubProtocolError'
  constructor(
    message: string,
    readonly url: string,
    /** the answer was larger than the client accepts */
    readonly tooLarge = false,
  ) {
    super(message)
  }
}

/**
 * Worth another attempt: unreachable, reset, timeout (also fetch's own AbortError/TimeoutError)
 * and 5xx (overloaded, restarting, injected fault).
 */
export const isTransientHubError = (err: unknown): boolean =>
  err instanceof HubUnreachableError ||
  (err instanceof DOMException && (err.name === 'AbortError' || err.name === 'TimeoutError')) ||
  (err instanceof HubProblemError && err.status >= 500)
