// One reference hub, the applicant's portal (the hub's sender client) and one desk connected to
// it on a manual clock: the setup every Rückkanal test needs (letters, e-mail channel, hearing).
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from 'vitest'
import { startHub, type RunningHub } from '../../hub/server'
import { createSender, type Sender } from '../../hub/seed/seed'
import { createDesk, type Desk } from '../../main/desk'
import type { manualClock } from '../../main/core/clock'
import { demoTokenSource } from './testHarness'

export interface PortalRig {
  hub: RunningHub
  desk: Desk
  sender: Sender
  /** a desk API call that must succeed */
  call<T>(method: string, input: unknown): Promise<T>
  /** a portal (sender) request that must succeed; its JSON body */
  portal<T>(path: string, method?: string): Promise<T>
  close(): Promise<void>
}

export async function startPortalRig(
  name: string,
  clock: ReturnType<typeof manualClock>,
): Promise<PortalRig> {
  const hub = await startHub({
    dataDir: mkdtempSync(join(tmpdir(), `${name}-hub-`)),
    clock: () => clock.now().getTime(),
  })
  const s = hub.config.clients.find((c) => c.role === 'sender')!
  const sender = await createSender({
    hubUrl: hub.url,
    clientId: s.clientId,
    clientSecret: s.clientSecret,
    destinationId: hub.config.destinations[0]!.destinationId,
  })
  const desk = createDesk({
    dataDir: mkdtempSync(join(tmpdir(), `${name}-desk-`)),
    mode: 'browser',
    clock,
    userTokens: demoTokenSource(hub.dataDir),
  })
  desk.connectHub(hub.url, join(hub.dataDir, 'hub.json'))
  return {
    hub,
    desk,
    sender,
    async call<T>(m: string, input: unknown): Promise<T> {
      const r = await desk.dispatch(m, input)
      if (!r.ok) throw new Error(`${m}: ${r.error.message}`)
      return r.value as T
    },
    async portal<T>(path: string, method = 'GET'): Promise<T> {
      const r = await sender.request(path, { method })
      expect(r.status, await r.clone().text()).toBeLessThan(300)
      return (r.status === 204 ? undefined : await r.json()) as T
    },
    async close() {
      await desk.close()
      await hub.close()
    },
  }
}
