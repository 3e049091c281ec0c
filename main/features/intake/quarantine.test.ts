// The intake quarantine (issue #14): a submission that cannot be stored and is not clearly
// rejectable is parked with a German reason, the others arrive in the same pass, later passes
// leave it alone (no download again), and intake.retry brings it in once the cause is gone.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { startHub, type RunningHub } from '../../../hub/server'
import {
  createRng,
  createSender,
  generateApplication,
  loadProcedures,
  submitApplication,
  type Sender,
} from '../../../hub/seed/seed'
import type { QuarantinedSubmission } from '../../../db/domain'
import { createDesk, type Desk } from '../../desk'
import {
  createHubClient,
  HubProtocolError,
  loadDestinationKeys,
  type DestinationKeys,
  type HubClient,
} from '../../hub-client'
import { manualClock } from '../../core/clock'
import type { AppContext } from '../../core/context'
import { runIntakePass } from './intake'
import { retryQuarantined } from './quarantine'
import { loadOpenerConfig } from './openConfig'

const NOW = '2026-11-27T09:00:00Z'

describe('intake quarantine', () => {
  const base = mkdtempSync(join(tmpdir(), 'quarantine-'))
  let hub: RunningHub
  let desk: Desk
  let sender: Sender
  let keys: DestinationKeys
  let real: HubClient
  beforeAll(async () => {
    hub = await startHub({ dataDir: join(base, 'hub') })
    const d = hub.config.destinations[0]!
    keys = await loadDestinationKeys(d.privateKeysFile)
    const snd = hub.config.clients.find((c) => c.role === 'sender')!
    sender = await createSender({
      hubUrl: hub.url,
      clientId: snd.clientId,
      clientSecret: snd.clientSecret,
      destinationId: d.destinationId,
    })
    const sub = hub.config.clients.find((c) => c.role === 'subscriber')!
    real = createHubClient({
      baseUrl: hub.url,
      clientId: sub.clientId,
      clientSecret: sub.clientSecret,
    })
    desk = createDesk({ dataDir: join(base, 'desk'), mode: 'browser', clock: manualClock(NOW) })
  }, 60_000)
  afterAll(async () => {
    await desk?.close()
    await hub?.close()
    rmSync(base, { recursive: true, force: true })
  })
  const call = async <T>(m: string, input: unknown): Promise<T> => {
    const r = await desk.dispatch(m, input)
    if (!r.ok) throw new Error(`${m}: ${r.error.message}`)
    return r.value as T
  }

  it('parks the one that cannot be stored, brings in the others, skips it until retried', async () => {
    const procs = loadProcedures()
    const ids: string[] = []
    for (let i = 0; i < 3; i++) {
      const a = await generateApplication(procs[i]!, createRng(`q:${i}`), new Date(NOW), i)
      ids.push((await submitApplication(sender, a)).submissionId)
    }
    const poisoned = ids[1]!
    let poisonedFetches = 0
    let broken = true
    // a hub answer the desk cannot make sense of for one submission: not transient, not rejectable
    const client: HubClient = {
      ...real,
      getSubmission: async (id, signal) => {
        if (id === poisoned) {
          poisonedFetches++
          if (broken) throw new HubProtocolError('Unexpected response: shape', `${hub.url}/x`)
        }
        return real.getSubmission(id, signal)
      },
    }
    const deps = { client, keys, opener: loadOpenerConfig() }
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const first = await runIntakePass(desk.ctx, deps)
    log.mockRestore()
    expect(first).toMatchObject({ accepted: 2, quarantined: 1, failed: 1 })
    const parked = await call<{ entries: QuarantinedSubmission[] }>('intake.quarantine', {})
    expect(parked.entries).toHaveLength(1)
    expect(parked.entries[0]).toMatchObject({
      submissionId: poisoned,
      attempts: 1,
      retryRequested: false,
    })
    expect(parked.entries[0]!.reason).toMatch(/zurückgestellt.*„Erneut versuchen“/)

    // the next pass does not fetch it again
    const second = await runIntakePass(desk.ctx, deps)
    expect(second).toMatchObject({ accepted: 0, quarantined: 1 })
    expect(second.failed ?? 0).toBe(0)
    expect(poisonedFetches).toBe(1)

    // retry only what is parked; an unknown id is refused in German
    const unknown = await desk.dispatch('intake.retry', { submissionId: ids[0] })
    expect(unknown.ok).toBe(false)
    if (!unknown.ok) expect(unknown.error.message).toMatch(/nicht gefunden/)
    // a read-only role may look, not act
    const reader = Object.create(desk.ctx) as AppContext
    reader.currentUser = () => ({ ...desk.ctx.currentUser(), role: 'readonly' })
    expect(() => retryQuarantined(reader, poisoned)).toThrow(/Leseberechtigung/)
    expect(
      (await call<{ entries: QuarantinedSubmission[] }>('intake.quarantine', {})).entries[0]!
        .retryRequested,
    ).toBe(false)
    expect(await call('intake.retry', { submissionId: poisoned })).toEqual({ requested: 1 })

    broken = false
    const third = await runIntakePass(desk.ctx, deps)
    expect(third).toMatchObject({ accepted: 1 })
    expect(poisonedFetches).toBe(2)
    expect((await call<{ entries: unknown[] }>('intake.quarantine', {})).entries).toEqual([])
    const cases = await call<{ total: number }>('cases.list', {})
    expect(cases.total).toBe(3)
  }, 60_000)
})
