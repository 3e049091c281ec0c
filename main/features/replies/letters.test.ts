// Letters through the Rückkanal (issue #16 point 4): the Nachforderung goes to the applicant's
// portal like the Bescheid; the applicant's answer is a submission into the same FIT-Connect case
// and joins the case by that reference (not by the portal reference).
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

describe('Nachforderung über den Rückkanal', () => {
  let desk: Desk
  let sender: Sender
  let rig: PortalRig
  const clock = manualClock('2026-11-24T09:00:00Z')
  const wohngeld = loadProcedures().find((p) => p.id === 'wohngeld')!
  let applicant: Awaited<ReturnType<typeof generateKeyPair>>
  beforeAll(async () => {
    applicant = await generateKeyPair('RSA-OAEP-256', { modulusLength: 2048, extractable: true })
    rig = await startPortalRig('letters', clock)
    ;({ desk, sender } = rig)
  }, 60_000)
  afterAll(() => rig.close())
  const call = <T>(m: string, input: unknown) => rig.call<T>(m, input)
  const portal = <T>(path: string, method?: string) => rig.portal<T>(path, method)

  it('the letter reaches the portal encrypted; the answer in the same caseId joins the case', async () => {
    const jwk = { ...(await exportJWK(applicant.publicKey)), kid: 'applicant-letters' }
    const original = await generateApplication(wohngeld, createRng('letters:1'), clock.now(), 1)
    const { caseId: hubCaseId } = await submitApplication(sender, original, {
      metadata: (m) => ({ ...m, replyChannel: { fitConnect: { encryptionPublicKey: jwk } } }),
    })
    await call('sync.run', {})
    const { rows } = await call<{ rows: { id: string }[] }>('cases.list', { view: 'alle' })
    const c = rows[0]!
    desk.session.adopt('u-jweiss')
    await call('casework.take', { id: c.id })
    await call('casework.setStatus', { id: c.id, to: 'in_bearbeitung' })
    await call('casework.requestDocuments', {
      id: c.id,
      items: ['Mietbescheinigung'],
      deadline: '2026-12-11',
    })
    await call('sync.run', {})

    const list = await portal<{ replies: { replyId: string }[] }>(`/v2/replies?caseId=${hubCaseId}`)
    expect(list.replies).toHaveLength(1)
    const r = await portal<{ encryptedData: string }>(`/v2/replies/${list.replies[0]!.replyId}`)
    const { plaintext } = await compactDecrypt(r.encryptedData, applicant.privateKey)
    const letter = JSON.parse(new TextDecoder().decode(plaintext)) as {
      kind: string
      filename: string
      content: string
    }
    expect(letter.kind).toBe('nachforderung')
    expect(letter.filename).toMatch(/^Nachforderung-/)
    expect(Buffer.from(letter.content, 'base64').subarray(0, 5).toString()).toBe('%PDF-')
    clock.advance(86_400_000)
    await portal(`/v2/replies/${list.replies[0]!.replyId}/accept`, 'POST')

    // the answer: another portal reference, the same FIT-Connect case
    const answer = await generateApplication(wohngeld, createRng('letters:2'), clock.now(), 2)
    expect(answer.senderReference).not.toBe(original.senderReference)
    answer.attachments = [
      {
        ...answer.attachments[0]!,
        filename: 'Mietbescheinigung.pdf',
        description: 'Mietbescheinigung',
        purpose: 'attachment',
      },
    ]
    const sent = await submitApplication(sender, answer, {}, { caseId: hubCaseId })
    expect(sent.caseId).toBe(hubCaseId)
    const run = await call<{ intake: { accepted: number } }>('sync.run', {})
    expect(run.intake.accepted).toBe(1)

    expect((await call<{ total: number }>('cases.list', { view: 'alle' })).total).toBe(1)
    const detail = await call<{
      status: string
      documents: { kind: string; title: string }[]
      history: { action: string }[]
    }>('cases.get', { id: c.id })
    expect(detail.status).toBe('in_bearbeitung')
    expect(detail.documents.filter((d) => d.kind === 'nachreichung').map((d) => d.title)).toEqual([
      'Mietbescheinigung',
    ])
    expect(detail.history.map((h) => h.action)).toEqual(
      expect.arrayContaining([
        'Nachforderung zum Abruf bereitgestellt',
        'Nachforderung abgerufen',
        'Unterlagen nachgereicht',
      ]),
    )
  }, 60_000)
})
