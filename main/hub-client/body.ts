// Reads a hub response body with a byte cap: the desk stops reading (and cancels the stream)
// as soon as a body grows past it, so a hub that sends an endless body cannot grow the desk.
import { HubProtocolError } from './errors'

/** A 2xx body larger than the cap for its kind of response. */
export class HubResponseTooLargeError extends HubProtocolError {
  constructor(
    readonly maxBytes: number,
    url: string,
  ) {
    super(`Response body larger than ${maxBytes} bytes; reading stopped`, url)
  }
}

/** The body as bytes, at most `maxBytes` (a Content-Length above the cap is refused unread). */
export async function readBodyCapped(r: Response, maxBytes: number, url: string): Promise<Buffer> {
  const declared = Number(r.headers.get('content-length') ?? NaN)
  if (Number.isFinite(declared) && declared > maxBytes) {
    await r.body?.cancel().catch(() => undefined)
    throw new HubResponseTooLargeError(maxBytes, url)
  }
  if (!r.body) return Buffer.alloc(0)
  const reader = (r.body as ReadableStream<Uint8Array>).getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.byteLength
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined)
      throw new HubResponseTooLargeError(maxBytes, url)
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks, total)
}
