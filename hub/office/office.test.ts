// The office face over real HTTP against a hub started in-process on a free port (desk credential
// + demo user tokens, docs/hub-protocol.md "Office").
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { m, register, sha, startOfficeHub, type OfficeHub } from './office.testutil'

let o: OfficeHub
beforeAll(async () => {
  o = await startOfficeHub()
}, 60_000)
afterAll(async () => {
  await o?.close()
})

describe('office face', () => {
  it('serves the directory with roles, team procedures and the file plan; refuses without a desk credential', async () => {
    const r = await o.call('/office/v1/directory')
    expect(r.status).toBe(200)
    const d = (await r.json()) as {
      users: { role: string; teamId: string }[]
      teams: { teamId: string; procedures: string[] }[]
      filePlan: { code: string; retentionYears: number }[]
      procedures: unknown[]
    }
    expect(d.teams.find((t) => t.teamId === 'team-soziales')?.procedures).toEqual(['wohngeld'])
    expect(d.teams.find((t) => t.teamId === 'team-ordnung')?.procedures).toContain('baugenehmigung')
    expect(d.users.filter((u) => u.role === 'lead')).toHaveLength(2)
    expect(d.users.some((u) => u.role === 'records')).toBe(true)
    expect(d.filePlan.find((f) => f.code === '632.1')?.retentionYears).toBe(6)
    expect(d.procedures).toHaveLength(5)
    const none = await o.call('/office/v1/directory', { desk: null })
    expect(none.status).toBe(401)
    expect(((await none.json()) as { type: string }).type).toMatch(/\/invalid-desk$/)
  })

  it('applies, deduplicates, conflicts and rejects (forbidden) mutations', async () => {
    const caseId = randomUUID()
    const reg = register(caseId, null)
    const [r1] = await o.mutate('u-amueller', [reg])
    expect(r1).toMatchObject({ status: 'applied', version: 1 })
    const [again] = await o.mutate('u-amueller', [reg])
    expect(again).toMatchObject({ status: 'duplicate', version: 1 })

    // system may not write notes
    const [sys] = await o.mutate(undefined, [
      m('case.note', caseId, 1, { noteId: randomUUID(), kind: 'note', text: 'x' }),
    ])
    expect(sys?.status).toBe('rejected')
    expect(sys?.problem?.type).toMatch(/\/forbidden$/)

    // clerk takes the unassigned case; another clerk cannot take it from her; cosign is lead-only
    const [taken] = await o.mutate('u-amueller', [
      m('case.assign', caseId, 1, { assignee: 'u-amueller', previous: null }),
    ])
    expect(taken).toMatchObject({ status: 'applied', version: 2 })
    const [stolen] = await o.mutate(
      'u-jweiss',
      [m('case.assign', caseId, 2, { assignee: 'u-jweiss', previous: 'u-amueller' })],
      o.deskB,
    )
    expect(stolen?.problem?.type).toMatch(/\/forbidden$/)
    const [cs] = await o.mutate('u-jweiss', [m('case.cosign', caseId, 2, {})], o.deskB)
    expect(cs?.problem?.type).toMatch(/\/forbidden$/)

    // desk B saw version 1; desk A's assignment (colliding) moved it on → conflict with the current case
    const [conflict] = await o.mutate(
      'u-sbaeumer',
      [m('case.status', caseId, 1, { from: 'eingegangen', to: 'in_bearbeitung' })],
      o.deskB,
    )
    expect(conflict).toMatchObject({
      status: 'conflict',
      current: { caseId, assignee: 'u-amueller', version: 2 },
    })
    // a note does not collide; the lead may reassign within the team with the current base version
    const batch = await o.mutate(
      'u-sbaeumer',
      [
        m('case.note', caseId, 1, { noteId: randomUUID(), kind: 'note', text: 'Rückruf erbeten' }),
        m('case.assign', caseId, 2, { assignee: 'u-jweiss', previous: 'u-amueller' }),
      ],
      o.deskB,
    )
    expect(batch.map((r) => r.status)).toEqual(['applied', 'applied'])
    expect(batch.map((r) => r.version)).toEqual([3, 4])
    // the same desk's own later change does not conflict with its earlier one (same base)
    const own = await o.mutate(
      'u-sbaeumer',
      [
        m('case.followUp', caseId, 2, { date: '2026-12-01' }),
        m('case.status', caseId, 2, { to: 'in_bearbeitung' }),
      ],
      o.deskB,
    )
    expect(own.map((r) => r.status)).toEqual(['applied', 'applied'])
    // only records management reopens
    const [reopen] = await o.mutate('u-jweiss', [m('case.reopen', caseId, 6, { reason: 'x' })])
    expect(reopen?.problem?.type).toMatch(/\/forbidden$/)
    // unknown type and bad payload are rejected one by one; the batch goes on
    const mixed = await o.mutate('u-jweiss', [
      m('case.teleport', caseId, 6, {}),
      m('case.followUp', caseId, 6, { date: 'morgen' }),
      m('case.note', caseId, 6, { noteId: randomUUID(), kind: 'note', text: 'ok' }),
    ])
    expect(mixed.map((r) => r.status)).toEqual(['rejected', 'rejected', 'applied'])
  })

  it('a second registration of the same submission answers conflict with the existing case', async () => {
    const submissionId = await o.submission()
    const first = register(randomUUID(), submissionId)
    const second = register(randomUUID(), submissionId)
    expect((await o.mutate(undefined, [first]))[0]?.status).toBe('applied')
    const [r] = await o.mutate(undefined, [second], o.deskB)
    expect(r).toMatchObject({
      status: 'conflict',
      current: { caseId: first.caseId, aktenzeichen: first.payload.aktenzeichen },
    })
  }, 30_000)

  it('verifies blob hashes on upload and requires referenced blobs', async () => {
    const bytes = Buffer.from(`%PDF-1.7 Testdokument ${randomUUID()}`)
    const wrong = await o.call(`/office/v1/blobs/${'0'.repeat(64)}`, {
      method: 'PUT',
      body: bytes,
    })
    expect(wrong.status).toBe(400)
    expect(((await wrong.json()) as { detail: string }).detail).toMatch(/Hash mismatch/)
    const doc = {
      id: randomUUID(),
      kind: 'anlage',
      title: 'Anlage',
      filename: 'a.pdf',
      mimeType: 'application/pdf',
      size: bytes.length,
      sha256: sha(bytes),
      createdAt: '2026-11-27T10:00:00.000Z',
    }
    const [missing] = await o.mutate('u-amueller', [register(randomUUID(), null, { docs: [doc] })])
    expect(missing?.problem?.type).toMatch(/\/missing-blob$/)
    const put = () => o.call(`/office/v1/blobs/${doc.sha256}`, { method: 'PUT', body: bytes })
    expect((await put()).status).toBe(204)
    expect((await put()).status).toBe(204)
    // not yet part of any case: nobody reads it back
    expect((await o.call(`/office/v1/blobs/${doc.sha256}`, { user: 'u-amueller' })).status).toBe(
      404,
    )
    expect(
      (await o.mutate('u-amueller', [register(randomUUID(), null, { docs: [doc] })]))[0]?.status,
    ).toBe('applied')
    const back = await o.call(`/office/v1/blobs/${doc.sha256}`, { user: 'u-amueller' })
    expect(Buffer.from(await back.arrayBuffer()).equals(bytes)).toBe(true)
    expect(
      (await o.call(`/office/v1/blobs/${'a'.repeat(64)}`, { user: 'u-amueller' })).status,
    ).toBe(404)
  })

  it('pages the change feed from a cursor with by, version and mutation id', async () => {
    const all: {
      seq: number
      caseId: string
      version: number
      by: string
      payload: { mutationId: string }
    }[] = []
    let since = '0'
    for (;;) {
      const r = await o.call(`/office/v1/changes?since=${since}&limit=3`, { user: 'u-rvoelkel' })
      const page = (await r.json()) as { changes: typeof all; next: string; hasMore: boolean }
      all.push(...page.changes)
      since = page.next
      if (!page.hasMore) break
    }
    expect(all.length).toBeGreaterThan(6)
    expect(all.map((c) => c.seq)).toEqual([...all.map((c) => c.seq)].sort((a, b) => a - b))
    expect(new Set(all.map((c) => c.payload.mutationId)).size).toBe(all.length)
    expect(all.every((c) => c.by && c.version >= 1)).toBe(true)
    const tail = (await (
      await o.call(`/office/v1/changes?since=${since}`, { user: 'u-rvoelkel' })
    ).json()) as { changes: unknown[]; next: string; hasMore: boolean }
    expect(tail).toEqual({ changes: [], next: since, hasMore: false })
  })

  it('leases numbers unique office-wide, also to concurrent desks', async () => {
    const lease = async (desk: typeof o.deskA) => {
      const r = await o.call('/office/v1/leases', {
        method: 'POST',
        desk,
        json: { fileCode: '661.3', year: 2026, count: 25 },
      })
      expect(r.status).toBe(200)
      return ((await r.json()) as { numbers: number[] }).numbers
    }
    const got = await Promise.all(
      Array.from({ length: 10 }, (_, i) => lease(i % 2 ? o.deskA : o.deskB)),
    )
    const all = got.flat()
    expect(all).toHaveLength(250)
    expect(new Set(all).size).toBe(250)
    // numbers a desk registered from its own sequence are never leased afterwards
    const reg = register(randomUUID(), null, { procedureId: 'bussgeld' })
    reg.payload.aktenzeichen = '121.4-2026-000040'
    expect((await o.mutate('u-lkoehler', [reg]))[0]?.status).toBe('applied')
    const next = (await (
      await o.call('/office/v1/leases', {
        method: 'POST',
        json: { fileCode: '121.4', year: 2026, count: 5 },
      })
    ).json()) as { numbers: number[] }
    expect(Math.min(...next.numbers)).toBeGreaterThan(40)
  })
})
