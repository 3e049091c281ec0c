// The change feed's push stream (docs/hub-protocol.md, "Change feed push"): authenticated like the
// feed, need-to-know filtered, heartbeat, bounded number of waiting streams.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { register, startOfficeHub, type OfficeHub } from './office.testutil'

let o: OfficeHub
beforeAll(async () => {
  o = await startOfficeHub({ feedPush: { heartbeatMs: 150, maxWaiting: 3 } })
})
afterAll(async () => {
  await o.close()
})

/** An open stream: the text received so far, and a wait for a pattern in it. */
async function open(user: string | undefined, since = '0') {
  const stop = new AbortController()
  const res = await o.call(`/office/v1/changes/stream?since=${since}`, {
    ...(user ? { user } : {}),
    headers: { accept: 'text/event-stream' },
  })
  let text = ''
  const reader = res.body?.pipeThrough(new TextDecoderStream()).getReader()
  const pump = (async () => {
    if (!reader || res.status !== 200) return
    stop.signal.addEventListener('abort', () => void reader.cancel().catch(() => undefined))
    try {
      for (;;) {
        const { done, value } = await reader.read()
        if (done) return
        text += value
      }
    } catch {
      // cancelled
    }
  })()
  return {
    res,
    text: () => text,
    until: async (re: RegExp, ms = 3000) => {
      const end = Date.now() + ms
      while (!re.test(text) && Date.now() < end) await new Promise((r) => setTimeout(r, 20))
      return re.test(text)
    },
    close: async () => {
      stop.abort()
      await pump
    },
  }
}

const lastSeq = async (user: string) => {
  const r = await o.call('/office/v1/changes?since=0&limit=5000', { user })
  return ((await r.json()) as { next: string }).next
}

describe('GET /office/v1/changes/stream', () => {
  it('wakes a stream of the case’s team after a commit, never another team’s', async () => {
    const since = await lastSeq('u-sbaeumer')
    const soziales = await open('u-sbaeumer', since)
    const ordnung = await open('u-hjuengling', await lastSeq('u-hjuengling'))
    expect(soziales.res.status).toBe(200)
    expect(soziales.res.headers.get('content-type')).toMatch(/^text\/event-stream/)
    expect(await soziales.until(/event: ready/)).toBe(true)
    expect(await ordnung.until(/event: ready/)).toBe(true)
    const started = Date.now()
    const [r] = await o.mutate('u-amueller', [register(randomUUID(), null)]) // a Wohngeld case
    expect(r?.status).toBe('applied')
    expect(await soziales.until(/event: change\ndata: \{"seq":\d+\}/)).toBe(true)
    expect(Date.now() - started).toBeLessThan(1000)
    // need-to-know: team-ordnung's lead hears nothing of a Wohngeld case (heartbeats only)
    expect(await ordnung.until(/: heartbeat/)).toBe(true)
    expect(ordnung.text()).not.toMatch(/event: change/)
    await soziales.close()
    await ordnung.close()
  })

  it('says at once when a visible change already waits after the cursor', async () => {
    await o.mutate('u-amueller', [register(randomUUID(), null)])
    const s = await open('u-sbaeumer', '0')
    expect(await s.until(/event: change/, 1000)).toBe(true)
    await s.close()
  })

  it('refuses a caller without desk credential like the feed does', async () => {
    const r = await o.call('/office/v1/changes/stream?since=0', { desk: null })
    expect(r.status).toBe(401)
    await r.body?.cancel()
  })

  it('bounds the waiting streams: one too many gets 503 with Retry-After', async () => {
    const streams = [await open('u-sbaeumer'), await open('u-sbaeumer'), await open('u-sbaeumer')]
    for (const s of streams) expect(s.res.status).toBe(200)
    const extra = await o.call('/office/v1/changes/stream?since=0', { user: 'u-sbaeumer' })
    expect(extra.status).toBe(503)
    expect(extra.headers.get('retry-after')).toBe('30')
    expect(((await extra.json()) as { type: string }).type).toMatch(/too-many-waiting$/)
    for (const s of streams) await s.close()
    // a closed stream frees its place
    await new Promise((r) => setTimeout(r, 100))
    const again = await open('u-sbaeumer')
    expect(again.res.status).toBe(200)
    await again.close()
  })
})
