// A user whose office sign-in lapsed: their changes wait (never dropped, never sent as someone
// else), other users' changes and intake go on, and after signing in again everything arrives
// under the right name (docs/hub-protocol.md, "Mutations", Order).
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { all, shape, sql } from '../../../db/sql'
import { openDatabaseReadOnly } from '../../../db/open'
import type { RunningHub } from '../../../hub/server'
import { seedSubmissions } from '../../../hub/seed/seed'
import type { SyncRunResult } from '../../../preload/contract/index'
import { makeTestDesk, startTestHub, type TestDesk } from '../../../testing/sync/testHarness'
import { SIGN_IN_NEEDED } from './outbox'

let hub: RunningHub
let t: TestDesk
beforeAll(async () => {
  hub = await startTestHub()
  t = makeTestDesk(hub)
}, 60_000)
afterAll(async () => {
  await t?.desk.close()
  await hub?.close()
  rmSync(hub.dataDir, { recursive: true, force: true })
})

const create = (name: string, procedureId: string) =>
  t.call<{ caseId: string }>('intake.create', {
    procedureId,
    applicantName: name,
    applicantAddress: 'Am Markt 1, 02826 Görlitz',
    channel: 'paper',
  })
const outboxOf = (actor: string) =>
  all(
    t.desk.ctx.db,
    sql`SELECT state, last_error FROM outbox WHERE actor = ${actor} ORDER BY seq`,
    shape({ state: 'text', last_error: 'text?' }),
  )
const hubRegisteredBy = () => {
  const db = openDatabaseReadOnly(join(hub.dataDir, 'hub.sqlite'))
  try {
    return all(
      db,
      sql`SELECT subject, registered_by FROM office_cases ORDER BY subject`,
      shape({ subject: 'text', registered_by: 'text' }),
    )
  } finally {
    db.close()
  }
}

it('waits for the user whose token is gone or refused; others and intake go on; then all arrive under their names', async () => {
  await t.login('u-amueller')
  const mine = await create('Anna Antrag', 'wohngeld')
  await t.login('u-lkoehler')
  await create('Lukas Antrag', 'kfz')

  // Anna has no token at all (signed out): her registration waits, Lukas' goes
  t.signedOut.add('u-amueller')
  let r = await t.call<SyncRunResult>('sync.run')
  expect(r.outbox).toMatchObject({ sent: 1, rejected: 0 })
  expect(outboxOf('u-amueller').map((e) => e.state)).toEqual(['pending'])
  expect(outboxOf('u-lkoehler').map((e) => e.state)).toEqual(['sent'])

  // a simulated day later: every token the desk holds has expired at the hub; a submission arrives
  t.signedOut.clear()
  t.tokenTime = () => Date.now() - 24 * 3600_000
  await t.login('u-amueller')
  await t.call('casework.take', { id: mine.caseId })
  await seedSubmissions({ hubUrl: hub.url, hubConfig: hub.config, count: 1, seed: 'sign-in' })
  r = await t.call<SyncRunResult>('sync.run')
  expect(r.intake.accepted).toBe(1)
  expect(r.outbox).toMatchObject({ sent: 1, rejected: 0 }) // intake's registration, as system
  const waiting = outboxOf('u-amueller')
  expect(waiting.map((e) => e.state)).toEqual(['pending', 'pending'])
  expect(waiting.every((e) => e.last_error === SIGN_IN_NEEDED)).toBe(true)
  expect(t.desk.sync.status().failed).toBe(0)
  expect(r.failures?.changes).toBeUndefined() // the feed waits for the sign-in, it did not fail

  // signed in again: both go, under Anna's name, nothing twice
  t.tokenTime = undefined
  r = await t.call<SyncRunResult>('sync.run')
  expect(r.outbox).toMatchObject({ sent: 2, rejected: 0, conflicts: 0 })
  expect(outboxOf('u-amueller').map((e) => e.state)).toEqual(['sent', 'sent'])
  const registered = hubRegisteredBy()
  expect(registered.filter((c) => c.subject.includes('Anna Antrag'))).toEqual([
    expect.objectContaining({ registered_by: 'u-amueller' }),
  ])
  expect(registered.filter((c) => c.subject.includes('Lukas Antrag'))).toEqual([
    expect.objectContaining({ registered_by: 'u-lkoehler' }),
  ])
  expect(registered.filter((c) => c.registered_by === 'system')).toHaveLength(1)
}, 60_000)

it('a registration that overtakes its accept SET waits for the next pass instead of spinning', async () => {
  const seeded = await seedSubmissions({
    hubUrl: hub.url,
    hubConfig: hub.config,
    count: 1,
    seed: 'overtake',
  })
  let blockAccept = true
  const d = makeTestDesk(hub, {
    office: {},
    fetch: (input, init) =>
      blockAccept &&
      init?.method === 'POST' &&
      (input instanceof Request ? input.url : input.toString()).includes('/events')
        ? Promise.reject(new TypeError('fetch failed (accept lost)'))
        : fetch(input, init),
  })
  try {
    const first = await d.call<SyncRunResult>('sync.run')
    expect(first.outbox).toMatchObject({ sent: 0, rejected: 0 })
    expect(await hub.submissionState(seeded.submissions[0]!.submissionId)).toBe('submitted')
    const entry = all(
      d.desk.ctx.db,
      sql`SELECT state, attempts, last_error FROM outbox WHERE type = 'case.register'`,
      shape({ state: 'text', attempts: 'int', last_error: 'text?' }),
    )
    expect(entry).toEqual([expect.objectContaining({ state: 'pending', attempts: 1 })])
    blockAccept = false
    const second = await d.call<SyncRunResult>('sync.run')
    expect(second.outbox).toMatchObject({ sent: 1, rejected: 0 })
    expect(await hub.submissionState(seeded.submissions[0]!.submissionId)).toBe('accepted')
  } finally {
    await d.desk.close()
  }
}, 60_000)
