// Issue #14 point 1, outbox part: a permanently refused mutation is marked on its case with the
// reason, the queue moves on, later mutations of the same case wait and say why, other cases
// proceed, and the user can see and resolve the parked items (sync.outbox, sync.discard, sync.retry).
import { createHash } from 'node:crypto'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openDatabaseReadOnly } from '../../../db/open'
import { all, run as runSql, scalar, shape, sql } from '../../../db/sql'
import type { RunningHub } from '../../../hub/server'
import type { OutboxEntryView, SyncStatus } from '../../../preload/contract/index'
import { makeTestDesk, startTestHub, type TestDesk } from '../../../testing/sync/testHarness'

const PDF = Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n')
const hubs: RunningHub[] = []
const desks: TestDesk[] = []
afterAll(async () => {
  for (const d of desks) await d.desk.close()
  for (const h of hubs) {
    await h.close()
    rmSync(h.dataDir, { recursive: true, force: true })
  }
})
const create = (d: TestDesk, name: string) =>
  d.call<{ caseId: string }>('intake.create', {
    procedureId: 'wohngeld',
    applicantName: name,
    applicantAddress: 'Berliner Str. 5, 02826 Görlitz',
    channel: 'paper',
    assignToMe: true,
    attachments: [
      { filename: 'Antrag.pdf', mimeType: 'application/pdf', base64: PDF.toString('base64') },
    ],
  })
const hubNotes = (hub: RunningHub, text: string) => {
  const db = openDatabaseReadOnly(join(hub.dataDir, 'hub.sqlite'))
  try {
    return Number(scalar(db, sql`SELECT count(*) FROM office_notes WHERE text = ${text}`))
  } finally {
    db.close()
  }
}

describe('a mutation the hub refuses on its own (not the whole batch)', () => {
  it('is marked on its case with the reason; its case’s later entries wait, other cases go on', async () => {
    const hub = await startTestHub()
    hubs.push(hub)
    // one entry per batch: the refused note's successors reach the hub only if nothing holds them
    const t = makeTestDesk(hub, { office: { batchSize: 1 } })
    desks.push(t)
    await t.login('u-sbaeumer')
    const bad = await create(t, 'Bernd Böse')
    const good = await create(t, 'Gudrun Gut')
    expect((await t.desk.sync.retryNow()).error).toBeNull()
    await t.call('casework.addNote', { id: bad.caseId, text: 'wird abgelehnt' })
    await t.call('casework.addNote', { id: bad.caseId, text: 'wartet dahinter' })
    await t.call('casework.addNote', { id: good.caseId, text: 'geht durch' })
    // a kind the hub does not know: refused per item (validation), not as a whole batch
    runSql(
      t.desk.ctx.db,
      sql`UPDATE outbox SET payload = json_set(payload, '$.kind', 'fax') WHERE json_extract(payload, '$.text') = 'wird abgelehnt'`,
    )
    const r = await t.desk.sync.retryNow()
    expect(r.outbox).toMatchObject({ rejected: 1, sent: 1 })
    expect(hubNotes(hub, 'geht durch')).toBe(1) // other cases proceed in the same pass
    expect(hubNotes(hub, 'wartet dahinter')).toBe(0) // per-case order
    // marked on the case: sync state and a Verlauf entry with the hub's reason
    const c = await t.call<{ syncState: string; history: { action: string; detail: string }[] }>(
      'cases.get',
      { id: bad.caseId },
    )
    expect(c.syncState).toBe('rejected')
    const mark = c.history.find((h) => h.action === 'Änderung vom Büro abgelehnt')
    expect(mark?.detail).toMatch(/^Vermerk: /)
    expect(mark?.detail).toMatch(/Synchronisation/)
    // visible: the refused entry with its reason, the waiting one says why
    const { entries } = await t.call<{ entries: OutboxEntryView[] }>('sync.outbox', {})
    const refused = entries.find((e) => e.state === 'rejected')!
    expect(refused.caseId).toBe(bad.caseId)
    expect(refused.problem?.type).toMatch(/validation$/)
    const waiting = entries.find((e) => e.state === 'pending')!
    expect(waiting).toMatchObject({
      caseId: bad.caseId,
      stateLabel: 'Wartet hinter einer abgelehnten Änderung',
    })
    expect(waiting.waitingFor).toMatch(/„Vermerk“/)
    // another pass neither resends nor stalls
    expect((await t.desk.sync.retryNow()).outbox).toMatchObject({ sent: 0, rejected: 0 })
    // resolved by the user: discarding the refused note lets the waiting one go
    await t.call('sync.discard', { mutationId: refused.mutationId })
    await t.desk.sync.retryNow()
    expect(hubNotes(hub, 'wartet dahinter')).toBe(1)
    expect(await t.call<SyncStatus>('sync.status')).toMatchObject({ failed: 0, pending: 0 })
    expect((await t.call<{ syncState: string }>('cases.get', { id: bad.caseId })).syncState).toBe(
      'synced',
    )
  }, 60_000)

  it('sent again after a correction (sync.retry), it goes first and its successors follow in order', async () => {
    const hub = await startTestHub()
    hubs.push(hub)
    const t = makeTestDesk(hub, { office: { batchSize: 1 } })
    desks.push(t)
    await t.login('u-sbaeumer')
    const x = await create(t, 'Rita Retry')
    await t.desk.sync.retryNow()
    await t.call('casework.addNote', { id: x.caseId, text: 'erst' })
    await t.call('casework.addNote', { id: x.caseId, text: 'dann' })
    runSql(
      t.desk.ctx.db,
      sql`UPDATE outbox SET payload = json_set(payload, '$.kind', 'fax') WHERE json_extract(payload, '$.text') = 'erst'`,
    )
    await t.desk.sync.retryNow()
    expect(hubNotes(hub, 'dann')).toBe(0)
    const id = scalar(
      t.desk.ctx.db,
      sql`SELECT mutation_id FROM outbox WHERE state = 'rejected'`,
    ) as string
    // the cause is gone (here: repaired in place), the clerk sends it again
    runSql(
      t.desk.ctx.db,
      sql`UPDATE outbox SET payload = json_set(payload, '$.kind', 'note') WHERE mutation_id = ${id}`,
    )
    await t.call('sync.retry', { mutationId: id })
    await t.desk.sync.retryNow()
    const db = openDatabaseReadOnly(join(hub.dataDir, 'hub.sqlite'))
    try {
      const order = all(
        db,
        sql`SELECT text FROM office_notes WHERE text IN ('erst', 'dann') ORDER BY rowid`,
        shape({ text: 'text' }),
      ).map((r) => r.text)
      expect(order).toEqual(['erst', 'dann'])
    } finally {
      db.close()
    }
  }, 60_000)
})

describe('a document that does not go up', () => {
  it('holds only the entries that need it; the other cases register in the same pass', async () => {
    const hub = await startTestHub()
    hubs.push(hub)
    const stuck = Buffer.from('%PDF-1.7\n% bleibt hängen\n%%EOF\n')
    const stuckSha = createHash('sha256').update(stuck).digest('hex')
    let cut = true
    const t = makeTestDesk(hub, {
      fetch: (input, init) =>
        cut &&
        init?.method === 'PUT' &&
        String(input instanceof Request ? input.url : input).endsWith(
          `/office/v1/blobs/${stuckSha}`,
        )
          ? Promise.reject(new TypeError('fetch failed (cable)'))
          : fetch(input, init),
    })
    desks.push(t)
    await t.login('u-sbaeumer')
    const held = await t.call<{ caseId: string }>('intake.create', {
      procedureId: 'wohngeld',
      applicantName: 'Hanna Hängt',
      applicantAddress: 'Berliner Str. 5, 02826 Görlitz',
      channel: 'paper',
      attachments: [
        { filename: 'Antrag.pdf', mimeType: 'application/pdf', base64: stuck.toString('base64') },
      ],
    })
    const other = await create(t, 'Otto Ohne')
    const r = await t.desk.sync.retryNow()
    expect(r.outbox?.sent).toBeGreaterThanOrEqual(1)
    const registered = (caseId: string) => {
      const db = openDatabaseReadOnly(join(hub.dataDir, 'hub.sqlite'))
      try {
        return Number(scalar(db, sql`SELECT count(*) FROM office_cases WHERE case_id = ${caseId}`))
      } finally {
        db.close()
      }
    }
    expect(registered(other.caseId)).toBe(1)
    expect(registered(held.caseId)).toBe(0)
    expect(t.desk.sync.status().pending).toBeGreaterThan(0)
    cut = false
    await t.desk.sync.retryNow()
    expect(registered(held.caseId)).toBe(1)
    expect(t.desk.sync.status()).toMatchObject({ pending: 0, failed: 0 })
  }, 60_000)
})
