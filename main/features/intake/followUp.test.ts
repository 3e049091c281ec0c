// A follow-up submission (Nachreichung) with the same portal reference joins the existing case
// and resumes it when it waited for documents (Nachforderung).
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
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

describe('follow-up submissions', () => {
  let hub: RunningHub
  let desk: Desk
  let sender: Sender
  const wohngeld = loadProcedures().find((p) => p.id === 'wohngeld')!
  beforeAll(async () => {
    hub = await startHub({ dataDir: mkdtempSync(join(tmpdir(), 'followup-hub-')) })
    const s = hub.config.clients.find((c) => c.role === 'sender')!
    sender = await createSender({
      hubUrl: hub.url,
      clientId: s.clientId,
      clientSecret: s.clientSecret,
      destinationId: hub.config.destinations[0]!.destinationId,
    })
    desk = createDesk({
      dataDir: mkdtempSync(join(tmpdir(), 'followup-desk-')),
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
  const call = async <T>(m: string, input: unknown): Promise<T> => {
    const r = await desk.dispatch(m, input)
    if (!r.ok) throw new Error(`${m}: ${r.error.message}`)
    return r.value as T
  }

  it('files the documents into the waiting case and resumes it, without a second case', async () => {
    const original = await generateApplication(
      wohngeld,
      createRng('follow-up:1'),
      new Date('2026-11-26T10:00:00Z'),
      1,
    )
    await submitApplication(sender, original)
    await call('sync.run', {})
    const { rows } = await call<{ rows: { id: string; aktenzeichen: string }[] }>('cases.list', {
      view: 'alle',
    })
    expect(rows).toHaveLength(1)
    const c = rows[0]!
    await call('casework.take', { id: c.id })
    await call('casework.setStatus', { id: c.id, to: 'in_bearbeitung' })
    await call('casework.requestDocuments', {
      id: c.id,
      items: ['Mietbescheinigung'],
      deadline: '2026-12-11',
    })

    const followUp = await generateApplication(
      wohngeld,
      createRng('follow-up:2'),
      new Date('2026-11-27T08:00:00Z'),
      2,
    )
    followUp.senderReference = original.senderReference
    followUp.data = original.data // the same applicant: a reference alone is not enough (#14.6)
    followUp.attachments = [
      {
        ...followUp.attachments[0]!,
        filename: 'Mietbescheinigung.pdf',
        description: 'Mietbescheinigung',
        purpose: 'attachment',
      },
    ]
    await submitApplication(sender, followUp)
    const run = await call<{ intake: { accepted: number } }>('sync.run', {})
    expect(run.intake.accepted).toBe(1)

    const after = await call<{ total: number }>('cases.list', { view: 'alle' })
    expect(after.total).toBe(1)
    const detail = await call<{
      status: string
      documents: { kind: string; title: string }[]
      history: { action: string }[]
    }>('cases.get', { id: c.id })
    expect(detail.status).toBe('in_bearbeitung')
    expect(detail.documents.filter((d) => d.kind === 'nachreichung').map((d) => d.title)).toEqual([
      'Mietbescheinigung',
    ])
    expect(detail.history.map((h) => h.action)).toEqual(
      expect.arrayContaining(['Unterlagen nachgereicht', 'Status: Nachforderung → In Bearbeitung']),
    )
    const log = await call<{ entries: { reason: string }[] }>('intake.log', {})
    expect(log.entries[0]!.reason).toContain(`Nachreichung zu Aktenzeichen ${c.aktenzeichen}`)
    // the office got the documents and the status change from the system actor
    const status = await call<{ pending: number; failed: number }>('sync.status', {})
    expect(status).toMatchObject({ pending: 0, failed: 0 })
  })

  it('a stranger with a known senderReference opens a case of their own; a replayed attachment is not filed twice', async () => {
    const before = await call<{ rows: { id: string }[]; total: number }>('cases.list', {
      view: 'alle',
    })
    const firstCase = before.rows[0]!
    const original = await generateApplication(
      wohngeld,
      createRng('follow-up:1'),
      new Date('2026-11-26T10:00:00Z'),
      1,
    )
    const stranger = await generateApplication(
      wohngeld,
      createRng('follow-up:stranger'),
      new Date('2026-11-27T08:00:00Z'),
      3,
    )
    stranger.senderReference = original.senderReference
    await submitApplication(sender, stranger)
    await call('sync.run', {})
    const after = await call<{ total: number }>('cases.list', { view: 'alle' })
    expect(after.total).toBe(before.total + 1)

    // the same follow-up documents sent again (a replay under a new submission)
    const replay = await generateApplication(
      wohngeld,
      createRng('follow-up:2'),
      new Date('2026-11-27T08:00:00Z'),
      2,
    )
    replay.senderReference = original.senderReference
    replay.data = original.data
    replay.attachments = [
      {
        ...replay.attachments[0]!,
        filename: 'Mietbescheinigung.pdf',
        description: 'Mietbescheinigung',
        purpose: 'attachment',
      },
    ]
    await submitApplication(sender, replay)
    await call('sync.run', {})
    const detail = await call<{ documents: { kind: string }[] }>('cases.get', {
      id: firstCase.id,
    })
    expect(detail.documents.filter((d) => d.kind === 'nachreichung')).toHaveLength(1)
  })
})
