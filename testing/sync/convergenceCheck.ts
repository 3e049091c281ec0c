import { seededRandom } from '../../hub/seed/prng'
// Property test body shared by `npm test` (few runs) and `npm run test:faults` (many): random
// interleavings of clerk actions on two desks, network drops and hub restarts; afterwards the
// desks and the hub agree and every action took effect exactly once. Tests only.
import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import fc from 'fast-check'
import { openDatabaseReadOnly } from '../../db/open'
import { casesWithOpenConflicts } from '../../db/repositories/conflicts'
import { countPendingMutations } from '../../db/repositories/outbox'
import { all, scalar, shape, sql } from '../../db/sql'
import { startHub, type RunningHub } from '../../hub/server'
import type { ConflictView, SyncRunResult } from '../../preload/contract/index'
import { makeTestDesk, type TestDesk } from './testHarness'

// The hub enforces per-case rights (docs/hub-protocol.md, "Rights"); the scenario's kfz cases belong
// to team-ordnung, whose lead may do every action generated here on any of them. Clerks would have
// actions the desk accepts and the hub refuses until the desk API enforces the same rules.
const USERS = ['u-hjuengling']
const STATUSES = ['in_bearbeitung', 'entscheidungsreif', 'eingegangen'] as const

export type Action =
  | { k: 'create'; d: number }
  | { k: 'take' | 'release'; d: number; c: number }
  | { k: 'note'; d: number; c: number }
  | { k: 'followUp'; d: number; c: number; day: number | null }
  | { k: 'status'; d: number; c: number; s: number }
  | { k: 'user'; d: number; u: number }
  | { k: 'sync'; d: number }
  | { k: 'syncBoth' }
  | { k: 'net'; d: number; rate: number }
  | { k: 'hubFaults'; on: boolean }
  | { k: 'restartHub' }

const desk = fc.integer({ min: 0, max: 1 })
const cs = fc.nat(50)
export const actionArb: fc.Arbitrary<Action> = fc.oneof(
  { arbitrary: fc.record({ k: fc.constant('create' as const), d: desk }), weight: 3 },
  {
    arbitrary: fc.record({
      k: fc.constantFrom('take' as const, 'release' as const),
      d: desk,
      c: cs,
    }),
    weight: 3,
  },
  { arbitrary: fc.record({ k: fc.constant('note' as const), d: desk, c: cs }), weight: 3 },
  {
    arbitrary: fc.record({
      k: fc.constant('followUp' as const),
      d: desk,
      c: cs,
      day: fc.option(fc.integer({ min: 1, max: 28 }), { nil: null }),
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      k: fc.constant('status' as const),
      d: desk,
      c: cs,
      s: fc.nat(STATUSES.length - 1),
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({ k: fc.constant('user' as const), d: desk, u: fc.nat(USERS.length - 1) }),
    weight: 1,
  },
  { arbitrary: fc.record({ k: fc.constant('sync' as const), d: desk }), weight: 3 },
  { arbitrary: fc.record({ k: fc.constant('syncBoth' as const) }), weight: 2 },
  {
    arbitrary: fc.record({
      k: fc.constant('net' as const),
      d: desk,
      rate: fc.constantFrom(0, 0, 0.3, 1),
    }),
    weight: 2,
  },
  { arbitrary: fc.record({ k: fc.constant('hubFaults' as const), on: fc.boolean() }), weight: 1 },
  { arbitrary: fc.record({ k: fc.constant('restartHub' as const) }), weight: 1 },
)

interface CaseState {
  aktenzeichen: string
  status: string
  assignee: string | null
  followUp: string | null
  version: number
  notes: string[]
}

const caseRow = shape({
  id: 'text',
  aktenzeichen: 'text',
  status: 'text',
  assignee: 'text?',
  follow_up: 'text?',
  version: 'int',
})
const textRow = shape({ text: 'text' })

function deskState(t: TestDesk): Map<string, CaseState> {
  const db = t.desk.ctx.db
  const out = new Map<string, CaseState>()
  for (const c of all(
    db,
    sql`SELECT id, aktenzeichen, status, assignee, follow_up, version FROM cases WHERE retired_into IS NULL`,
    caseRow,
  )) {
    const notes = all(
      db,
      sql`SELECT text FROM notes WHERE case_id = ${c.id} ORDER BY text`,
      textRow,
    ).map((n) => n.text)
    out.set(c.id, {
      aktenzeichen: c.aktenzeichen,
      status: c.status,
      assignee: c.assignee,
      followUp: c.follow_up,
      version: c.version,
      notes,
    })
  }
  return out
}

function hubState(dataDir: string): { cases: Map<string, CaseState>; mutationIds: Set<string> } {
  const db = openDatabaseReadOnly(join(dataDir, 'hub.sqlite'))
  try {
    const cases = new Map<string, CaseState>()
    const officeCase = shape({
      case_id: 'text',
      aktenzeichen: 'text',
      status: 'text',
      assignee: 'text?',
      follow_up: 'text?',
      version: 'int',
    })
    for (const c of all(
      db,
      sql`SELECT case_id, aktenzeichen, status, assignee, follow_up, version FROM office_cases`,
      officeCase,
    )) {
      const notes = all(
        db,
        sql`SELECT text FROM office_notes WHERE case_id = ${c.case_id} ORDER BY text`,
        textRow,
      ).map((n) => n.text)
      cases.set(c.case_id, {
        aktenzeichen: c.aktenzeichen,
        status: c.status,
        assignee: c.assignee,
        followUp: c.follow_up,
        version: c.version,
        notes,
      })
    }
    const mutationIds = new Set(
      all(db, sql`SELECT mutation_id FROM office_mutations`, shape({ mutation_id: 'text' })).map(
        (r) => r.mutation_id,
      ),
    )
    return { cases, mutationIds }
  } finally {
    db.close()
  }
}

export interface ConvergenceEnv {
  hub: RunningHub
}

/** Runs one generated scenario; throws (with a reason) when the desks or the hub disagree. */
export async function runScenario(
  env: ConvergenceEnv,
  actions: Action[],
  seed: number,
): Promise<{ actions: number; effective: number }> {
  const random = seededRandom(seed)
  const desks = [makeTestDesk(env.hub, { random }), makeTestDesk(env.hub, { random })] as const
  const notesWritten: string[] = []
  const created: string[] = []
  let effective = 0
  let n = 0
  const run = randomUUID().slice(0, 8) // the hub outlives scenarios (and shrinking repeats seeds)
  const tag = () => `t${run}-${n++}`
  const casesOf = (t: TestDesk) =>
    all(
      t.desk.ctx.db,
      sql`SELECT id FROM cases WHERE retired_into IS NULL ORDER BY aktenzeichen`,
      shape({ id: 'text' }),
    ).map((r) => r.id)
  const tryCall = async (t: TestDesk, method: string, input: unknown) => {
    const r = await t.desk.dispatch(method, input)
    if (r.ok && (r.value as { mutationId?: string | null }).mutationId !== null) effective++
    return r.ok
  }
  try {
    await desks[0].login('u-hjuengling')
    await desks[1].login('u-hjuengling')
    for (const a of actions) {
      const t = 'd' in a ? desks[a.d]! : desks[0]
      const ids = casesOf(t)
      const pick = (c: number) => ids[c % Math.max(1, ids.length)]
      switch (a.k) {
        case 'create': {
          const name = `Antrag ${tag()}`
          const r = await t.desk.dispatch('intake.create', {
            procedureId: 'kfz',
            applicantName: name,
            applicantAddress: 'Am Markt 1, 02826 Görlitz',
            channel: 'paper',
          })
          if (r.ok) {
            created.push(name)
            effective++
          }
          break
        }
        case 'take':
        case 'release': {
          const id = pick(a.c)
          if (id) await tryCall(t, a.k === 'take' ? 'casework.take' : 'casework.release', { id })
          break
        }
        case 'note': {
          const id = pick(a.c)
          const text = `Vermerk ${tag()}`
          if (id && (await tryCall(t, 'casework.addNote', { id, text }))) notesWritten.push(text)
          break
        }
        case 'followUp': {
          const id = pick(a.c)
          if (id)
            await tryCall(t, 'casework.setFollowUp', {
              id,
              date: a.day ? `2026-12-${String(a.day).padStart(2, '0')}` : null,
            })
          break
        }
        case 'status': {
          const id = pick(a.c)
          if (id) await tryCall(t, 'casework.setStatus', { id, to: STATUSES[a.s] })
          break
        }
        case 'user':
          await t.login(USERS[a.u]!)
          break
        case 'sync':
          await t.desk.sync.run()
          break
        case 'syncBoth':
          await Promise.all(desks.map((d) => d.desk.sync.run()))
          break
        case 'net':
          t.dropRate = a.rate
          break
        case 'hubFaults':
          env.hub.setFaults(
            a.on ? { errorRate: 0.2, resetRate: 0.2, maxLatencyMs: 5, random } : false,
          )
          break
        case 'restartHub': {
          const { dataDir, port } = env.hub
          await env.hub.close()
          env.hub = await startHub({ dataDir, port })
          break
        }
      }
    }

    // heal: network back, no faults; sync and settle conflicts until nothing is left
    env.hub.setFaults(false)
    for (const d of desks) d.dropRate = 0
    let lastError: string | null = null
    for (let round = 0; ; round++) {
      if (round > 30)
        throw new Error(`did not converge within 30 rounds (last error: ${lastError})`)
      let failed = false
      for (const d of desks) {
        // the first request after a hub restart may hit a dead keep-alive socket: that is a retry, not a failure
        const r: SyncRunResult = await d.desk.sync.run()
        if (r.error) {
          failed = true
          lastError = r.error
        }
      }
      if (failed) continue
      let open = 0
      for (const d of desks) {
        for (const caseId of casesWithOpenConflicts(d.desk.ctx.db)) {
          const { conflicts } = await d.call<{ conflicts: ConflictView[] }>('sync.conflicts', {
            caseId,
          })
          for (const c of conflicts) {
            open++
            await d.call('sync.resolveConflict', {
              mutationId: c.mutationId,
              choice: random() < 0.5 ? 'office' : 'mine',
            })
          }
        }
      }
      const pending = desks.map((d) => countPendingMutations(d.desk.ctx.db))
      if (open === 0 && pending.every((p) => p === 0)) {
        // one more pull each so both have seen the last pushes
        for (const d of desks) if ((await d.desk.sync.run()).error) failed = true
        if (failed) continue
        const again = desks.map((d) => countPendingMutations(d.desk.ctx.db))
        if (again.every((p) => p === 0)) break
      }
    }

    // agreement: both desks equal the hub, case by case
    const hub = hubState(env.hub.dataDir)
    for (const [i, d] of desks.entries()) {
      const local = deskState(d)
      for (const [id, h] of hub.cases) {
        const l = local.get(id)
        if (!l) throw new Error(`desk ${i} lacks case ${h.aktenzeichen}`)
        if (JSON.stringify(l) !== JSON.stringify(h))
          throw new Error(
            `desk ${i} disagrees on ${h.aktenzeichen}: ${JSON.stringify(l)} vs hub ${JSON.stringify(h)}`,
          )
      }
      for (const [id, l] of local)
        if (!hub.cases.has(id))
          throw new Error(`desk ${i} has case ${l.aktenzeichen} the hub does not know`)
      // every mutation the desk counts as delivered is known to the hub exactly once (ids are unique there)
      for (const r of all(
        d.desk.ctx.db,
        sql`SELECT mutation_id, result FROM outbox WHERE state = 'sent'`,
        shape({ mutation_id: 'text', result: 'text?' }),
      )) {
        const adopted = r.result?.includes('"adopted"')
        if (!adopted && !hub.mutationIds.has(r.mutation_id))
          throw new Error(`desk ${i}: mutation ${r.mutation_id} marked sent but unknown to the hub`)
      }
    }
    // exactly once: every created case and every note exists once at the hub
    const hubNotes = [...hub.cases.values()].flatMap((c) => c.notes)
    for (const text of notesWritten) {
      const k = hubNotes.filter((x) => x === text).length
      if (k !== 1) throw new Error(`note "${text}" is at the hub ${k} times`)
    }
    const hubDb = openDatabaseReadOnly(join(env.hub.dataDir, 'hub.sqlite'))
    try {
      for (const name of created) {
        const k = Number(
          scalar(hubDb, sql`SELECT count(*) FROM office_cases WHERE applicant_name = ${name}`),
        )
        if (k !== 1) throw new Error(`case "${name}" is at the hub ${k} times`)
      }
    } finally {
      hubDb.close()
    }
    return { actions: actions.length, effective }
  } finally {
    for (const d of desks) await d.desk.close()
  }
}

export function convergenceProperty(env: ConvergenceEnv, maxActions: number) {
  return fc.asyncProperty(
    fc.array(actionArb, { minLength: 5, maxLength: maxActions }),
    fc.integer(),
    async (actions, seed) => {
      await runScenario(env, actions, seed)
    },
  )
}
