// Rückkanal (issue #16): a portal notice to an applicant with a FIT-Connect reply channel is
// signed offline, delivered exactly once after reconnect, retrieved and decrypted by the portal;
// the retrieval sets the Bekanntgabe; a second notice nobody retrieves goes to the Postausgang.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { compactDecrypt, exportJWK, generateKeyPair } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startHub, type RunningHub } from '../../../hub/server'
import {
  createRng,
  createSender,
  generateApplication,
  loadProcedures,
  submitApplication,
  type Sender,
} from '../../../hub/seed/seed'
import { createDesk, type Desk } from '../../desk'
import { demoTokenSource } from '../../../testing/sync/testHarness'
import { manualClock } from '../../core/clock'

const DAY = 86_400_000

describe('Rückkanal', () => {
  let hub: RunningHub
  let desk: Desk
  let sender: Sender
  const clock = manualClock('2026-11-23T09:00:00Z') // a Monday
  const wohngeld = loadProcedures().find((p) => p.id === 'wohngeld')!
  let applicant: Awaited<ReturnType<typeof generateKeyPair>>
  beforeAll(async () => {
    applicant = await generateKeyPair('RSA-OAEP-256', { modulusLength: 2048, extractable: true })
    hub = await startHub({
      dataDir: mkdtempSync(join(tmpdir(), 'reply-hub-')),
      clock: () => clock.now().getTime(),
    })
    const s = hub.config.clients.find((c) => c.role === 'sender')!
    sender = await createSender({
      hubUrl: hub.url,
      clientId: s.clientId,
      clientSecret: s.clientSecret,
      destinationId: hub.config.destinations[0]!.destinationId,
    })
    desk = createDesk({
      dataDir: mkdtempSync(join(tmpdir(), 'reply-desk-')),
      mode: 'browser',
      clock,
      userTokens: demoTokenSource(hub.dataDir),
    })
    desk.connectHub(hub.url, join(hub.dataDir, 'hub.json'))
  }, 60_000)
  afterAll(async () => {
    await desk.close()
    await hub.close()
  })
  const call = async <T>(m: string, input: unknown): Promise<T> => {
    const r = await desk.dispatch(m, input)
    if (!r.ok) throw new Error(`${m}: ${r.error.message}`)
    return r.value as T
  }
  const portal = async <T>(path: string, method = 'GET'): Promise<T> => {
    const r = await sender.request(path, { method })
    expect(r.status, await r.clone().text()).toBeLessThan(300)
    return (r.status === 204 ? undefined : await r.json()) as T
  }

  async function decidedCase(seed: string): Promise<{ id: string; hubCaseId: string }> {
    const jwk = { ...(await exportJWK(applicant.publicKey)), kid: `applicant-${seed}` }
    const app = await generateApplication(wohngeld, createRng(seed), clock.now(), 1)
    const { caseId: hubCaseId } = await submitApplication(sender, app, {
      metadata: (m) => ({ ...m, replyChannel: { fitConnect: { encryptionPublicKey: jwk } } }),
    })
    await call('sync.run', {})
    const { rows } = await call<{ rows: { id: string; applicantName: string }[] }>('cases.list', {
      view: 'alle',
    })
    const c = rows.at(-1)!
    desk.session.adopt('u-jweiss')
    await call('casework.take', { id: c.id })
    await call('casework.setStatus', { id: c.id, to: 'in_bearbeitung' })
    await call('decisions.decide', {
      id: c.id,
      outcome: 'stattgegeben',
      fields: { monthlyAmount: 212.5, periodFrom: '2026-12-01', periodTo: '2027-11-30' },
      reasons: 'Die Voraussetzungen nach §§ 3 ff. WoGG liegen vor.',
    })
    return { id: c.id, hubCaseId }
  }

  it('signed with the hub down, delivered once after reconnect, retrieved: Bekanntgabe = retrieval + 1 day', async () => {
    const c = await decidedCase('reply:1')
    hub.setFaults({ errorRate: 1 })
    await call('notices.issue', {
      id: c.id,
      certificate: 'seal',
      password: 'demo',
      channel: 'portal',
    })
    await call('sync.run', {})
    hub.setFaults(false)
    const none = await portal<{ totalCount: number }>(`/v2/replies?caseId=${c.hubCaseId}`)
    expect(none.totalCount).toBe(0)
    await call('sync.run', {})
    await call('sync.run', {})
    const list = await portal<{ replies: { replyId: string; status: string }[] }>(
      `/v2/replies?caseId=${c.hubCaseId}`,
    )
    expect(list.replies).toHaveLength(1)
    const r = await portal<{ encryptedData: string }>(`/v2/replies/${list.replies[0]!.replyId}`)
    const { plaintext } = await compactDecrypt(r.encryptedData, applicant.privateKey)
    const body = JSON.parse(new TextDecoder().decode(plaintext)) as {
      kind: string
      content: string
    }
    expect(body.kind).toBe('bescheid')
    expect(Buffer.from(body.content, 'base64').subarray(0, 5).toString()).toBe('%PDF-')

    clock.advance(2 * DAY) // retrieved on Wednesday 25.11.
    await portal(`/v2/replies/${list.replies[0]!.replyId}/accept`, 'POST')
    await call('sync.run', {})
    const d = await call<{
      decision: { deliveredOn: string; objectionEnd: string }
      replies: { kind: string; state: string; deliveredAt: string; retrievedAt: string }[]
    }>('decisions.get', { id: c.id })
    expect(d.decision).toMatchObject({ deliveredOn: '2026-11-26', objectionEnd: '2026-12-28' })
    // what the case view shows: delivered once, on the day of reconnect, retrieved two days later
    expect(d.replies).toHaveLength(1)
    expect(d.replies[0]).toMatchObject({ kind: 'bescheid', state: 'retrieved' })
    expect(d.replies[0]!.deliveredAt.slice(0, 10)).toBe('2026-11-23')
    expect(d.replies[0]!.retrievedAt.slice(0, 10)).toBe('2026-11-25')
    const detail = await call<{ history: { action: string; detail: string }[] }>('cases.get', {
      id: c.id,
    })
    expect(detail.history.map((h) => h.action)).toEqual(
      expect.arrayContaining(['Bescheid zum Abruf bereitgestellt', 'Bescheid abgerufen']),
    )
  }, 60_000)

  it('not retrieved within ten days: „nicht abgerufen“, the notice lands in the Postausgang', async () => {
    const c = await decidedCase('reply:2')
    await call('notices.issue', {
      id: c.id,
      certificate: 'seal',
      password: 'demo',
      channel: 'portal',
    })
    await call('sync.run', {})
    let post = await call<{
      rows: { caseId: string; dispatchDate: string; notRetrieved: boolean }[]
    }>('notices.postOutbox', {})
    expect(post.rows.map((r) => r.caseId)).not.toContain(c.id)
    clock.advance(11 * DAY)
    await call('sync.run', {})
    post = await call<{ rows: { caseId: string; dispatchDate: string; notRetrieved: boolean }[] }>(
      'notices.postOutbox',
      {},
    )
    expect(post.rows.find((r) => r.caseId === c.id)?.dispatchDate).toBe(
      clock.now().toISOString().slice(0, 10),
    )
    expect(post.rows.find((r) => r.caseId === c.id)).toMatchObject({ notRetrieved: true })
    const v = await call<{ replies: { state: string }[] }>('decisions.get', { id: c.id })
    expect(v.replies.map((r) => r.state)).toEqual(['not_retrieved'])
    const detail = await call<{ history: { action: string }[] }>('cases.get', { id: c.id })
    expect(detail.history.map((h) => h.action)).toContain('Bescheid nicht abgerufen')
  }, 60_000)
})
