// Issue #13 point 5: the desk API refuses what the UI only hides. One test per forgery from the
// issue, the legitimate flow of each role, Vertretung within and outside its dates, and a check
// that every mutation touching a case carries a rights declaration the dispatcher enforces.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { getCase, insertCase } from '../../db/repositories/cases'
import { decisionOf } from '../../db/repositories/decisions'
import {
  enqueueMutation,
  markMutationFailed,
  OUTBOX_STATES,
  outboxEntries,
} from '../../db/repositories/outbox'
import { setSetting } from '../../db/repositories/settings'
import { contract, type Method } from '../../preload/contract/index'
import { manualClock } from '../core/clock'
import { createDesk } from '../desk'
import { saveOfficeDirectory } from '../features/sync/directoryCache'
import { archiveHandlers } from '../features/archive/handler'
import { caseworkHandlers } from '../features/casework/handler'
import { decisionsHandlers } from '../features/decisions/handler'
import { noticesHandlers } from '../features/notices/handler'
import { recordsHandlers } from '../features/records/handler'
import { syncHandlers } from '../features/sync/handler'
import { teamHandlers } from '../features/team/handler'
import type { SyncEngine } from '../features/sync/engine'

const clock = manualClock('2026-11-26T09:00:00Z') // Thursday
const desk = createDesk({
  dataDir: mkdtempSync(join(tmpdir(), 'rights-')),
  mode: 'browser',
  clock,
})
afterAll(() => desk.close())
const db = desk.ctx.db
/** the signed-in user of this desk (what session.login leaves behind) */
const as = (userId: string) => setSetting(db, 'user', userId)
const dispatch = (m: string, input: unknown) => desk.dispatch(m, input)
const call = async <T = unknown>(m: string, input: unknown): Promise<T> => {
  const r = await desk.dispatch(m, input)
  if (!r.ok) throw new Error(`${m}: ${r.error.code} ${r.error.message}`)
  return r.value as T
}
const refused = (message: RegExp) => ({ ok: false, error: { code: 'forbidden', message } })

let n = 0
/** a case of the procedure, assigned as given, in Bearbeitung */
function addCase(procedureId: string, assignee: string | null, status = 'in_bearbeitung') {
  const id = `rights-${++n}`
  insertCase(db, {
    id,
    aktenzeichen: `${procedureId === 'wohngeld' ? '632.1' : '621.4'}-2026-${String(n).padStart(6, '0')}`,
    procedureId,
    subject: 'Test',
    applicantName: 'Käthe Müßig',
    applicantAddress: 'Straßburger Straße 4, 02826 Görlitz',
    status: status as 'in_bearbeitung',
    assignee,
    receivedAt: '2026-11-02T08:00:00Z',
    deadline: '2026-12-02',
    channel: 'online',
    formData: {},
    updatedAt: '2026-11-02T08:00:00Z',
  })
  return id
}
const wohngeldDecision = (id: string, monthlyAmount = 312.5) => ({
  id,
  outcome: 'stattgegeben',
  fields: { monthlyAmount, periodFrom: '2026-12-01', periodTo: '2027-11-30' },
  reasons: 'Die Voraussetzungen nach §§ 3 ff. WoGG liegen vor.',
})
const bauDecision = (id: string) => ({
  id,
  outcome: 'stattgegeben',
  fields: {
    project: 'Carport',
    siteAddress: 'Weg 1, 02826 Görlitz',
    parcel: 'Gemarkung Görlitz, Flurstück 12/3',
    conditions: ['Baubeginn ist zwei Wochen vorher anzuzeigen.'],
    fee: 1250,
  },
  reasons:
    'Das Vorhaben ist nach § 34 BauGB zulässig; öffentlich-rechtliche Vorschriften stehen nicht entgegen.',
})
const outboxCount = () => outboxEntries(db, OUTBOX_STATES, 100_000).length

describe('forgeries from the issue: a clerk on a colleague’s case (403, nothing recorded)', () => {
  // Anna Müller's case; Jörg Weiß (same team, no Vertretung) tries everything the UI hides
  const colleague = () => {
    const id = addCase('wohngeld', 'u-amueller')
    as('u-jweiss')
    return id
  }
  const byName = /Anna Müller zugewiesen/

  it('decide', async () => {
    const id = colleague()
    const before = outboxCount()
    expect(await dispatch('decisions.decide', wohngeldDecision(id))).toMatchObject(refused(byName))
    expect(decisionOf(db, id)).toBeUndefined()
    expect(outboxCount()).toBe(before)
  })

  it('issue the notice', async () => {
    const id = colleague()
    as('u-amueller')
    await call('decisions.decide', wohngeldDecision(id))
    expect(getCase(db, id)!.status).toBe('entschieden')
    as('u-jweiss')
    expect(
      await dispatch('notices.issue', { id, certificate: 'seal', password: 'demo' }),
    ).toMatchObject(refused(byName))
    expect(getCase(db, id)!.status).toBe('entschieden')
  })

  it('set the status', async () => {
    const id = colleague()
    expect(await dispatch('casework.setStatus', { id, to: 'entscheidungsreif' })).toMatchObject(
      refused(byName),
    )
    expect(getCase(db, id)!.status).toBe('in_bearbeitung')
  })

  it('add a note', async () => {
    const id = colleague()
    const before = outboxCount()
    expect(await dispatch('casework.addNote', { id, text: 'Ich war hier.' })).toMatchObject(
      refused(byName),
    )
    expect(outboxCount()).toBe(before)
  })

  it('request documents', async () => {
    const id = colleague()
    expect(
      await dispatch('casework.requestDocuments', {
        id,
        items: ['Mietbescheinigung'],
        deadline: '2026-12-10',
      }),
    ).toMatchObject(refused(byName))
    expect(getCase(db, id)!.status).toBe('in_bearbeitung')
  })

  it('Wiedervorlage, return, take over, mark posted', async () => {
    const id = colleague()
    expect(await dispatch('casework.setFollowUp', { id, date: '2026-12-01' })).toMatchObject(
      refused(byName),
    )
    expect(await dispatch('casework.release', { id })).toMatchObject(refused(byName))
    expect(await dispatch('casework.take', { id })).toMatchObject(refused(byName))
    expect(await dispatch('notices.markPosted', { id })).toMatchObject(refused(byName))
    expect(getCase(db, id)!.assignee).toBe('u-amueller')
  })

  it('a case of the other team, even when it is assigned to the clerk', async () => {
    const id = addCase('baugenehmigung', 'u-jweiss')
    as('u-jweiss')
    expect(await dispatch('casework.addNote', { id, text: 'x' })).toMatchObject(
      refused(/gehört zu „Sachgebiet Ordnung, Verkehr und Bau“/),
    )
  })
})

describe('four eyes by identity', () => {
  it('a clerk cannot co-sign their own decision (nor any other)', async () => {
    const id = addCase('wohngeld', 'u-amueller')
    as('u-amueller')
    await call('decisions.decide', wohngeldDecision(id, 612.5))
    expect(getCase(db, id)!.status).toBe('entscheidungsreif')
    expect(await dispatch('decisions.cosign', { id })).toMatchObject(
      refused(/nur die Sachgebietsleitung/),
    )
    expect(await dispatch('decisions.returnForChanges', { id, note: 'passt' })).toMatchObject(
      refused(/nur die Sachgebietsleitung/),
    )
    expect(decisionOf(db, id)).toMatchObject({ cosignedBy: null, decidedBy: 'u-amueller' })
  })

  it('who decided as a clerk and then holds a lead session cannot co-sign it; the team lead can', async () => {
    const id = addCase('wohngeld', 'u-amueller')
    as('u-amueller')
    await call('decisions.decide', wohngeldDecision(id, 612.5))
    // Anna Müller becomes a lead of her team (the office directory changes); same person
    const dir = desk.ctx.directory()
    saveOfficeDirectory(db, {
      office: dir.office,
      teams: dir.teams,
      users: dir.users.map((u) => ({
        userId: u.userId,
        name: u.name,
        teamId: u.teamId,
        role: u.userId === 'u-amueller' ? 'lead' : (u.role as 'clerk' | 'lead' | 'records'),
      })),
      procedures: [],
      filePlan: [],
    })
    try {
      as('u-amueller')
      expect(desk.ctx.currentUser().role).toBe('lead')
      expect(await call<{ canCosign: boolean }>('decisions.get', { id })).toMatchObject({
        canCosign: false,
      })
      expect(await dispatch('decisions.cosign', { id })).toMatchObject(refused(/Vier-Augen/))
      // the lead of the other team is no co-signer for a Wohngeld case either
      as('u-hjuengling')
      expect(await dispatch('decisions.cosign', { id })).toMatchObject(
        refused(/Sachgebiet Soziales/),
      )
      as('u-sbaeumer')
      await call('decisions.cosign', { id, comment: 'Geprüft.' })
      expect(decisionOf(db, id)).toMatchObject({
        decidedBy: 'u-amueller',
        cosignedBy: 'u-sbaeumer',
      })
    } finally {
      saveOfficeDirectory(db, { ...desk.ctx.directory(), users: [], procedures: [], filePlan: [] })
    }
  })

  it('the co-signature requirement comes from the procedure rules, not from the caller', async () => {
    const id = addCase('baugenehmigung', 'u-lkoehler')
    as('u-lkoehler')
    // cosignRequired is no field of the input: a forged flag is refused outright
    expect(
      await dispatch('decisions.decide', { ...bauDecision(id), cosignRequired: false }),
    ).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
    await call('decisions.decide', {
      ...bauDecision(id),
      hearing: { done: true, date: '2026-11-10' },
    })
    expect(decisionOf(db, id)).toMatchObject({ cosignRequired: true })
    expect(
      await dispatch('notices.issue', { id, certificate: 'seal', password: 'demo' }),
    ).toMatchObject({ ok: false, error: { message: expect.stringContaining('Mitzeichnung') } })
  })
})

describe('records management may only close, reopen and archive', () => {
  it('refuses casework, decisions and co-signing to the Registratur', async () => {
    const id = addCase('baugenehmigung', 'u-lkoehler')
    as('u-rvoelkel')
    const notHers = refused(/Registratur verfügt zdA/)
    expect(await dispatch('casework.addNote', { id, text: 'x' })).toMatchObject(notHers)
    expect(await dispatch('casework.take', { id })).toMatchObject(notHers)
    expect(await dispatch('casework.setStatus', { id, to: 'entscheidungsreif' })).toMatchObject(
      notHers,
    )
    expect(await dispatch('decisions.decide', bauDecision(id))).toMatchObject(notHers)
    expect(await dispatch('decisions.cosign', { id })).toMatchObject(notHers)
    expect(await dispatch('team.assign', { ids: [id], assignee: 'u-mfuchs' })).toMatchObject(
      notHers,
    )
  })

  it('refuses zdA, reopening and Aussonderung to everyone else', async () => {
    const id = addCase('wohngeld', 'u-jweiss', 'versandt')
    for (const who of ['u-jweiss', 'u-sbaeumer']) {
      as(who)
      expect(await dispatch('records.close', { id })).toMatchObject(refused(/nur die Registratur/))
      expect(await dispatch('archive.export', { ids: [id] })).toMatchObject(
        refused(/nur die Registratur/),
      )
      expect(await dispatch('archive.importReceipt', { xml: '<nicht-xdomea/>' })).toMatchObject(
        refused(/nur die Registratur/),
      )
    }
    expect(getCase(db, id)!.status).toBe('versandt')
    as('u-rvoelkel')
    await call('records.close', { id })
    expect(getCase(db, id)!.status).toBe('abgeschlossen')
    as('u-sbaeumer')
    expect(await dispatch('records.reopen', { id, reason: 'Widerspruch' })).toMatchObject(
      refused(/nur die Registratur/),
    )
    as('u-rvoelkel')
    await call('records.reopen', { id, reason: 'Widerspruch eingegangen' })
    expect(getCase(db, id)!.status).not.toBe('abgeschlossen')
  })
})

describe('the legitimate flow of each role', () => {
  it('clerk: takes an unassigned case of the team, works on it, decides, signs and sends', async () => {
    const id = addCase('wohngeld', null, 'eingegangen')
    as('u-jweiss')
    await call('casework.take', { id })
    await call('casework.setStatus', { id, to: 'in_bearbeitung' })
    await call('casework.addNote', { id, text: 'Mietbescheinigung liegt vor.' })
    await call('casework.setFollowUp', { id, date: '2026-12-01' })
    await call('decisions.decide', wohngeldDecision(id))
    await call('notices.issue', { id, certificate: 'seal', password: 'demo' })
    expect(getCase(db, id)).toMatchObject({ status: 'versandt', assignee: 'u-jweiss' })
    const mine = outboxEntries(db, OUTBOX_STATES, 100_000).filter((e) => e.caseId === id)
    expect(new Set(mine.map((e) => e.actor))).toEqual(new Set(['u-jweiss']))
  })

  it('lead: assigns within the team, works on a clerk’s case, co-signs the clerk’s Baugenehmigung', async () => {
    const id = addCase('baugenehmigung', null)
    as('u-hjuengling')
    await call('team.assign', { ids: [id], assignee: 'u-lkoehler' })
    expect(getCase(db, id)!.assignee).toBe('u-lkoehler')
    await call('casework.addNote', { id, text: 'Bitte vorrangig.' })
    as('u-lkoehler')
    await call('decisions.decide', {
      ...bauDecision(id),
      hearing: { done: true, date: '2026-11-10' },
    })
    expect(getCase(db, id)!.status).toBe('entscheidungsreif')
    as('u-hjuengling')
    await call('decisions.cosign', { id })
    expect(decisionOf(db, id)).toMatchObject({
      decidedBy: 'u-lkoehler',
      cosignedBy: 'u-hjuengling',
    })
  })

  it('lead: a bulk assignment is checked case by case and refused as a whole, naming each case', async () => {
    const ours = addCase('wohngeld', null)
    const theirs = addCase('baugenehmigung', null)
    as('u-sbaeumer')
    const r = await dispatch('team.assign', { ids: [ours, theirs], assignee: 'u-amueller' })
    expect(r).toMatchObject(refused(/1 von 2 Vorgängen.*621\.4-2026-\d+: .*Sachgebiet Ordnung/))
    expect(getCase(db, ours)!.assignee).toBeNull()
    expect(await dispatch('team.assign', { ids: [ours], assignee: 'u-lkoehler' })).toMatchObject(
      refused(/Lukas Köhler gehört nicht/),
    )
    await call('team.assign', { ids: [ours], assignee: 'u-amueller' })
    expect(getCase(db, ours)!.assignee).toBe('u-amueller')
  })
})

describe('Vertretung with its dates', () => {
  it('the substitute works on the absent colleague’s cases from the first to the last day only', async () => {
    const id = addCase('wohngeld', 'u-amueller')
    // Jörg Weiß may not enter his own Vertretung for Anna Müller
    as('u-jweiss')
    expect(
      await dispatch('team.setAbsence', {
        userId: 'u-amueller',
        substituteId: 'u-jweiss',
        from: '2026-11-27',
        until: '2026-11-30',
      }),
    ).toMatchObject(refused(/Sachgebietsleitung oder die abwesende Person/))
    as('u-sbaeumer')
    const { id: absenceId } = await call<{ id: string }>('team.setAbsence', {
      userId: 'u-amueller',
      substituteId: 'u-jweiss',
      from: '2026-11-27',
      until: '2026-11-30',
    })
    as('u-jweiss')
    clock.set('2026-11-26T15:00:00Z') // the day before
    expect(await dispatch('casework.addNote', { id, text: 'zu früh' })).toMatchObject(
      refused(/Anna Müller zugewiesen/),
    )
    clock.set('2026-11-27T07:00:00Z') // first day, 08:00 in Berlin
    await call('casework.addNote', { id, text: 'in Vertretung' })
    clock.set('2026-11-30T22:30:00Z') // 23:30 in Berlin: still the last day
    await call('casework.addNote', { id, text: 'letzter Tag' })
    clock.set('2026-11-30T23:30:00Z') // 00:30 on 1 December in Berlin: over
    expect(await dispatch('casework.addNote', { id, text: 'zu spät' })).toMatchObject(
      refused(/Anna Müller zugewiesen/),
    )
    // ended early by the lead: over at once
    clock.set('2026-11-28T09:00:00Z')
    await call('casework.addNote', { id, text: 'noch da' })
    as('u-sbaeumer')
    await call('team.endAbsence', { id: absenceId })
    as('u-jweiss')
    expect(await dispatch('casework.addNote', { id, text: 'nach dem Ende' })).toMatchObject(
      refused(/Anna Müller zugewiesen/),
    )
    clock.set('2026-11-26T09:00:00Z')
  })
})

describe('settling an outbox entry', () => {
  it('only its author or who may work on the case discards a refused change', async () => {
    const id = addCase('wohngeld', 'u-amueller')
    const mutationId = `m-${id}`
    enqueueMutation(db, {
      mutationId,
      type: 'case.note',
      caseId: id,
      baseVersion: 0,
      at: '2026-11-26T09:00:00Z',
      actor: 'u-amueller',
      payload: { noteId: 'n1', kind: 'note', text: 'x' },
    })
    markMutationFailed(db, mutationId, 'rejected', 'zu groß', '{}')
    as('u-jweiss')
    expect(await dispatch('sync.discard', { mutationId })).toMatchObject(
      refused(/Anna Müller zugewiesen/),
    )
    as('u-amueller')
    expect(await call('sync.discard', { mutationId })).toEqual({ discarded: 1 })
  })
})

describe('every mutation that touches a case declares its rights', () => {
  const guarded = (handlers: Record<string, unknown>, ns: string) =>
    Object.entries(handlers)
      .filter(([, h]) => typeof h !== 'function')
      .map(([leaf]) => `${ns}.${leaf}`)
  // mutations that change no existing case (or check their rights themselves, named here)
  const caseless = new Set<Method>([
    // the session itself: who signs in, locks, unlocks (main/features/session)
    'session.login',
    'session.beginLogin',
    'session.completeLogin',
    'session.lock',
    'session.unlock',
    'session.logout',
    'session.touch',
    'session.setIdleLock',
    'session.setUnlockPassword',
    'intake.create', // a new case; „Ich bearbeite“ is honoured only within the own team
    'intake.retry', // marks a parked submission for the next pass; changes no case (read-only refused)
    'notices.forgetPassword', // the user's own remembered password
    'team.setAbsence', // a lead of the person's team or the person (absenceRefusal)
    'team.endAbsence', // the same
    'sync.run',
    'sync.retry', // sends again what its author recorded; changes no case
    'views.save',
    'views.delete',
    'views.setColumns',
  ])

  it('the dispatcher gate has a declaration for each of them', () => {
    const declared = new Set([
      ...guarded(caseworkHandlers, 'casework'),
      ...guarded(decisionsHandlers, 'decisions'),
      ...guarded(noticesHandlers, 'notices'),
      ...guarded(recordsHandlers, 'records'),
      ...guarded(archiveHandlers, 'archive'),
      ...guarded(teamHandlers, 'team'),
      ...guarded(syncHandlers({} as SyncEngine), 'sync'),
    ])
    const mutations = (Object.keys(contract) as Method[]).filter(
      (m) => contract[m].kind === 'mutation',
    )
    const undeclared = mutations.filter((m) => !declared.has(m) && !caseless.has(m))
    expect(undeclared).toEqual([])
    // and nothing is listed as case-less that has a declaration
    expect([...caseless].filter((m) => declared.has(m))).toEqual([])
  })
})
