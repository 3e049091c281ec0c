import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { getCase, insertCase } from '../../../db/repositories/cases'
import { historyOf, verifyHistoryChain } from '../../../db/repositories/history'
import { notesOf } from '../../../db/repositories/notes'
import { outboxEntries } from '../../../db/repositories/outbox'
import { setSetting } from '../../../db/repositories/settings'
import { createDesk } from '../../desk'
import { manualClock } from '../../core/clock'

describe('case actions', () => {
  let n = 0
  const desk = createDesk({
    dataDir: mkdtempSync(join(tmpdir(), 'actions-')),
    mode: 'browser',
    clock: manualClock('2026-11-27T09:00:00Z'),
    newId: () => `id-${++n}`,
  })
  afterAll(() => desk.close())
  // each test works on its own case, so the order of the tests does not matter
  let serial = 0
  const addCase = (extra: { assignee?: string; status?: 'in_bearbeitung' } = {}) => {
    const id = `c${++serial}`
    insertCase(desk.ctx.db, {
      id,
      aktenzeichen: `632.1-2026-00000${serial}`,
      procedureId: 'wohngeld',
      subject: 'Wohngeld – Käthe Müller',
      applicantName: 'Käthe Müller',
      applicantAddress: 'Straßburger Straße 4, 02826 Görlitz',
      receivedAt: '2026-11-20T08:00:00Z',
      deadline: '2026-12-21',
      channel: 'online',
      formData: {
        antragsteller: {
          vorname: 'Käthe',
          nachname: 'Müller',
          strasse: 'Straßburger Straße',
          hausnummer: '4',
          plz: '02826',
          ort: 'Görlitz',
        },
      },
      updatedAt: '2026-11-20T08:00:00Z',
      ...extra,
    })
    return id
  }
  const call = (m: string, input: unknown) => desk.dispatch(m, input)

  it('take → note → follow-up each write state, history and one outbox mutation in one go', async () => {
    const c1 = addCase()
    expect(await call('casework.take', { id: c1 })).toMatchObject({ ok: true })
    const note = await call('casework.addNote', {
      id: c1,
      text: 'Mietbescheinigung fehlt <script>alert(1)</script>',
    })
    expect(note).toMatchObject({ ok: true })
    // the id of the new note comes back (the screen focuses it)
    const noteId = note.ok ? (note.value as { noteId: string }).noteId : ''
    expect(notesOf(desk.ctx.db, c1).map((n) => n.id)).toEqual([noteId])
    expect(await call('casework.setFollowUp', { id: c1, date: '2026-12-01' })).toMatchObject({
      ok: true,
    })
    const c = getCase(desk.ctx.db, c1)!
    expect(c).toMatchObject({ assignee: 'u-jweiss', followUp: '2026-12-01', syncState: 'pending' })
    const out = outboxEntries(desk.ctx.db, ['pending']).filter((o) => o.caseId === c1)
    expect(out.map((o) => o.type)).toEqual(['case.assign', 'case.note', 'case.followUp'])
    expect(out.every((o) => o.actor === 'u-jweiss' && o.baseVersion === 0)).toBe(true)
    expect(historyOf(desk.ctx.db, c1).map((h) => h.action)).toEqual([
      'Übernommen',
      'Vermerk angelegt',
      'Wiedervorlage zum 01.12.2026',
    ])
    expect(verifyHistoryChain(desk.ctx.db).ok).toBe(true)
  })

  it('allows only the procedure state machine and explains refusals', async () => {
    const c1 = addCase({ assignee: 'u-jweiss' })
    expect(await call('casework.setStatus', { id: c1, to: 'versandt' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_transition', message: expect.stringContaining('Bescheid') },
    })
    expect(await call('casework.setStatus', { id: c1, to: 'in_bearbeitung' })).toMatchObject({
      ok: true,
    })
    expect(getCase(desk.ctx.db, c1)!.status).toBe('in_bearbeitung')
  })

  it('a colleague may not take a case assigned to someone else', async () => {
    const c1 = addCase({ assignee: 'u-jweiss' })
    setSetting(desk.ctx.db, 'user', 'u-amueller')
    expect(await call('casework.take', { id: c1 })).toMatchObject({
      ok: false,
      error: { code: 'forbidden', message: expect.stringContaining('Jörg Weiß') },
    })
    setSetting(desk.ctx.db, 'user', 'u-jweiss')
  })

  it('a Nachforderung files the letter, waits and sets the follow-up to its deadline', async () => {
    const c1 = addCase({ assignee: 'u-jweiss', status: 'in_bearbeitung' })
    const res = await call('casework.requestDocuments', {
      id: c1,
      items: ['Mietbescheinigung'],
      deadline: '2026-12-11',
    })
    expect(res).toMatchObject({ ok: true })
    const detail = await call('cases.get', { id: c1 })
    if (!detail.ok) throw new Error('cases.get failed')
    const d = detail.value as {
      status: string
      followUp: string
      documents: { kind: string; mimeType: string; sha256: string }[]
    }
    expect(d.status).toBe('nachforderung')
    expect(d.followUp).toBe('2026-12-11')
    const letter = d.documents.find((x) => x.kind === 'nachforderung')!
    expect(letter.mimeType).toBe('application/pdf')
    expect(desk.ctx.blobs.get(letter.sha256).subarray(0, 5).toString()).toBe('%PDF-')
  })
})
