// The tested backup/restore procedure of docs/operations.md (issue #18): pg_dump -Fc of the hub's
// database → pg_restore into a fresh database → the hub resumes on it → the desks converge. Desk A
// made changes after the dump; its outbox sends them again (same mutation ids: the ones in the
// dump answer `duplicate`, the later ones `applied`). Desk B's cursor lies beyond the restored
// feed's head (the feed was rewound), so B resynchronises from cursor 0, as the procedure says.
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { verified, verify } from '../../bench/hub/check'
import { deskUsers } from '../../bench/hub/load'
import { SimDesk, type Mutation } from '../../bench/hub/simDesk'
import { readHubTruth } from '../../bench/hub/truth'
import { findPgBin } from '../../testing/postgres/cluster'
import { scaleWorld, skipReason, type ScaleWorld } from './scale.testutil'

if (skipReason) console.warn(`hub/scale/backupRestore.test.ts skipped: ${skipReason}`)

describe.skipIf(skipReason !== undefined)('pg_dump → restore → hub resumes', () => {
  let w: ScaleWorld
  beforeAll(async () => {
    w = await scaleWorld(['desk-a', 'desk-b'], 'hub_live')
  }, 120_000)
  afterAll(async () => {
    await w?.close()
  })

  const pgTool = (tool: string, args: string[]) => {
    const r = spawnSync(join(findPgBin()!, tool), args, { encoding: 'utf8' })
    if (r.status !== 0) throw new Error(`${tool}: ${r.stderr}`)
  }

  it('restores the dump into a fresh database and the desks converge', async () => {
    const user = (id: string) => deskUsers().find((u) => u.userId === id)!
    const live = await w.start(w.databaseUrl('hub_live'))
    const a = new SimDesk(
      w.desks['desk-a']!,
      user('u-jweiss'),
      [live.url],
      () => w.idp.token('u-jweiss'),
      0,
    )
    const b = new SimDesk(
      w.desks['desk-b']!,
      user('u-amueller'),
      [live.url],
      () => w.idp.token('u-amueller'),
      0,
    )
    const outbox: Mutation[][] = []
    for (let r = 0; r < 2; r++) {
      const batch = await a.nextBatch(r)
      await a.push(batch)
      outbox.push(batch)
    }
    await b.pull()

    const dump = join(w.dataDir, 'hub.dump')
    pgTool('pg_dump', ['-Fc', '-d', w.databaseUrl('hub_live'), '-f', dump])

    // after the dump: more changes, which B also reads
    for (let r = 2; r < 4; r++) {
      const batch = await a.nextBatch(r)
      await a.push(batch)
      outbox.push(batch)
    }
    await b.pull()
    const cursorBefore = Number(b.cursor)
    await live.stop() // the primary is lost

    const restoredUrl = await w.createDatabase('hub_restored')
    pgTool('pg_restore', ['--no-owner', '-d', restoredUrl, dump])
    const restored = await w.start(restoredUrl)
    const head = (await readHubTruth(w.dataDir, restoredUrl)).changes.at(-1)!.seq
    expect(cursorBefore).toBeGreaterThan(head) // the feed was rewound: B must resynchronise

    // A's outbox repeats everything it sent since the backup time (here: all of it)
    const again = new SimDesk(
      w.desks['desk-a']!,
      user('u-jweiss'),
      [restored.url],
      () => w.idp.token('u-jweiss'),
      0,
    )
    const statuses: string[] = []
    for (const batch of outbox) {
      await again.push(batch)
      statuses.push(...batch.map((m) => again.results.get(m.mutationId)!))
    }
    const before = outbox.slice(0, 2).flat().length
    expect(statuses.slice(0, before).every((s) => s === 'duplicate')).toBe(true)
    expect(statuses.slice(before).every((s) => s === 'applied')).toBe(true)

    // both desks resynchronise from cursor 0 on the restored hub
    const b2 = new SimDesk(
      w.desks['desk-b']!,
      user('u-amueller'),
      [restored.url],
      () => w.idp.token('u-amueller'),
      0,
    )
    await Promise.all([b2.pull(), again.pull()])
    const truth = await readHubTruth(w.dataDir, restoredUrl)
    expect(truth.cases.size).toBe(4)
    const team = new Set(['wohngeld'])
    const v = verify(
      [
        {
          deskId: 'desk-a',
          procedures: team,
          results: a.results,
          seen: again.seen,
          cases: again.cases,
        },
        { deskId: 'desk-b', procedures: team, results: new Map(), seen: b2.seen, cases: b2.cases },
      ],
      truth,
    )
    expect(v.problems).toEqual([])
    expect(verified(v)).toBe(true)
    expect(JSON.stringify([...b2.cases].sort())).toBe(JSON.stringify([...b.cases].sort()))
  })
})
