// The intake worker pool (issue #14.5): fetch, decrypt and verify run in worker threads; the main
// thread only stores. A worker that throws or dies costs only its submission (parked, German
// reason), the others arrive in the same pass; hub errors keep their meaning across the thread
// boundary; blobs written by a worker are readable (keys from the main thread's database).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { threadId } from 'node:worker_threads'
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
  HubUnreachableError,
  createHubClient,
  loadDestinationKeys,
  type DestinationKeys,
} from '../../hub-client'
import { manualClock } from '../../core/clock'
import { runIntakePass } from './intake'
import { loadOpenerConfig } from './openConfig'
import { closeIntakePool, createIntakePool, poolThreads, type IntakePool } from './openPool'
import type { OpenTask } from './openWire'

const NOW = '2026-11-27T09:00:00Z'

describe('intake worker pool', () => {
  const base = mkdtempSync(join(tmpdir(), 'intake-pool-'))
  let hub: RunningHub
  let desk: Desk
  let sender: Sender
  let keys: DestinationKeys
  let pool: IntakePool
  let connection: { baseUrl: string; clientId: string; clientSecret: string }
  const procs = loadProcedures()
  const submit = async (n: number, tag: string) => {
    const ids: string[] = []
    for (let i = 0; i < n; i++) {
      const p = procs[i % procs.length]!
      const a = await generateApplication(p, createRng(`${tag}:${i}`), new Date(NOW), i)
      ids.push((await submitApplication(sender, a)).submissionId)
    }
    return ids
  }
  const call = async <T>(m: string, input: unknown): Promise<T> => {
    const r = await desk.dispatch(m, input)
    if (!r.ok) throw new Error(`${m}: ${r.error.message}`)
    return r.value as T
  }
  /** the pool, recording which thread opened what, with a fault for the named submissions */
  const watched = (faults: Record<string, OpenTask['fault']> = {}) => {
    const threads = new Map<string, number>()
    const p: IntakePool = {
      capacity: pool.capacity,
      open: async (id, k, blobs) => {
        const r = await pool.open(id, k, blobs, faults[id])
        threads.set(id, r.threadId)
        return r
      },
    }
    return { pool: p, threads }
  }
  const client = () => createHubClient(connection)

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
    connection = { baseUrl: hub.url, clientId: sub.clientId, clientSecret: sub.clientSecret }
    pool = createIntakePool({ connection, opener: loadOpenerConfig(), threads: 2 })
    desk = createDesk({ dataDir: join(base, 'desk'), mode: 'browser', clock: manualClock(NOW) })
  }, 60_000)
  afterAll(async () => {
    await closeIntakePool()
    await desk?.close()
    await hub?.close()
    rmSync(base, { recursive: true, force: true })
  })

  it('opens every submission in a worker thread; the documents it wrote are readable', async () => {
    const ids = await submit(8, 'pool')
    const w = watched()
    const counts = await runIntakePass(desk.ctx, {
      client: client(),
      keys,
      opener: loadOpenerConfig(),
      pool: w.pool,
    })
    expect(counts).toMatchObject({ accepted: 8, rejected: 0 })
    expect(counts.failed ?? 0).toBe(0)
    // every one off the main thread, spread over more than one worker
    expect([...w.threads.keys()].sort()).toEqual([...ids].sort())
    expect([...w.threads.values()].every((t) => t !== threadId)).toBe(true)
    expect(new Set(w.threads.values()).size).toBeGreaterThan(1)
    for (const id of ids) expect(await hub.submissionState(id)).toBe('accepted')
    // the blobs the workers wrote open with the keys the main thread reserved (hash verified)
    const list = await call<{ rows: { id: string }[] }>('cases.list', {})
    for (const c of list.rows) {
      const detail = await call<{ documents: { sha256: string; size: number }[] }>('cases.get', {
        id: c.id,
      })
      expect(detail.documents.length).toBeGreaterThan(1)
      for (const d of detail.documents) expect(desk.ctx.blobs.get(d.sha256).length).toBe(d.size)
    }
  }, 120_000)

  it('a worker that throws or dies costs only its submission: parked, the others arrive', async () => {
    const ids = await submit(5, 'faults')
    const [crashes, throws] = [ids[1]!, ids[3]!]
    const w = watched({ [crashes]: 'crash', [throws]: 'throw' })
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const first = await runIntakePass(desk.ctx, {
      client: client(),
      keys,
      opener: loadOpenerConfig(),
      pool: w.pool,
    })
    log.mockRestore()
    expect(first).toMatchObject({ accepted: 3, quarantined: 2, failed: 2 })
    for (const id of ids.filter((x) => x !== crashes && x !== throws))
      expect(await hub.submissionState(id)).toBe('accepted')
    const parked = await call<{ entries: QuarantinedSubmission[] }>('intake.quarantine', {})
    const reasonOf = (id: string) => parked.entries.find((e) => e.submissionId === id)?.reason
    expect(reasonOf(crashes)).toMatch(/zweimal abgebrochen.*„Erneut versuchen“/)
    expect(reasonOf(throws)).toMatch(/zurückgestellt.*„Erneut versuchen“/)

    // the pool lives on: once retried (and the cause gone) both come in on fresh workers
    await call('intake.retry', {})
    const again = await runIntakePass(desk.ctx, {
      client: client(),
      keys,
      opener: loadOpenerConfig(),
      pool: watched().pool,
    })
    expect(again).toMatchObject({ accepted: 2 })
    expect(await hub.submissionState(crashes)).toBe('accepted')
    expect(await hub.submissionState(throws)).toBe('accepted')
  }, 120_000)

  it('a hub error keeps its class across the thread boundary (transient stays transient)', async () => {
    const down = createIntakePool({
      connection: { ...connection, baseUrl: 'http://127.0.0.1:9', timeoutMs: 2000 },
      opener: loadOpenerConfig(),
      threads: 1,
    })
    await expect(
      down.open('00000000-0000-4000-8000-000000000000', keys, desk.ctx.blobs),
    ).rejects.toBeInstanceOf(HubUnreachableError)
  }, 30_000)
})

describe('intake pool size', () => {
  it('leaves the main thread a core: cores − 1 threads, at least one, at most eight', () => {
    expect([1, 2, 3, 4, 8, 9, 16, 64].map(poolThreads)).toEqual([1, 1, 2, 3, 7, 8, 8, 8])
  })
})
