// The forgeries of issue #13, one test each, and the legitimate flow of every role, against a real
// hub over HTTP (docs/hub-protocol.md "Office auth" and "Rights").
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SignJWT, generateKeyPair } from 'jose'
import { berlinDate } from './rights'
import { m, register, sha, startOfficeHub, type OfficeHub, type Result } from './office.testutil'

let o: OfficeHub
beforeAll(async () => {
  o = await startOfficeHub()
}, 60_000)
afterAll(async () => {
  await o?.close()
})

const problemOf = (r: Result | undefined) => r?.problem?.type.split('/').pop()
const doc = (bytes: Buffer, kind = 'bescheid') => ({
  id: randomUUID(),
  kind,
  title: 'Dokument',
  filename: 'd.pdf',
  mimeType: 'application/pdf',
  size: bytes.length,
  sha256: sha(bytes),
  createdAt: '2026-11-27T10:00:00.000Z',
})
async function upload(bytes: Buffer) {
  expect(
    (await o.call(`/office/v1/blobs/${sha(bytes)}`, { method: 'PUT', body: bytes })).status,
  ).toBe(204)
  return doc(bytes)
}
/** a paper case of the procedure, registered and taken by `clerk`, in Bearbeitung (version 3) */
async function caseOf(clerk: string, procedureId = 'wohngeld') {
  const caseId = randomUUID()
  const rs = await o.mutate(clerk, [
    register(caseId, null, { procedureId }),
    m('case.assign', caseId, 1, { assignee: clerk, previous: null }),
    m('case.status', caseId, 2, { to: 'in_bearbeitung' }),
  ])
  expect(rs.map((r) => r.status)).toEqual(['applied', 'applied', 'applied'])
  return caseId
}
const note = (caseId: string, text = 'Vermerk') =>
  m('case.note', caseId, 0, { noteId: randomUUID(), kind: 'note', text })
const BAU_FIELDS = { project: 'Carport', fee: 120 }

describe('forgeries are refused', () => {
  it('X-Aktenfluss-User is ignored: without a token the caller is system, with one the token decides', async () => {
    const caseId = await caseOf('u-amueller')
    const asLead = await o.call('/office/v1/mutations', {
      method: 'POST',
      headers: { 'x-aktenfluss-user': 'u-sbaeumer' },
      json: {
        deskId: o.deskA.deskId,
        mutations: [m('case.assign', caseId, 3, { assignee: 'u-jweiss', previous: 'u-amueller' })],
      },
    })
    const [r] = ((await asLead.json()) as { results: Result[] }).results
    expect(problemOf(r)).toBe('forbidden') // system may not assign
    const clerkClaimingLead = await o.call('/office/v1/mutations', {
      method: 'POST',
      user: 'u-jweiss',
      headers: { 'x-aktenfluss-user': 'u-sbaeumer' },
      json: {
        deskId: o.deskA.deskId,
        mutations: [m('case.assign', caseId, 3, { assignee: 'u-jweiss', previous: 'u-amueller' })],
      },
    })
    const [c] = ((await clerkClaimingLead.json()) as { results: Result[] }).results
    expect(problemOf(c)).toBe('forbidden')
  })

  it('no shared secret: another desk’s id with a wrong secret, or the old client-credentials token, is refused', async () => {
    const wrong = await o.call('/office/v1/directory', {
      desk: { deskId: o.deskB.deskId, secret: o.deskA.secret },
    })
    expect(wrong.status).toBe(401)
    expect(((await wrong.json()) as { type: string }).type).toMatch(/\/invalid-desk$/)
    const subscriber = o.hub.config.clients.find((c) => c.role === 'subscriber')!
    const tr = await fetch(`${o.hub.url}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: subscriber.clientId,
        client_secret: subscriber.clientSecret,
      }),
    })
    const cc = ((await tr.json()) as { access_token: string }).access_token
    expect((await o.call('/office/v1/directory', { desk: null, token: cc })).status).toBe(401)
    const asUser = await o.call('/office/v1/changes', { token: cc })
    expect(asUser.status).toBe(401)
    expect(asUser.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/)
  })

  it('system cannot register an invented submission, nor one this hub holds but nobody accepted yet', async () => {
    const [invented] = await o.mutate(undefined, [register(randomUUID(), randomUUID())])
    expect(problemOf(invented)).toBe('forbidden')
    const pending = await o.submission(false)
    const [early] = await o.mutate(undefined, [register(randomUUID(), pending)])
    expect(problemOf(early)).toBe('submission-not-accepted')
    // and a user cannot smuggle an online case in either
    const accepted = await o.submission()
    const [byUser] = await o.mutate('u-amueller', [register(randomUUID(), accepted)])
    expect(problemOf(byUser)).toBe('forbidden')
  }, 30_000)

  it('a case cannot be moved straight to abgeschlossen, not even by its lead', async () => {
    const caseId = await caseOf('u-amueller')
    const [r] = await o.mutate('u-sbaeumer', [m('case.status', caseId, 3, { to: 'abgeschlossen' })])
    expect(problemOf(r)).toBe('invalid-transition')
    const [skip] = await o.mutate('u-sbaeumer', [m('case.status', caseId, 3, { to: 'versandt' })])
    expect(problemOf(skip)).toBe('invalid-transition')
  })

  it('a Baugenehmigung decided "without co-signature" still needs one: the notice is refused until the lead co-signed', async () => {
    const caseId = await caseOf('u-lkoehler', 'baugenehmigung')
    const [decided] = await o.mutate('u-lkoehler', [
      m('case.decide', caseId, 3, {
        outcome: 'abgelehnt',
        fields: BAU_FIELDS,
        reasons: 'x',
        cosignRequired: false,
        status: 'entschieden',
      }),
    ])
    expect(decided?.status).toBe('applied')
    const notice = await upload(Buffer.from(`Bescheid ${randomUUID()}`))
    const [issued] = await o.mutate('u-lkoehler', [
      m('notice.issue', caseId, 4, { document: notice, dispatchDate: '2026-11-27' }),
    ])
    expect(problemOf(issued)).toBe('invalid-transition')
    // the change feed tells other desks what the hub computed, not what the desk claimed
    const decide = (await o.feed({ user: 'u-hjuengling' })).changes.find(
      (c) => c.caseId === caseId && c.type === 'case.decide',
    )
    expect(decide?.payload).toMatchObject({ cosignRequired: true, status: 'entscheidungsreif' })
    const [cosigned] = await o.mutate('u-hjuengling', [m('case.cosign', caseId, 4, {})], o.deskB)
    expect(cosigned?.status).toBe('applied')
    const [now] = await o.mutate('u-lkoehler', [
      m('notice.issue', caseId, 5, { document: notice, dispatchDate: '2026-11-27' }),
    ])
    expect(now?.status).toBe('applied')
  })

  it('claiming another desk’s id in the batch is refused (no lost update by dodging the conflict check)', async () => {
    const caseId = await caseOf('u-amueller')
    const r = await o.call('/office/v1/mutations', {
      method: 'POST',
      user: 'u-sbaeumer',
      desk: o.deskB,
      json: {
        deskId: o.deskA.deskId,
        mutations: [m('case.status', caseId, 1, { to: 'eingegangen' })],
      },
    })
    expect(r.status).toBe(403)
    // with its own id the stale change is a conflict, as it should be
    const [c] = await o.mutate(
      'u-sbaeumer',
      [m('case.status', caseId, 1, { to: 'eingegangen' })],
      o.deskB,
    )
    expect(c?.status).toBe('conflict')
  })

  it('the change feed and the blobs show only the cases of the caller’s team (need-to-know)', async () => {
    const bytes = Buffer.from(`Lageplan ${randomUUID()}`)
    const plan = await upload(bytes)
    const bauId = randomUUID()
    expect(
      (
        await o.mutate('u-lkoehler', [
          register(bauId, null, { procedureId: 'baugenehmigung', docs: [plan] }),
        ])
      )[0]?.status,
    ).toBe('applied')
    const wohnId = await caseOf('u-amueller')
    const soziales = await o.feed({ user: 'u-amueller' })
    expect(soziales.changes.some((c) => c.caseId === bauId)).toBe(false)
    expect(soziales.changes.some((c) => c.caseId === wohnId)).toBe(true)
    const ordnung = await o.feed({ user: 'u-lkoehler' })
    expect(ordnung.changes.some((c) => c.caseId === bauId)).toBe(true)
    expect(ordnung.changes.some((c) => c.caseId === wohnId)).toBe(false)
    // the cursor still reaches the end for everyone
    expect(soziales.next).toBe(ordnung.next)
    const records = await o.feed({ user: 'u-rvoelkel' })
    expect(
      records.changes.some((c) => c.caseId === bauId) &&
        records.changes.some((c) => c.caseId === wohnId),
    ).toBe(true)
    // blobs: another team's document is not there for you
    expect((await o.call(`/office/v1/blobs/${plan.sha256}`, { user: 'u-amueller' })).status).toBe(
      404,
    )
    expect((await o.call(`/office/v1/blobs/${plan.sha256}`, { user: 'u-lkoehler' })).status).toBe(
      200,
    )
    // system sees only what its own desk registered
    const system = await o.feed({ desk: o.deskB })
    expect(system.changes.some((c) => c.caseId === bauId || c.caseId === wohnId)).toBe(false)
  })

  it('a clerk cannot act on a colleague’s case, unless standing in for them today', async () => {
    const caseId = await caseOf('u-amueller')
    const [refused] = await o.mutate('u-jweiss', [note(caseId)])
    expect(problemOf(refused)).toBe('forbidden')
    const [status] = await o.mutate('u-jweiss', [
      m('case.status', caseId, 3, { to: 'entscheidungsreif' }),
    ])
    expect(problemOf(status)).toBe('forbidden')
    const today = berlinDate(Date.now())
    const absenceId = randomUUID()
    const put = (from: string, until: string, user = 'u-amueller') =>
      o.call(`/office/v1/absences/${absenceId}`, {
        method: 'PUT',
        user,
        json: { userId: 'u-amueller', substituteId: 'u-jweiss', from, until },
      })
    // a Vertretung that is over does not count
    expect((await put('2020-01-01', '2020-01-31')).status).toBe(204)
    expect(problemOf((await o.mutate('u-jweiss', [note(caseId)]))[0])).toBe('forbidden')
    expect((await put(today, today)).status).toBe(204)
    expect((await o.mutate('u-jweiss', [note(caseId, 'in Vertretung')]))[0]?.status).toBe('applied')
    expect(
      (await o.call(`/office/v1/absences/${absenceId}`, { method: 'DELETE', user: 'u-amueller' }))
        .status,
    ).toBe(204)
    expect(problemOf((await o.mutate('u-jweiss', [note(caseId)]))[0])).toBe('forbidden')
  })

  it('the person who decided cannot co-sign it, even as the team lead', async () => {
    const caseId = randomUUID()
    await o.mutate('u-sbaeumer', [
      register(caseId, null),
      m('case.status', caseId, 1, { to: 'in_bearbeitung' }),
    ])
    const [d] = await o.mutate('u-sbaeumer', [
      m('case.decide', caseId, 2, {
        outcome: 'stattgegeben',
        fields: { monthlyAmount: 612.5 },
        reasons: 'x',
      }),
    ])
    expect(d?.status).toBe('applied')
    const [own] = await o.mutate('u-sbaeumer', [m('case.cosign', caseId, 3, {})], o.deskB)
    expect(problemOf(own)).toBe('forbidden')
    // the other team's lead is no co-signer for this team either
    const [other] = await o.mutate('u-hjuengling', [m('case.cosign', caseId, 3, {})], o.deskB)
    expect(problemOf(other)).toBe('forbidden')
  })

  it('expired, forged, wrong-audience and wrong-issuer tokens get 401 invalid-token; an unknown user 403', async () => {
    const expired = await o.token('u-amueller', { now: Date.now() - 3600_000 })
    const wrongAud = await o.token('u-amueller', { audience: 'someone-else' })
    const wrongIss = await o.token('u-amueller', { issuer: 'https://idp.example/realms/x' })
    const { privateKey } = await generateKeyPair('RS256')
    const forged = await new SignJWT({})
      .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: 'idp-forged' })
      .setIssuer(o.hub.issuer)
      .setAudience('aktenfluss-office')
      .setSubject('u-sbaeumer')
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(privateKey)
    const good = await o.token('u-amueller')
    const [h, p] = good.split('.')
    const tampered = `${h}.${Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), sub: 'u-sbaeumer' }),
    ).toString('base64url')}.${good.split('.')[2]}`
    for (const token of [expired, wrongAud, wrongIss, forged, tampered, 'not-a-jwt']) {
      const r = await o.call('/office/v1/changes', { token })
      expect(r.status, token.slice(0, 20)).toBe(401)
      expect(((await r.json()) as { type: string }).type).toMatch(/\/invalid-token$/)
      expect(r.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/)
    }
    const stranger = await o.call('/office/v1/changes', { token: await o.token('u-nobody') })
    expect(stranger.status).toBe(403)
    expect((await o.call('/office/v1/changes', { token: good })).status).toBe(200)
  })
})

describe('each role’s legitimate work is applied', () => {
  it('clerk: takes, works, decides and issues the notice of their own case; returns it', async () => {
    const caseId = await caseOf('u-amueller')
    const letter = await upload(Buffer.from(`Nachforderung ${randomUUID()}`))
    const notice = await upload(Buffer.from(`Bescheid ${randomUUID()}`))
    const rs = await o.mutate('u-amueller', [
      note(caseId),
      m('case.followUp', caseId, 3, { date: '2026-12-10' }),
      m('case.requestDocuments', caseId, 3, {
        items: ['Mietvertrag'],
        deadline: '2026-12-11',
        document: letter,
      }),
      m('case.status', caseId, 6, { from: 'nachforderung', to: 'in_bearbeitung' }),
      m('case.decide', caseId, 7, {
        outcome: 'stattgegeben',
        fields: { monthlyAmount: 200 },
        reasons: 'x',
      }),
      m('notice.issue', caseId, 8, { document: notice, dispatchDate: '2026-11-27' }),
      m('notice.posted', caseId, 9, { postedOn: '2026-11-27' }),
    ])
    expect(rs.map((r) => [r.status, problemOf(r)])).toEqual(rs.map(() => ['applied', undefined]))
    const other = await caseOf('u-amueller')
    expect(
      (
        await o.mutate('u-amueller', [
          m('case.assign', other, 3, { assignee: null, previous: 'u-amueller' }),
        ])
      )[0]?.status,
    ).toBe('applied')
    // a clerk never closes
    expect(
      problemOf(
        (
          await o.mutate('u-amueller', [
            m('case.close', caseId, 10, { closedAt: 'x', retentionEnd: 'y' }),
          ])
        )[0],
      ),
    ).toBe('forbidden')
  })

  it('lead: assigns within the team (not outside it), works any case of the team, co-signs a clerk’s decision', async () => {
    const caseId = await caseOf('u-amueller')
    expect(
      (
        await o.mutate('u-sbaeumer', [
          m('case.assign', caseId, 3, { assignee: 'u-lkoehler', previous: 'u-amueller' }),
        ])
      )[0]?.problem?.type,
    ).toMatch(/forbidden$/)
    const rs = await o.mutate('u-sbaeumer', [
      m('case.assign', caseId, 3, { assignee: 'u-kschroeder', previous: 'u-amueller' }),
      note(caseId, 'Sachgebietsleitung'),
    ])
    expect(rs.map((r) => r.status)).toEqual(['applied', 'applied'])
    const [d] = await o.mutate('u-kschroeder', [
      m('case.decide', caseId, 5, {
        outcome: 'stattgegeben',
        fields: { monthlyAmount: 700 },
        reasons: 'x',
      }),
    ])
    expect(d?.status).toBe('applied')
    expect(
      (await o.mutate('u-sbaeumer', [m('case.cosign', caseId, 6, { comment: 'ok' })]))[0]?.status,
    ).toBe('applied')
  })

  it('records: closes a dispatched case of any team and reopens it; nothing else', async () => {
    const caseId = await caseOf('u-lkoehler', 'kfz')
    const notice = await upload(Buffer.from(`Bescheid ${randomUUID()}`))
    await o.mutate('u-lkoehler', [
      m('case.decide', caseId, 3, { outcome: 'stattgegeben', fields: {}, reasons: 'x' }),
      m('notice.issue', caseId, 4, { document: notice, dispatchDate: '2026-11-27' }),
    ])
    expect(problemOf((await o.mutate('u-rvoelkel', [note(caseId)]))[0])).toBe('forbidden')
    const rs = await o.mutate('u-rvoelkel', [
      m('case.close', caseId, 5, { closedAt: '2026-11-28T10:00:00Z', retentionEnd: '2032-12-31' }),
      m('case.reopen', caseId, 6, { reason: 'Widerspruch' }),
    ])
    expect(rs.map((r) => r.status)).toEqual(['applied', 'applied'])
    const open = await caseOf('u-amueller')
    expect(
      problemOf(
        (
          await o.mutate('u-rvoelkel', [
            m('case.close', open, 3, { closedAt: 'x', retentionEnd: 'y' }),
          ])
        )[0],
      ),
    ).toBe('invalid-transition')
  })

  it('system: registers an accepted submission of its destination, files a follow-up and resumes the case', async () => {
    const submissionId = await o.submission()
    const caseId = randomUUID()
    expect((await o.mutate(undefined, [register(caseId, submissionId)]))[0]?.status).toBe('applied')
    await o.mutate('u-amueller', [
      m('case.assign', caseId, 1, { assignee: 'u-amueller', previous: null }),
    ])
    const letter = await upload(Buffer.from(`Nachforderung ${randomUUID()}`))
    expect(
      (
        await o.mutate('u-amueller', [
          m('case.requestDocuments', caseId, 2, {
            items: ['x'],
            deadline: '2026-12-11',
            document: letter,
          }),
        ])
      )[0]?.status,
    ).toBe('applied')
    const more = await upload(Buffer.from(`Nachreichung ${randomUUID()}`))
    const rs = await o.mutate(undefined, [
      m('case.document', caseId, 3, { document: more }),
      m('case.status', caseId, 4, { from: 'nachforderung', to: 'in_bearbeitung' }),
    ])
    expect(rs.map((r) => r.status)).toEqual(['applied', 'applied'])
    // but not beyond that, and not on a paper case
    expect(
      problemOf(
        (await o.mutate(undefined, [m('case.status', caseId, 5, { to: 'entscheidungsreif' })]))[0],
      ),
    ).toBe('forbidden')
    const paper = await caseOf('u-amueller')
    expect(
      problemOf((await o.mutate(undefined, [m('case.document', paper, 3, { document: more })]))[0]),
    ).toBe('forbidden')
    // its own registrations are what system reads in the change feed
    expect((await o.feed()).changes.some((c) => c.caseId === caseId)).toBe(true)
  }, 30_000)

  it('Vertretung: the person or their lead records it, others may not; system reads none', async () => {
    const id = randomUUID()
    const body = {
      userId: 'u-kschroeder',
      substituteId: 'u-tgrossmann',
      from: '2026-12-01',
      until: '2026-12-05',
    }
    expect(
      (await o.call(`/office/v1/absences/${id}`, { method: 'PUT', user: 'u-jweiss', json: body }))
        .status,
    ).toBe(403)
    expect(
      (
        await o.call(`/office/v1/absences/${id}`, {
          method: 'PUT',
          user: 'u-hjuengling',
          json: body,
        })
      ).status,
    ).toBe(403)
    expect(
      (await o.call(`/office/v1/absences/${id}`, { method: 'PUT', user: 'u-sbaeumer', json: body }))
        .status,
    ).toBe(204)
    expect(
      (await o.call(`/office/v1/absences/${id}`, { method: 'PUT', user: 'u-sbaeumer', json: body }))
        .status,
    ).toBe(204)
    const bad = await o.call(`/office/v1/absences/${id}`, {
      method: 'PUT',
      user: 'u-sbaeumer',
      json: { ...body, until: '2026-11-01' },
    })
    expect(bad.status).toBe(400)
    const list = (await (await o.call('/office/v1/absences', { user: 'u-tgrossmann' })).json()) as {
      absences: unknown[]
    }
    expect(list.absences).toContainEqual({ absenceId: id, ...body, by: 'u-sbaeumer' })
    const ordnung = (await (
      await o.call('/office/v1/absences', { user: 'u-lkoehler' })
    ).json()) as { absences: { absenceId: string }[] }
    expect(ordnung.absences.some((a) => a.absenceId === id)).toBe(false)
    expect((await o.call('/office/v1/absences')).status).toBe(403)
  })
})
