// Reading a hub answer with a size cap (issue #14 point 2: bounded memory against a hostile hub).
import { HubProtocolError } from './errors'

/**
 * The body, read chunk by chunk and given up as soon as it passes `max` bytes: a hub that sends
 * an endless or giant answer costs at most `max` of memory, never the desk.
 */
export async function readCapped(r: Response, max: number, url: string): Promise<Buffer> {
  const declared = Number(r.headers.get('content-length') ?? NaN)
  if (declared > max) {
    await r.body?.cancel()
    throw new HubProtocolError(`Response too large: ${declared} bytes (at most ${max})`, url, true)
  }
  if (!r.body) return Buffer.alloc(0)
  const reader = (r.body as ReadableStream<Uint8Array>).getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > max) {
      await reader.cancel()
      throw new HubProtocolError(`Response too large: more than ${max} bytes`, url, true)
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks, size)
}
