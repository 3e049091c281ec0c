// The demo's Rückkanal (issue #16 point 5): one notice retrieved in the portal (Bekanntgabe set),
// one not retrieved and sent by post (in the Postausgang).
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startHub, type RunningHub } from '../hub/server'
import { createDesk, type Desk } from './desk'
import { manualClock } from './core/clock'
import { seedDemoApplications } from './demo'
import { seedDemoReplies } from './demoReplies'

describe('demo: Rückkanal', () => {
  let hub: RunningHub
  let desk: Desk
  beforeAll(async () => {
    hub = await startHub({ dataDir: mkdtempSync(join(tmpdir(), 'demo-reply-hub-')) })
    // 16 applications: Wohngeld is every fifth, the FIT-Connect channel every third → two
    await seedDemoApplications(hub, { count: 16, referenceDate: new Date(), replyChannels: true })
    desk = createDesk({
      dataDir: mkdtempSync(join(tmpdir(), 'demo-reply-desk-')),
      mode: 'browser',
      clock: manualClock(new Date().toISOString()), // the hub's clock is real
    })
    desk.connectHub(hub.url, join(hub.dataDir, 'hub.json'))
  }, 90_000)
  afterAll(async () => {
    await desk.close()
    await hub.close()
  })

  it('shows one notice retrieved and one not retrieved and sent by post', async () => {
    const ids = await seedDemoReplies(desk, hub)
    expect(ids).toHaveLength(2)
    desk.session.adopt('u-jweiss')
    const get = async (id: string) => {
      const r = await desk.dispatch('decisions.get', { id })
      if (!r.ok) throw new Error(r.error.message)
      return r.value as {
        decision: { channel: string; deliveredOn: string | null; objectionEnd: string | null }
        replies: { state: string }[]
      }
    }
    const [retrieved, lapsed] = [await get(ids[0]!), await get(ids[1]!)]
    expect(retrieved.replies.map((r) => r.state)).toEqual(['retrieved'])
    expect(retrieved.decision).toMatchObject({ channel: 'portal' })
    expect(retrieved.decision.deliveredOn).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    expect(retrieved.decision.objectionEnd).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    expect(lapsed.replies.map((r) => r.state)).toEqual(['not_retrieved'])
    expect(lapsed.decision.channel).toBe('post')
    const post = await desk.dispatch('notices.postOutbox', {})
    if (!post.ok) throw new Error(post.error.message)
    const rows = (post.value as { rows: { caseId: string; notRetrieved: boolean }[] }).rows
    expect(rows).toEqual([expect.objectContaining({ caseId: ids[1], notRetrieved: true })])
  }, 120_000)
})
