// The engine observes online/offline, backs off with injected jitter and comes back via the probe.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, it } from 'vitest'
import { createDesk } from '../../desk'
import { HubUnreachableError } from '../../hub-client'
import { manualClock } from '../../core/clock'
import { SyncEngine } from './engine'

const clock = manualClock('2026-11-27T10:00:00Z')
const desk = createDesk({ dataDir: mkdtempSync(join(tmpdir(), 'engine-')), mode: 'browser', clock })
afterAll(() => desk.close())

it('backs off exponentially with jitter after network errors and resets on success', async () => {
  let up = false
  const calls: string[] = []
  const engine = new SyncEngine(
    desk.ctx,
    {
      probe: () => {
        calls.push('probe')
        return up
          ? Promise.resolve()
          : Promise.reject(new HubUnreachableError('down', 'http://hub'))
      },
      outbox: () => {
        calls.push('outbox')
        return Promise.resolve({
          sent: 0,
          duplicates: 0,
          conflicts: 0,
          rejected: 0,
          adopted: 0,
          renumbered: 0,
          batches: 0,
        })
      },
    },
    { random: () => 0.5, baseBackoffMs: 1000, maxBackoffMs: 8000 },
  )
  const waits: number[] = []
  for (let i = 0; i < 5; i++) {
    const r = await engine.run()
    expect(r.online).toBe(false)
    const s = engine.status()
    expect(s.online).toBe(false)
    waits.push(Date.parse(s.nextAttemptAt!) - clock.now().getTime())
  }
  // delay/2 + 0.5 · delay/2 with delay = 1 s, 2 s, 4 s, 8 s, 8 s (capped)
  expect(waits).toEqual([750, 1500, 3000, 6000, 6000])
  expect(calls.every((c) => c === 'probe')).toBe(true) // nothing else runs while the probe fails
  up = true
  const r = await engine.retryNow()
  expect(r.online).toBe(true)
  expect(engine.status()).toMatchObject({
    online: true,
    nextAttemptAt: null,
    lastSuccessAt: '2026-11-27T10:00:00.000Z',
    hubConfigured: true,
    failed: 0,
  })
  expect(calls.slice(-2)).toEqual(['probe', 'outbox'])
})
