// Two desks and the reference hub over real HTTP: push, pull, conflicts, rejection, adoption, leases.
import { rmSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decisionOf } from '../../../db/repositories/decisions'
import { all, get, scalar, shape, sql } from '../../../db/sql'
import type { RunningHub } from '../../../hub/server'
import { seedSubmissions } from '../../../hub/seed/seed'
import type {
  CaseDetail,
  ConflictView,
  OutboxEntryView,
  SyncRunResult,
  SyncStatus,
} from '../../../preload/contract/index'
import { recordAction } from '../casework/actions'
import { decide } from '../decisions/service'
import { cosign, returnForChanges } from '../decisions/review'
import { makeTestDesk, startTestHub, type TestDesk } from '../../../testing/sync/testHarness'

let hub: RunningHub
let a: TestDesk
let b: TestDesk
const PDF = Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n')

beforeAll(async () => {
  hub = await startTestHub()
  a = makeTestDesk(hub)
  b = makeTestDesk(hub)
  await a.login('u-amueller') // clerk
  await b.login('u-sbaeumer') // lead
})
afterAll(async () => {
  await a?.desk.close()
  await b?.desk.close()
  await hub?.close()
  rmSync(hub.dataDir, { recursive: true, force: true })
})

const run = (d: TestDesk) => d.call<SyncRunResult>('sync.run')
const detail = (d: TestDesk, id: string) => d.call<CaseDetail>('cases.get', { id })
const create = (d: TestDesk, name: string) =>
  d.call<{ caseId: string; aktenzeichen: string }>('intake.create', {
    procedureId: 'wohngeld',
    applicantName: name,
    applicantAddress: 'Berliner Str. 5, 02826 Görlitz',
    channel: 'paper',
    attachments: [
      { filename: '../Antrag.pdf', mimeType: 'application/pdf', base64: PDF.toString('base64') },
    ],
  })

describe('office sync between two desks', () => {
  it('registers a hand-entered case with a leased number and shows it on the other desk, documents included', async () => {
    expect((await run(a)).online).toBe(true) // fetches the directory and leases numbers
    const leased = get(
      a.desk.ctx.db,
      sql`SELECT min(number) AS lo, max(number) AS hi, count(*) AS n FROM number_leases WHERE file_code = '632.1'`,
      shape({ lo: 'int', hi: 'int', n: 'int' }),
    )!
    // independent of what other tests of this file did before: a pool exists and the number comes from it
    expect(leased.n).toBeGreaterThan(0)
    const { caseId, aktenzeichen } = await create(a, 'Erika Musterfrau')
    expect(Number(aktenzeichen.split('-')[2])).toBeGreaterThanOrEqual(leased.lo)
    expect(Number(aktenzeichen.split('-')[2])).toBeLessThanOrEqual(leased.hi)
    const r = await run(a)
    expect(r.outbox).toMatchObject({ sent: 1, conflicts: 0, rejected: 0 })
    expect((await detail(a, caseId)).syncState).toBe('synced')

    const changed: unknown[] = []
    const off = b.desk.ctx.events.on('changed', (e) => changed.push(e))
    const rb = await run(b)
    off()
    expect(rb.changes?.applied).toBeGreaterThanOrEqual(1)
    expect(changed).toContainEqual({
      tags: expect.arrayContaining([{ type: 'Case', id: caseId }, { type: 'CaseList' }]),
    })
    const onB = await detail(b, caseId)
    expect(onB).toMatchObject({
      aktenzeichen,
      applicantName: 'Erika Musterfrau',
      channel: 'paper',
      syncState: 'synced',
      version: 1,
    })
    expect(onB.documents[0]?.filename).toBe('Antrag.pdf')
    const content = await b.call<{ base64: string }>('cases.document', { id: onB.documents[0]!.id })
    expect(Buffer.from(content.base64, 'base64').equals(PDF)).toBe(true)
    // the two desks hold disjoint number pools
    const nb = all(
      b.desk.ctx.db,
      sql`SELECT number FROM number_leases WHERE file_code = '632.1'`,
      shape({ number: 'int' }),
    )
    expect(nb.some((x) => x.number >= leased.lo && x.number <= leased.hi)).toBe(false)
  })

  it('keeps a colliding change as a conflict, resolves it either way, and both desks end equal', async () => {
    const { caseId } = await create(a, 'Max Konflikt')
    await run(a)
    await run(b)
    // offline on both desks: the clerk takes the case, the lead takes it too
    await a.call('casework.take', { id: caseId })
    await a.call('casework.addNote', { id: caseId, text: 'Unterlagen vollständig' })
    await b.call('casework.take', { id: caseId })
    await b.call('casework.setFollowUp', { id: caseId, date: '2026-12-10' })
    expect((await run(a)).outbox?.sent).toBe(2)
    const rb = await run(b)
    expect(rb.outbox).toMatchObject({ conflicts: 1, sent: 1 }) // the follow-up does not collide
    const status = await b.call<SyncStatus>('sync.status')
    expect(status.conflicts).toBe(1)
    const mine = await detail(b, caseId)
    expect(mine.syncState).toBe('conflict')
    expect(mine.assignee).toBe('u-sbaeumer') // the own change stays visible
    expect(mine.notes.map((n) => n.text)).toContain('Unterlagen vollständig')
    const { conflicts } = await b.call<{ conflicts: ConflictView[] }>('sync.conflicts', { caseId })
    expect(conflicts).toHaveLength(1)
    expect(conflicts[0]!.fields).toEqual([
      { field: 'assignee', label: 'Zuständig', mine: 'Sabine Bäumer', office: 'Anna Müller' },
    ])
    const outbox = await b.call<{ entries: OutboxEntryView[] }>('sync.outbox')
    expect(outbox.entries).toMatchObject([
      { state: 'conflict', typeLabel: 'Zuweisung', stateLabel: 'Konflikt – bitte entscheiden' },
    ])

    // 'office': the office's assignment is shown, the conflict is closed
    await b.call('sync.resolveConflict', { mutationId: conflicts[0]!.mutationId, choice: 'office' })
    expect((await detail(b, caseId)).assignee).toBe('u-amueller')
    expect((await b.call<SyncStatus>('sync.status')).conflicts).toBe(0)

    // a second collision, this time the lead insists: 'mine' sends it again on the current version
    await a.call('casework.setStatus', { id: caseId, to: 'in_bearbeitung' })
    await b.call('casework.release', { id: caseId, reason: 'Urlaub' })
    await run(a)
    expect((await run(b)).outbox?.conflicts).toBe(1)
    const again = await b.call<{ conflicts: ConflictView[] }>('sync.conflicts', { caseId })
    await b.call('sync.resolveConflict', {
      mutationId: again.conflicts[0]!.mutationId,
      choice: 'mine',
    })
    await run(b)
    await run(a)
    await run(b)
    const [da, db] = [await detail(a, caseId), await detail(b, caseId)]
    for (const d of [da, db])
      expect(d).toMatchObject({
        assignee: null,
        status: 'in_bearbeitung',
        followUp: '2026-12-10',
        syncState: 'synced',
      })
    expect(da.version).toBe(db.version)
    expect(da.notes.map((n) => n.text).sort()).toEqual(db.notes.map((n) => n.text).sort())
  })

  it('shows a rejected mutation with the problem and retries it on request', async () => {
    const { caseId } = await create(a, 'Rita Recht')
    await run(a)
    recordAction(a.desk.ctx, {
      caseId,
      type: 'case.cosign',
      payload: {},
      history: { action: 'Mitgezeichnet' },
    }) // a clerk may not
    const r = await run(a)
    expect(r.outbox?.rejected).toBe(1)
    const { entries } = await a.call<{ entries: OutboxEntryView[] }>('sync.outbox', {
      states: ['rejected'],
    })
    expect(entries).toMatchObject([
      {
        state: 'rejected',
        stateLabel: 'Vom Büro abgelehnt',
        typeLabel: 'Mitzeichnung',
        problem: { type: expect.stringMatching(/\/forbidden$/) },
      },
    ])
    expect((await detail(a, caseId)).syncState).toBe('rejected')
    expect((await a.call<SyncStatus>('sync.status')).failed).toBe(1)
    expect(await a.call('sync.retry', { mutationId: entries[0]!.mutationId })).toEqual({
      requeued: 1,
    })
    await a.desk.sync.run()
    expect((await a.call<SyncStatus>('sync.status')).failed).toBe(1) // still not allowed, still kept
  })

  it('keeps everything while offline, backs off, and comes back with the probe', async () => {
    a.offline = true
    const { caseId } = await create(a, 'Otto Offline')
    const r = await run(a)
    expect(r.online).toBe(false)
    const s = await a.call<SyncStatus>('sync.status')
    expect(s).toMatchObject({ online: false, pending: 1 })
    expect(s.nextAttemptAt).not.toBeNull()
    expect(scalar(a.desk.ctx.db, sql`SELECT attempts FROM outbox WHERE case_id = ${caseId}`)).toBe(
      0,
    ) // the probe failed first; nothing was sent
    a.offline = false
    expect((await run(a)).online).toBe(true)
    expect((await a.call<SyncStatus>('sync.status')).pending).toBe(0)
  })

  it('one submission accepted by both desks becomes one case: the later desk adopts it', async () => {
    await seedSubmissions({ hubUrl: hub.url, hubConfig: hub.config, count: 1, seed: 'adopt' })
    // both desks store the submission before either pushes its registration
    const [ra, rb] = await Promise.all([run(a), run(b)])
    expect(ra.intake.accepted + rb.intake.accepted).toBe(2)
    await run(a)
    await run(b)
    await run(a)
    const online = (d: TestDesk) =>
      all(
        d.desk.ctx.db,
        sql`SELECT id, aktenzeichen, submission_id FROM cases WHERE channel = 'online' AND retired_into IS NULL`,
        shape({ id: 'text', aktenzeichen: 'text', submission_id: 'text?' }),
      )
    const [ca, cb] = [online(a), online(b)]
    expect(ca).toHaveLength(1)
    expect(cb).toEqual(ca)
    const retired = [a, b].map((d) =>
      scalar(d.desk.ctx.db, sql`SELECT count(*) FROM cases WHERE retired_into IS NOT NULL`),
    )
    expect(retired.sort()).toEqual([0, 1])
    const list = await b.call<{ rows: { id: string }[] }>('cases.list', {
      view: 'alle',
      limit: 500,
    })
    expect(list.rows.filter((r) => r.id === ca[0]!.id)).toHaveLength(1)
    expect((await detail(a, ca[0]!.id)).syncState).toBe('synced')
    expect((await detail(b, ca[0]!.id)).syncState).toBe('synced')
  })

  it('a decision on one desk is co-signed by the team lead on the other (four eyes across desks)', async () => {
    const { caseId } = await a.call<{ caseId: string }>('intake.create', {
      // Wohngeld above 500 € a month needs the co-signature of the team lead (procedures.json)
      procedureId: 'wohngeld',
      applicantName: 'Bau Herr',
      applicantAddress: 'Weg 1, 02826 Görlitz',
      channel: 'paper',
    })
    await a.call('casework.take', { id: caseId })
    await a.call('casework.setStatus', { id: caseId, to: 'in_bearbeitung' })
    decide(a.desk.ctx, caseId, {
      outcome: 'stattgegeben',
      fields: { monthlyAmount: 612.5, periodFrom: '2026-12-01', periodTo: '2027-11-30' },
      reasons: 'Die Voraussetzungen nach §§ 3 ff. WoGG liegen vor.',
    })
    await run(a)
    await run(b)
    expect((await detail(b, caseId)).status).toBe('entscheidungsreif')
    expect(decisionOf(b.desk.ctx.db, caseId)).toMatchObject({
      outcome: 'stattgegeben',
      cosignRequired: true,
      decidedBy: 'u-amueller',
    })
    // returned with a note on desk b: the clerk on desk a sees the note
    returnForChanges(b.desk.ctx, caseId, 'Bitte das Einkommen belegen.')
    await run(b)
    await run(a)
    expect(decisionOf(a.desk.ctx.db, caseId)?.returnNote).toBe('Bitte das Einkommen belegen.')
    expect((await detail(a, caseId)).status).toBe('in_bearbeitung')
    decide(a.desk.ctx, caseId, {
      outcome: 'stattgegeben',
      fields: { monthlyAmount: 612.5, periodFrom: '2026-12-01', periodTo: '2027-11-30' },
      reasons: 'Die Voraussetzungen nach §§ 3 ff. WoGG liegen vor; das Einkommen ist belegt.',
    })
    await run(a)
    await run(b)
    expect((await detail(b, caseId)).status).toBe('entscheidungsreif')
    expect(decisionOf(b.desk.ctx.db, caseId)).toMatchObject({ returnNote: null })
    cosign(b.desk.ctx, caseId, 'Geprüft.')
    expect((await run(b)).outbox).toMatchObject({ sent: 1, rejected: 0, conflicts: 0 })
    await run(a)
    for (const d of [a, b])
      expect(await detail(d, caseId)).toMatchObject({ status: 'entschieden', syncState: 'synced' })
    expect(decisionOf(a.desk.ctx.db, caseId)).toMatchObject({
      cosignedBy: 'u-sbaeumer',
      cosignComment: 'Geprüft.',
    })
  })

  it('caps and sniffs hand-entered attachments', async () => {
    const bad = await a.desk.dispatch('intake.create', {
      procedureId: 'wohngeld',
      applicantName: 'X',
      applicantAddress: 'Y',
      channel: 'phone',
      attachments: [
        {
          filename: 'rechnung.pdf',
          mimeType: 'application/pdf',
          base64: Buffer.from('MZ\x90\x00evil').toString('base64'),
        },
      ],
    })
    expect(bad).toMatchObject({
      ok: false,
      error: { code: 'invalid_file', message: expect.stringContaining('kein PDF') },
    })
    const lie = await a.desk.dispatch('intake.create', {
      procedureId: 'wohngeld',
      applicantName: 'X',
      applicantAddress: 'Y',
      channel: 'phone',
      attachments: [
        { filename: 'bild.png', mimeType: 'image/png', base64: PDF.toString('base64') },
      ],
    })
    expect(lie).toMatchObject({ ok: false, error: { code: 'invalid_file' } })
  })
})
