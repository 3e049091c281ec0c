// Issue #14 point 7: a colleague's change shows up within seconds. Desk B keeps the hub's
// change-feed stream open and pulls when woken; a hub without the stream leaves the timer to it.
import { rmSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import type { RunningHub } from '../../../hub/server'
import { makeTestDesk, startTestHub, type TestDesk } from '../../../testing/sync/testHarness'
import { createDesk } from '../../desk'
import { manualClock } from '../../core/clock'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { HubProblemError, type OfficeClient } from '../../hub-client'
import { startFeedWatch } from './feedWatch'

const hubs: RunningHub[] = []
const desks: TestDesk[] = []
afterAll(async () => {
  for (const d of desks) await d.desk.close()
  for (const h of hubs) {
    await h.close()
    rmSync(h.dataDir, { recursive: true, force: true })
  }
})

const PDF = Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n')

describe('change-feed push between two desks', () => {
  it('a note made on desk A appears on desk B within 2 s, with B on its 30-second timer', async () => {
    const hub = await startTestHub()
    hubs.push(hub)
    const a = makeTestDesk(hub)
    const b = makeTestDesk(hub)
    desks.push(a, b)
    await a.login('u-sbaeumer')
    await b.login('u-jweiss')
    const { caseId } = await a.call<{ caseId: string }>('intake.create', {
      procedureId: 'wohngeld',
      applicantName: 'Grete Gleich',
      applicantAddress: 'Berliner Str. 5, 02826 Görlitz',
      channel: 'paper',
      attachments: [
        { filename: 'Antrag.pdf', mimeType: 'application/pdf', base64: PDF.toString('base64') },
      ],
    })
    await a.desk.sync.retryNow()
    await b.desk.sync.retryNow()
    b.desk.sync.start(30_000)
    a.desk.sync.start(30_000)
    await new Promise((r) => setTimeout(r, 300)) // first background passes and B's stream open
    while (a.desk.sync.status().running || b.desk.sync.status().running)
      await new Promise((r) => setTimeout(r, 20))
    const started = Date.now()
    await a.call('team.assign', { ids: [caseId], assignee: 'u-jweiss' })
    let seen = false
    while (!seen && Date.now() - started < 5000) {
      const c = await b.call<{ assignee: string | null }>('cases.get', { id: caseId })
      seen = c.assignee === 'u-jweiss'
      if (!seen) await new Promise((r) => setTimeout(r, 25))
    }
    const elapsed = Date.now() - started
    expect(seen).toBe(true)
    expect(elapsed).toBeLessThan(2000) // push ≈ 1 s debounce, then the stream wakes B at once
    await a.desk.sync.stop()
    await b.desk.sync.stop()
  }, 60_000)
})

describe('startFeedWatch', () => {
  it('falls back to the timer when the hub has no stream (404), and stops cleanly', async () => {
    const desk = createDesk({
      dataDir: mkdtempSync(join(tmpdir(), 'watch-')),
      mode: 'browser',
      clock: manualClock('2026-11-27T09:00:00Z'),
    })
    desks.push({ desk } as TestDesk)
    desk.session.adopt('u-jweiss')
    let opened = 0
    const office = {
      openChangeStream: () => {
        opened++
        return Promise.reject(
          new HubProblemError(404, 'about:blank', 'Not Found', undefined, 'http://hub'),
        )
      },
    } as unknown as OfficeClient
    let woken = 0
    const w = startFeedWatch(
      desk.ctx,
      {
        office,
        tokens: { tokenFor: () => Promise.resolve('t') },
        online: () => true,
        wake: () => woken++,
      },
      { unsupportedRetryMs: 60_000 },
    )
    while (w.state() !== 'unsupported') await new Promise((r) => setTimeout(r, 10))
    await new Promise((r) => setTimeout(r, 100))
    expect(opened).toBe(1) // not hammered: the next try is minutes away
    expect(woken).toBe(0)
    await w.stop()
    expect(w.state()).toBe('idle')
  })

  it('ends a stream that falls silent (no heartbeat) and opens a new one', async () => {
    const desk = createDesk({
      dataDir: mkdtempSync(join(tmpdir(), 'watch-')),
      mode: 'browser',
      clock: manualClock('2026-11-27T09:00:00Z'),
    })
    desks.push({ desk } as TestDesk)
    desk.session.adopt('u-jweiss')
    let opened = 0
    const enc = new TextEncoder()
    const office = {
      openChangeStream: (_since: string, o: { signal?: AbortSignal }) => {
        opened++
        return Promise.resolve(
          new ReadableStream<Uint8Array>({
            start(c) {
              c.enqueue(
                enc.encode(
                  'event: ready\ndata: {"heartbeatMs":100}\n\nevent: change\ndata: {"seq":5}\n\n',
                ),
              )
              // then silence: the hub hangs
              o.signal?.addEventListener('abort', () => c.error(new Error('aborted')))
            },
          }),
        )
      },
    } as unknown as OfficeClient
    let woken = 0
    const w = startFeedWatch(desk.ctx, {
      office,
      tokens: { tokenFor: () => Promise.resolve('t') },
      online: () => true,
      wake: () => woken++,
    })
    const t0 = Date.now()
    while (opened < 2 && Date.now() - t0 < 3000) await new Promise((r) => setTimeout(r, 10))
    expect(opened).toBeGreaterThanOrEqual(2) // silent for 3 heartbeats: dropped and reopened
    expect(woken).toBeGreaterThanOrEqual(1)
    await w.stop()
  })
})
