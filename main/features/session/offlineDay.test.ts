// Issue #13, acceptance: two desks, three users. A clerk signs in on desk A, works offline for a
// simulated day (the access token expires meanwhile and the identity provider refuses the refresh),
// comes back online, signs in again — and every change arrives under the clerk's identity: nothing
// lost, nothing twice, nothing attributed to anyone else. The desks sign in for real (OIDC code
// flow with PKCE against the hub's embedded IdP), no minted tokens.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { openDatabaseReadOnly } from '../../../db/open'
import { all, shape, sql } from '../../../db/sql'
import { startHub, type RunningHub } from '../../../hub/server'
import { makeTestDesk, type TestDesk } from '../../../testing/sync/testHarness'

const CLERK = 'u-lkoehler' // Sachbearbeitung Ordnung, Verkehr und Bau
const LEAD = 'u-hjuengling' // Leitung desselben Sachgebiets
const COLLEAGUE = 'u-mfuchs' // Sachbearbeitung, same team, on desk B

let hub: RunningHub
let a: TestDesk
let b: TestDesk

beforeAll(async () => {
  // access tokens live 2 s: the simulated day outlasts them for real, at the hub too
  hub = await startHub({
    dataDir: mkdtempSync(join(tmpdir(), 'offline-day-hub-')),
    accessTokenTtlSeconds: 2,
  })
  const now = new Date().toISOString()
  a = makeTestDesk(hub, { tokens: 'session', now })
  b = makeTestDesk(hub, { tokens: 'session', now })
}, 60_000)
afterAll(async () => {
  await a?.desk.close()
  await b?.desk.close()
  await hub?.close()
  rmSync(hub.dataDir, { recursive: true, force: true })
})

const paperCase = (t: TestDesk, name: string) =>
  t.call<{ caseId: string }>('intake.create', {
    procedureId: 'kfz',
    applicantName: name,
    applicantAddress: 'Am Markt 1, 02826 Görlitz',
    channel: 'paper',
    assignToMe: true,
  })
const sync = (t: TestDesk) => t.call<{ outbox: { sent: number; pending?: number } }>('sync.run')
const pendingOf = (t: TestDesk) => t.desk.sync.status().pending

/** What the hub recorded: every change with who made it and from which desk. */
function hubChanges() {
  const db = openDatabaseReadOnly(join(hub.dataDir, 'hub.sqlite'))
  try {
    return all(
      db,
      sql`SELECT case_id, type, by_user, desk_id, mutation_id, payload FROM office_changes ORDER BY seq`,
      shape({
        case_id: 'text',
        type: 'text',
        by_user: 'text',
        desk_id: 'text',
        mutation_id: 'text',
        payload: 'text',
      }),
    )
  } finally {
    db.close()
  }
}
const notesAtHub = () =>
  hubChanges()
    .filter((c) => c.type === 'case.note')
    .map((c) => ({
      by: c.by_user,
      desk: c.desk_id,
      text: (JSON.parse(c.payload) as { text: string }).text,
    }))

it('a clerk works offline for a day, signs in again, and every change arrives as theirs', async () => {
  // morning: the clerk signs in on desk A (online), the lead and a colleague on desk B
  await a.login(CLERK)
  await b.login(LEAD)
  const { caseId: morning } = await paperCase(a, 'Morgen Antrag')
  await sync(a)
  expect(pendingOf(a)).toBe(0)
  await sync(b)

  // the line goes down on desk A; the clerk keeps working all day
  a.offline = true
  const offlineNotes = [
    'Anruf: Unterlagen folgen',
    'Fahrzeugbrief liegt vor',
    'Zulassung vorbereitet',
  ]
  for (const text of offlineNotes) await a.call('casework.addNote', { id: morning, text })
  await a.call('casework.setFollowUp', { id: morning, date: '2026-12-15' })
  const { caseId: afternoon } = await paperCase(a, 'Nachmittag Antrag')
  await a.call('casework.addNote', { id: afternoon, text: 'Antrag auf Papier eingegangen' })
  expect((await sync(a).catch(() => undefined)) ?? {}).toBeDefined()
  const waiting = pendingOf(a)
  expect(waiting).toBeGreaterThanOrEqual(6)

  // meanwhile on desk B: the lead notes on the clerk's case, a colleague takes a case of her own
  await b.call('casework.addNote', { id: morning, text: 'Leitung: bitte bis Freitag' })
  await sync(b)
  await b.login(COLLEAGUE)
  const { caseId: colleagues } = await paperCase(b, 'Kollegin Antrag')
  await b.call('casework.addNote', { id: colleagues, text: 'Kollegin: Rückfrage gestellt' })
  await sync(b)

  // the day passes: the clerk's access token expires for real, and the identity provider no longer
  // accepts the refresh token (the IdP session ended overnight)
  a.clock.advance(9 * 3600_000)
  await new Promise((r) => setTimeout(r, 2_500))
  a.desk.secrets.set(`session.refresh.${CLERK}`, 'abgelaufen-ungueltig')

  // back online: nothing of the clerk's goes out without the clerk, nothing goes as anyone else
  a.offline = false
  await sync(a)
  expect(await a.call('session.status')).toMatchObject({ reauthNeeded: true })
  expect(pendingOf(a)).toBe(waiting)
  expect(notesAtHub().filter((n) => offlineNotes.includes(n.text))).toEqual([])

  // the clerk signs in again (password, code flow with PKCE) and the day's work arrives
  await a.login(CLERK)
  expect(await a.call('session.status')).toMatchObject({ reauthNeeded: false })
  await sync(a)
  expect(pendingOf(a)).toBe(0)

  const changes = hubChanges()
  // nothing twice
  expect(new Set(changes.map((c) => c.mutation_id)).size).toBe(changes.length)
  // every change desk A sent is the clerk's; desk B's are the lead's and the colleague's
  expect(new Set(changes.filter((c) => c.desk_id === a.deskId).map((c) => c.by_user))).toEqual(
    new Set([CLERK]),
  )
  expect(new Set(changes.filter((c) => c.desk_id === b.deskId).map((c) => c.by_user))).toEqual(
    new Set([LEAD, COLLEAGUE]),
  )
  // nothing lost: each note exactly once, under its author
  const notes = notesAtHub()
  for (const text of [...offlineNotes, 'Antrag auf Papier eingegangen'])
    expect(notes.filter((n) => n.text === text)).toEqual([{ by: CLERK, desk: a.deskId, text }])
  expect(notes.filter((n) => n.text === 'Leitung: bitte bis Freitag')).toEqual([
    { by: LEAD, desk: b.deskId, text: 'Leitung: bitte bis Freitag' },
  ])
  expect(changes.filter((c) => c.case_id === afternoon && c.type === 'case.register')).toEqual([
    expect.objectContaining({ by_user: CLERK, desk_id: a.deskId }),
  ])
  expect(
    changes.some((c) => c.case_id === morning && c.type === 'case.followUp' && c.by_user === CLERK),
  ).toBe(true)

  // and desk B (the lead again) sees the clerk's day in the case history
  await b.login(LEAD)
  await sync(b)
  const history = await b.call<{ history: { text?: string | null; by?: string | null }[] }>(
    'cases.get',
    { id: morning },
  )
  expect(JSON.stringify(history)).toContain('Zulassung vorbereitet')
}, 120_000)
