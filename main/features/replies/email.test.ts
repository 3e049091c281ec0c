// The e-mail reply channel (issue #16 point 5): the applicant named an e-mail address instead of a
// FIT-Connect reply key. The desk encrypts the notice to the portal's reply key, the hub writes a
// notification without personal data into its test mailbox, and the retrieval in the portal sets
// the Bekanntgabe like on the FIT-Connect channel.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { compactDecrypt, importJWK } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningHub } from '../../../hub/server'
import {
  createRng,
  generateApplication,
  loadProcedures,
  portalKeyAt,
  submitApplication,
  type Sender,
} from '../../../hub/seed/seed'
import { type Desk } from '../../desk'
import { startPortalRig, type PortalRig } from '../../../testing/sync/portalRig'
import { manualClock } from '../../core/clock'

describe('Rückkanal per E-Mail', () => {
  let hub: RunningHub
  let desk: Desk
  let sender: Sender
  let rig: PortalRig
  const clock = manualClock('2026-11-26T09:00:00Z') // a Thursday
  const wohngeld = loadProcedures().find((p) => p.id === 'wohngeld')!
  beforeAll(async () => {
    rig = await startPortalRig('email', clock)
    ;({ hub, desk, sender } = rig)
  }, 60_000)
  afterAll(() => rig.close())
  const call = <T>(m: string, input: unknown) => rig.call<T>(m, input)
  const portal = <T>(path: string, method?: string) => rig.portal<T>(path, method)

  it('notifies by mail without personal data; the portal retrieval sets the Bekanntgabe', async () => {
    const app = await generateApplication(wohngeld, createRng('email:1'), clock.now(), 1)
    const address = 'antragstellerin@example.org'
    const { caseId: hubCaseId } = await submitApplication(sender, app, {
      metadata: (m) => ({ ...m, replyChannel: { eMail: { address } } }),
    })
    await call('sync.run', {})
    const { rows } = await call<{
      rows: { id: string; aktenzeichen: string; applicantName: string }[]
    }>('cases.list', { view: 'alle' })
    const c = rows[0]!
    desk.session.adopt('u-jweiss')
    await call('casework.take', { id: c.id })
    await call('casework.setStatus', { id: c.id, to: 'in_bearbeitung' })
    await call('decisions.decide', {
      id: c.id,
      outcome: 'stattgegeben',
      fields: { monthlyAmount: 150, periodFrom: '2027-01-01', periodTo: '2027-12-31' },
      reasons: 'Die Voraussetzungen nach §§ 3 ff. WoGG liegen vor.',
    })
    hub.setFaults({ errorRate: 1 }) // signed offline: the portal key is fetched at delivery
    await call('notices.issue', {
      id: c.id,
      certificate: 'seal',
      password: 'demo',
      channel: 'portal',
    })
    await call('sync.run', {})
    hub.setFaults(false)
    await call('sync.run', {})
    await call('sync.run', {})

    const list = await portal<{ replies: { replyId: string }[] }>(`/v2/replies?caseId=${hubCaseId}`)
    expect(list.replies).toHaveLength(1)
    const replyId = list.replies[0]!.replyId
    // the test mailbox: one mail, to the address, with the retrieval link, without personal data
    const mails = readdirSync(join(hub.dataDir, 'mailbox'))
    expect(mails).toEqual([`${replyId}.eml`])
    const mail = readFileSync(join(hub.dataDir, 'mailbox', mails[0]!), 'utf8')
    expect(mail).toContain(`To: ${address}`)
    expect(mail).toContain(`${hub.url}/portal/replies/${replyId}`)
    for (const secret of [c.applicantName, c.aktenzeichen, 'Wohngeld', '150'])
      expect(mail).not.toContain(secret)

    const key = await portalKeyAt(join(hub.dataDir, 'portal-key.json'))
    const r = await portal<{ encryptedData: string }>(`/v2/replies/${replyId}`)
    const { plaintext } = await compactDecrypt(
      r.encryptedData,
      await importJWK(key.privateJwk, 'RSA-OAEP-256'),
    )
    const letter = JSON.parse(new TextDecoder().decode(plaintext)) as {
      kind: string
      content: string
    }
    expect(letter.kind).toBe('bescheid')
    expect(Buffer.from(letter.content, 'base64').subarray(0, 5).toString()).toBe('%PDF-')

    clock.advance(86_400_000) // retrieved Friday 27.11. → Bekanntgabe Saturday → Monday 30.11.
    await portal(`/v2/replies/${replyId}/accept`, 'POST')
    await call('sync.run', {})
    const d = await call<{
      decision: { deliveredOn: string; objectionEnd: string }
      replies: { state: string }[]
    }>('decisions.get', { id: c.id })
    expect(d.replies.map((x) => x.state)).toEqual(['retrieved'])
    expect(d.decision.deliveredOn).toBe('2026-11-30')
    expect(d.decision.objectionEnd).toBe('2026-12-30')
    // a repeated pass mails nothing more
    await call('sync.run', {})
    expect(readdirSync(join(hub.dataDir, 'mailbox'))).toHaveLength(1)
  }, 90_000)
})
