// The Anhörung (§ 28 VwVfG) as a letter through the Rückkanal (issue #16 point 3): rendered,
// filed, delivered to the applicant's portal like the Nachforderung and recorded on the decision.
import { compactDecrypt, exportJWK, generateKeyPair } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createRng,
  generateApplication,
  loadProcedures,
  submitApplication,
  type Sender,
} from '../../../hub/seed/seed'
import { type Desk } from '../../desk'
import { startPortalRig, type PortalRig } from '../../../testing/sync/portalRig'
import { manualClock } from '../../core/clock'

describe('Anhörung über den Rückkanal', () => {
  let desk: Desk
  let sender: Sender
  let rig: PortalRig
  const clock = manualClock('2026-11-24T09:00:00Z')
  const wohngeld = loadProcedures().find((p) => p.id === 'wohngeld')!
  let applicant: Awaited<ReturnType<typeof generateKeyPair>>
  beforeAll(async () => {
    applicant = await generateKeyPair('RSA-OAEP-256', { modulusLength: 2048, extractable: true })
    rig = await startPortalRig('hearing', clock)
    ;({ desk, sender } = rig)
  }, 60_000)
  afterAll(() => rig.close())
  const call = <T>(m: string, input: unknown) => rig.call<T>(m, input)
  const portal = <T>(path: string, method?: string) => rig.portal<T>(path, method)

  it('the Anhörung reaches the portal encrypted and is recorded on the decision', async () => {
    const jwk = { ...(await exportJWK(applicant.publicKey)), kid: 'applicant-hearing' }
    const original = await generateApplication(wohngeld, createRng('hearing:1'), clock.now(), 1)
    const { caseId: hubCaseId } = await submitApplication(sender, original, {
      metadata: (m) => ({ ...m, replyChannel: { fitConnect: { encryptionPublicKey: jwk } } }),
    })
    await call('sync.run', {})
    const { rows } = await call<{ rows: { id: string }[] }>('cases.list', { view: 'alle' })
    const c = rows[0]!
    desk.session.adopt('u-jweiss')
    await call('casework.take', { id: c.id })
    await call('casework.setStatus', { id: c.id, to: 'in_bearbeitung' })
    const points = ['Das Einkommen übersteigt die Höchstgrenze', 'Die Miete ist nicht belegt']

    // no intended decision yet: the letter cannot name it
    const none = await desk.dispatch('decisions.hearing', {
      id: c.id,
      points,
      deadline: '2026-12-11',
    })
    expect(none.ok).toBe(false)
    if (!none.ok) expect(none.error.message).toMatch(/beabsichtigte Entscheidung/)

    await call('decisions.decide', {
      id: c.id,
      outcome: 'abgelehnt',
      fields: {},
      reasons: 'Zu hoch.',
    })
    await call('sync.run', {})
    const before = await call<{ missing: { code: string }[] }>('decisions.get', { id: c.id })
    expect(before.missing.map((m) => m.code)).toContain('HEARING_MISSING')

    // at least two weeks from today (24.11.2026), and a real calendar date
    const short = await desk.dispatch('decisions.hearing', {
      id: c.id,
      points,
      deadline: '2026-12-07',
    })
    expect(short.ok).toBe(false)
    if (!short.ok) expect(short.error.message).toMatch(/mindestens zwei Wochen.*08\.12\.2026/)
    const unreal = await desk.dispatch('decisions.hearing', {
      id: c.id,
      points,
      deadline: '2026-02-30',
    })
    expect(unreal.ok).toBe(false)
    if (!unreal.ok) expect(JSON.stringify(unreal.error)).toMatch(/Dieses Datum gibt es nicht/)
    const empty = await desk.dispatch('decisions.hearing', {
      id: c.id,
      points: [],
      deadline: '2026-12-08',
    })
    expect(empty.ok).toBe(false)

    const sent = await call<{ documentId: string; mutationId: string }>('decisions.hearing', {
      id: c.id,
      points,
      deadline: '2026-12-08',
    })
    // the returned id is the queued decision (case.decide), after the letter's case.document
    const queued = await call<{ entries: { mutationId: string; type: string; caseId: string }[] }>(
      'sync.outbox',
      { states: ['pending'] },
    )
    expect(queued.entries.filter((e) => e.caseId === c.id).map((e) => e.type)).toEqual([
      'case.document',
      'case.decide',
    ])
    expect(queued.entries.find((e) => e.mutationId === sent.mutationId)?.type).toBe('case.decide')
    // the office takes the hearing with the decision's own mutation (case.decide)
    const run = await call<{ outbox: { sent: number; conflicts: number; rejected: number } }>(
      'sync.run',
      {},
    )
    // (the letter as a case.document first, then the decision naming it)
    expect(run.outbox).toMatchObject({ sent: 2, conflicts: 0, rejected: 0 })

    const list = await portal<{ replies: { replyId: string }[] }>(`/v2/replies?caseId=${hubCaseId}`)
    expect(list.replies).toHaveLength(1)
    const r = await portal<{ encryptedData: string }>(`/v2/replies/${list.replies[0]!.replyId}`)
    const { plaintext } = await compactDecrypt(r.encryptedData, applicant.privateKey)
    const letter = JSON.parse(new TextDecoder().decode(plaintext)) as {
      kind: string
      filename: string
      content: string
    }
    expect(letter.kind).toBe('anhoerung')
    expect(letter.filename).toMatch(/^Anhoerung-/)
    const pdf = Buffer.from(letter.content, 'base64')
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
    clock.advance(86_400_000)
    await portal(`/v2/replies/${list.replies[0]!.replyId}/accept`, 'POST')
    await call('sync.run', {})

    const detail = await call<{
      documents: { id: string; kind: string; title: string }[]
      history: { action: string; detail: string }[]
    }>('cases.get', { id: c.id })
    expect(detail.documents.filter((d) => d.kind === 'anhoerung')).toEqual([
      expect.objectContaining({ id: sent.documentId, title: 'Anhörung vom 24.11.2026' }),
    ])
    const actions = detail.history.map((h) => h.action)
    expect(actions).toEqual(
      expect.arrayContaining([
        'Anhörung versandt',
        'Anhörung zum Abruf bereitgestellt',
        'Anhörung abgerufen',
      ]),
    )
    expect(detail.history.find((h) => h.action === 'Anhörung versandt')!.detail).toContain(
      'Äußerung bis 08.12.2026',
    )
    const after = await call<{
      decision: { hearing: unknown; outcome: string }
      missing: { code: string }[]
    }>('decisions.get', { id: c.id })
    expect(after.decision.outcome).toBe('abgelehnt')
    expect(after.decision.hearing).toEqual({
      done: true,
      date: '2026-11-24',
      letter: { documentId: sent.documentId, deadline: '2026-12-08', points },
    })
    expect(after.missing.map((m) => m.code)).not.toContain('HEARING_MISSING')

    // saving the form again (it knows only the date) keeps the letter on the hearing
    await call('decisions.decide', {
      id: c.id,
      outcome: 'abgelehnt',
      fields: {},
      reasons: 'Zu hoch, trotz Anhörung.',
      hearing: { done: true, date: '2026-11-24' },
    })
    const again = await call<{ decision: { hearing: { letter?: unknown } } }>('decisions.get', {
      id: c.id,
    })
    expect(again.decision.hearing.letter).toEqual(
      after.decision.hearing && (after.decision.hearing as { letter: unknown }).letter,
    )
  }, 60_000)
})
