// Vertretung through the hub (issue #13): the desk pushes its Vertretungen under their author's
// token, pulls the office's, and the rights honour the pulled dates. The hub's side of
// /office/v1/absences is another branch's; here an in-memory office answers the documented shapes.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { allAbsences } from '../../../db/repositories/absences'
import { insertCase } from '../../../db/repositories/cases'
import { setSetting } from '../../../db/repositories/settings'
import { manualClock } from '../../core/clock'
import { createDesk } from '../../desk'
import { createOfficeClient, type OfficeAbsence } from '../../hub-client'
import { absenceClientOf, pendingAbsences, syncAbsences } from './absences'

interface Seen {
  method: string
  path: string
  body: unknown
}
/** An office that keeps Vertretungen by id and answers like docs/hub-protocol.md says. */
function fakeOffice(opts: { supports?: boolean; refuse?: (id: string) => number | null } = {}) {
  const absences = new Map<string, OfficeAbsence>()
  const seen: Seen[] = []
  let down = false
  const problem = (status: number) =>
    new Response(JSON.stringify({ type: 'about:blank', title: 'Problem', status }), {
      status,
      headers: { 'content-type': 'application/problem+json' },
    })
  const answer = (input: Parameters<typeof fetch>[0], init?: RequestInit): Response => {
    const url = new URL(typeof input === 'string' ? input : (input as Request).url)
    if (down) throw new TypeError('fetch failed')
    if (url.pathname === '/token')
      return Response.json({ access_token: 't', token_type: 'Bearer', expires_in: 300 })
    const method = init?.method ?? 'GET'
    const body: unknown = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined
    seen.push({ method, path: url.pathname, body })
    if (opts.supports === false) return problem(404)
    if (url.pathname === '/office/v1/absences' && method === 'GET')
      return Response.json({ absences: [...absences.values()] })
    const id = decodeURIComponent(url.pathname.replace('/office/v1/absences/', ''))
    const refusal = opts.refuse?.(id)
    if (refusal) return problem(refusal)
    if (method === 'PUT') {
      absences.set(id, { absenceId: id, ...(body as object), by: 'u-sbaeumer' } as OfficeAbsence)
      return new Response(null, { status: 204 })
    }
    if (method === 'DELETE') {
      if (!absences.delete(id)) return problem(404)
      return new Response(null, { status: 204 })
    }
    return problem(405)
  }
  const fetchFn: typeof fetch = (input, init) => Promise.resolve().then(() => answer(input, init))
  const client = absenceClientOf(
    createOfficeClient({
      baseUrl: 'http://office.test',
      desk: { deskId: 'desk-test', secret: 's' },
      fetch: fetchFn,
    }),
  )
  return {
    absences,
    seen,
    client,
    setDown: (v: boolean) => (down = v),
  }
}

const clock = manualClock('2026-11-26T09:00:00Z')
const desk = createDesk({
  dataDir: mkdtempSync(join(tmpdir(), 'absences-')),
  mode: 'browser',
  clock,
})
afterAll(() => desk.close())
const as = (userId: string) => setSetting(desk.ctx.db, 'user', userId)
const call = async <T = unknown>(m: string, input: unknown): Promise<T> => {
  const r = await desk.dispatch(m, input)
  if (!r.ok) throw new Error(`${m}: ${r.error.code} ${r.error.message}`)
  return r.value as T
}

describe('Vertretung through the hub', () => {
  it('pushes a Vertretung entered here, ends it there, and is idempotent by id', async () => {
    const office = fakeOffice()
    as('u-sbaeumer')
    const { id } = await call<{ id: string }>('team.setAbsence', {
      userId: 'u-amueller',
      substituteId: 'u-jweiss',
      from: '2026-11-27',
      until: '2026-11-30',
    })
    expect(pendingAbsences(desk.ctx.db)).toHaveLength(1)
    const first = await syncAbsences(desk.ctx, office.client)
    expect(first).toMatchObject({ pushed: 1, waiting: 0, refused: 0 })
    expect(office.seen.find((s) => s.method === 'PUT')).toEqual({
      method: 'PUT',
      path: `/office/v1/absences/${id}`,
      body: {
        userId: 'u-amueller',
        substituteId: 'u-jweiss',
        from: '2026-11-27',
        until: '2026-11-30',
      },
    })
    expect(pendingAbsences(desk.ctx.db)).toEqual([])
    // a second pass sends nothing and changes nothing
    office.seen.length = 0
    expect(await syncAbsences(desk.ctx, office.client)).toEqual({
      pushed: 0,
      refused: 0,
      waiting: 0,
      pulled: 0,
    })
    expect(office.seen.map((s) => s.method)).toEqual(['GET'])
    await call('team.endAbsence', { id })
    await syncAbsences(desk.ctx, office.client)
    expect(office.absences.size).toBe(0)
    expect(allAbsences(desk.ctx.db)).toEqual([])
  })

  it('pulls the office’s Vertretungen; the substitute’s rights follow their dates', async () => {
    const office = fakeOffice()
    insertCase(desk.ctx.db, {
      id: 'vertretung-1',
      aktenzeichen: '632.1-2026-000901',
      procedureId: 'wohngeld',
      subject: 'Test',
      applicantName: 'Käthe Müßig',
      applicantAddress: 'Straßburger Straße 4, 02826 Görlitz',
      status: 'in_bearbeitung',
      assignee: 'u-amueller',
      receivedAt: '2026-11-02T08:00:00Z',
      deadline: '2026-12-02',
      channel: 'online',
      formData: {},
      updatedAt: '2026-11-02T08:00:00Z',
    })
    // entered on another desk: only the office knows it
    office.absences.set('abs-other-desk', {
      absenceId: 'abs-other-desk',
      userId: 'u-amueller',
      substituteId: 'u-jweiss',
      from: '2026-11-26',
      until: '2026-11-27',
      by: 'u-sbaeumer',
    })
    as('u-jweiss')
    const note = (text: string) => desk.dispatch('casework.addNote', { id: 'vertretung-1', text })
    expect(await note('vor dem Abgleich')).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    })
    expect(await syncAbsences(desk.ctx, office.client)).toMatchObject({ pulled: 1 })
    expect(await note('in Vertretung')).toMatchObject({ ok: true })
    clock.set('2026-11-28T09:00:00Z')
    expect(await note('danach')).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    clock.set('2026-11-26T09:00:00Z')
    // ended at the office: gone here after the next pass
    office.absences.delete('abs-other-desk')
    expect(await syncAbsences(desk.ctx, office.client)).toMatchObject({ pulled: 1 })
    expect(await note('nach dem Ende')).toMatchObject({ ok: false, error: { code: 'forbidden' } })
  })

  it('waits for the author’s sign-in, keeps the queue on a hub without Vertretung, drops what the office refuses', async () => {
    as('u-sbaeumer')
    const { id } = await call<{ id: string }>('team.setAbsence', {
      userId: 'u-kschroeder',
      substituteId: 'u-tgrossmann',
      from: '2026-12-01',
      until: '2026-12-03',
    })
    // the author has no valid token: nothing goes, nothing is dropped
    const office = fakeOffice()
    const noToken = {
      tokenFor: (u: string) => Promise.resolve(u === 'u-jweiss' ? 'tok' : undefined),
    }
    expect(await syncAbsences(desk.ctx, office.client, noToken)).toBeNull()
    as('u-jweiss')
    expect(await syncAbsences(desk.ctx, office.client, noToken)).toMatchObject({
      pushed: 0,
      waiting: 1,
    })
    expect(pendingAbsences(desk.ctx.db)).toHaveLength(1)
    expect(allAbsences(desk.ctx.db).map((a) => a.id)).toContain(id)
    // an older hub without the endpoint: the queue and the local Vertretung stay
    expect(await syncAbsences(desk.ctx, fakeOffice({ supports: false }).client)).toBeNull()
    expect(pendingAbsences(desk.ctx.db)).toHaveLength(1)
    // the network is down: the phase fails (and retries), the queue stays
    office.setDown(true)
    await expect(syncAbsences(desk.ctx, office.client)).rejects.toThrow()
    expect(pendingAbsences(desk.ctx.db)).toHaveLength(1)
    // the office refuses it (403): dropped, the office's state wins
    const strict = fakeOffice({ refuse: (x) => (x === id ? 403 : null) })
    expect(await syncAbsences(desk.ctx, strict.client)).toMatchObject({ refused: 1 })
    expect(pendingAbsences(desk.ctx.db)).toEqual([])
    expect(allAbsences(desk.ctx.db).map((a) => a.id)).not.toContain(id)
  })
})
