// `npm run hub:seed` and the demo (issue #16 point 5): with the portal's key, every third applicant
// names the FIT-Connect reply channel, every third an e-mail address, the rest none; the desk
// keeps what each named and knows where a notice can go digitally.
import { mkdtempSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startHub, type RunningHub } from '../../../hub/server'
import { portalKeyAt, seedSubmissions, type PortalKey } from '../../../hub/seed/seed'
import { createDesk, type Desk } from '../../desk'
import { demoTokenSource } from '../../../testing/sync/testHarness'
import { manualClock } from '../../core/clock'
import { replyTargetOf } from './channel'
import { replyChannelOfCase } from '../../../db/repositories/replies'

describe('seeded reply channels', () => {
  let hub: RunningHub
  let desk: Desk
  let key: PortalKey
  beforeAll(async () => {
    hub = await startHub({ dataDir: mkdtempSync(join(tmpdir(), 'seedch-hub-')) })
    key = await portalKeyAt(join(hub.dataDir, 'portal-key.json'))
    desk = createDesk({
      dataDir: mkdtempSync(join(tmpdir(), 'seedch-desk-')),
      mode: 'browser',
      clock: manualClock('2026-11-27T09:00:00Z'),
      userTokens: demoTokenSource(hub.dataDir),
    })
    desk.connectHub(hub.url, join(hub.dataDir, 'hub.json'))
  }, 60_000)
  afterAll(async () => {
    await desk.close()
    await hub.close()
  })

  it('some applicants name FIT-Connect, some e-mail, some none; the desk keeps each', async () => {
    expect(statSync(join(hub.dataDir, 'portal-key.json')).mode & 0o777).toBe(0o600)
    expect((await portalKeyAt(join(hub.dataDir, 'portal-key.json'))).kid).toBe(key.kid)
    const seeded = await seedSubmissions({
      hubUrl: hub.url,
      hubConfig: hub.config,
      count: 6,
      portalKey: key,
    })
    expect(seeded.submissions.map((s) => s.replyChannel)).toEqual([
      'fitConnect',
      'eMail',
      'none',
      'fitConnect',
      'eMail',
      'none',
    ])
    const r = await desk.dispatch('sync.run', {})
    expect(r.ok).toBe(true)
    const seen = { fitConnect: 0, eMail: 0, none: 0 }
    const list = await desk.dispatch('cases.list', { view: 'alle' })
    if (!list.ok) throw new Error(list.error.message)
    const ids = (list.value as { rows: { id: string }[] }).rows.map((c) => c.id)
    expect(ids).toHaveLength(6)
    for (const id of ids) {
      const row = replyChannelOfCase(desk.ctx.db, id)
      const target = replyTargetOf(desk.ctx, id)
      if (target?.key) {
        expect(target.key.kid).toBe(key.kid)
        seen.fitConnect++
      } else if (row) {
        expect(target?.eMail).toMatch(/@/) // the e-mail channel: notified, retrieved in the portal
        expect(row.channel).toMatchObject({
          eMail: { address: expect.stringMatching(/@/) },
        })
        seen.eMail++
      } else seen.none++
    }
    expect(seen).toEqual({ fitConnect: 2, eMail: 2, none: 2 })
  }, 60_000)
})
