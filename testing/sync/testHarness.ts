// Test harness for office sync: a reference hub in-process and desks pointed at it (tests only).
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startHub, type RunningHub } from '../../hub/server'
import { createDesk, type Desk } from '../../main/desk'
import { manualClock } from '../../main/core/clock'
import type { OfficePhaseOptions } from '../../main/features/sync/office'

export interface TestDesk {
  desk: Desk
  /** while true every hub request of this desk fails like a pulled network cable */
  offline: boolean
  /** share of requests that fail (random drops), 0 by default */
  dropRate: number
  call<T = unknown>(method: string, input?: unknown): Promise<T>
  login(userId: string): Promise<void>
}

export async function startTestHub(
  dataDir = mkdtempSync(join(tmpdir(), 'office-hub-')),
  port?: number,
): Promise<RunningHub> {
  return startHub({ dataDir, ...(port ? { port } : {}) })
}

export function makeTestDesk(
  hub: { url: string; dataDir: string },
  opts: {
    dataDir?: string
    random?: () => number
    office?: OfficePhaseOptions
    now?: string
    atRest?: 'encrypted' | 'plaintext'
  } = {},
): TestDesk {
  const random = opts.random ?? Math.random
  const t: TestDesk = {
    offline: false,
    dropRate: 0,
    desk: undefined as unknown as Desk,
    async call<T>(method: string, input: unknown = {}): Promise<T> {
      const r = await t.desk.dispatch(method, input)
      if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`)
      return r.value as T
    },
    async login(userId: string) {
      await t.call('session.login', { userId })
    },
  }
  const flaky: typeof fetch = async (input, init) => {
    if (t.offline || (t.dropRate > 0 && random() < t.dropRate))
      throw new TypeError('fetch failed (simulated network drop)')
    const res = await fetch(input, init)
    // a drop after the hub answered: the request took effect, the answer is lost
    if (t.dropRate > 0 && random() < t.dropRate / 2) {
      await res.body?.cancel()
      throw new TypeError('fetch failed (simulated lost response)')
    }
    return res
  }
  t.desk = createDesk({
    dataDir: opts.dataDir ?? mkdtempSync(join(tmpdir(), 'office-desk-')),
    mode: 'browser',
    clock: manualClock(opts.now ?? '2026-11-27T09:00:00Z'),
    hubPhaseOptions: { fetch: flaky, office: opts.office ?? {} },
    engine: { random, baseBackoffMs: 10, maxBackoffMs: 50 },
    ...(opts.atRest ? { atRest: opts.atRest } : {}),
  })
  t.desk.connectHub(hub.url, join(hub.dataDir, 'hub.json'))
  return t
}
