// The Anhörung (§ 28 VwVfG) from the decision pane: the clerk saves the intended rejection, writes
// the points to comment on, sends the letter; it is filed, recorded on the decision and reaches
// the applicant's portal through the Rückkanal (kind anhoerung).
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { compactDecrypt, importJWK } from 'jose'
import { startHub } from '../hub/server'
import {
  createRng,
  createSender,
  generateApplication,
  loadProcedures,
  portalKeyAt,
  submitApplication,
} from '../hub/seed/seed'
import { startDesk, type RunningDesk } from './desk'
import { appBase, expect, expectAccessible, test } from './fixtures'

test('Anhörungsschreiben: erstellt, an der Entscheidung vermerkt, über den Rückkanal zugestellt', async ({
  page,
}) => {
  test.setTimeout(180_000)
  const hubDir = mkdtempSync(join(tmpdir(), 'aktenfluss-hearing-hub-'))
  const hub = await startHub({ dataDir: hubDir })
  let desk: RunningDesk | undefined
  try {
    const key = await portalKeyAt(join(hubDir, 'portal-key.json'))
    const s = hub.config.clients.find((c) => c.role === 'sender')!
    const sender = await createSender({
      hubUrl: hub.url,
      clientId: s.clientId,
      clientSecret: s.clientSecret,
      destinationId: hub.config.destinations[0]!.destinationId,
    })
    const wohngeld = loadProcedures().find((p) => p.id === 'wohngeld')!
    const app = await generateApplication(wohngeld, createRng('e2e-hearing'), new Date(), 901)
    await submitApplication(sender, app, {
      metadata: (m) => ({
        ...m,
        replyChannel: { fitConnect: { encryptionPublicKey: key.publicJwk } },
      }),
    })
    const args = ['--hub', hub.url, '--hub-config', join(hubDir, 'hub.json'), '--no-sync']
    desk = await startDesk({ args })
    await desk.call('sync.run')
    const { rows } = await desk.call<{ rows: { id: string }[] }>('cases.list', { view: 'alle' })
    const id = rows[0]!.id
    await desk.call('casework.take', { id })
    await desk.call('casework.setStatus', { id, to: 'in_bearbeitung' })
    await desk.call('decisions.decide', {
      id,
      outcome: 'abgelehnt',
      fields: {},
      reasons: 'Das Einkommen übersteigt die Grenze.',
    })

    await page.goto(desk.url)
    await page.goto(`${appBase(page)}#/vorgang/${id}`)
    await page.getByRole('tab', { name: 'Entscheidung' }).click()
    await page.getByRole('button', { name: 'Anhörungsschreiben erstellen' }).click()
    await page
      .getByLabel(/Punkte, zu denen sich die antragstellende Person äußern kann/)
      .fill('Das Einkommen übersteigt die Höchstgrenze\nDie Miete ist nicht belegt')
    await expectAccessible(page)
    await page.getByRole('button', { name: 'Anhörungsschreiben versenden' }).click()
    await expect(
      page.getByRole('status').filter({ hasText: 'Anhörungsschreiben ist erstellt' }),
    ).toBeVisible()
    await expect(page.locator('.decision-summary')).toContainText(
      'Anhörungsschreiben, Äußerung bis',
    )

    await desk.call('sync.run')
    const listed = (await (await sender.request('/v2/replies', { method: 'GET' })).json()) as {
      replies: { replyId: string }[]
    }
    expect(listed.replies).toHaveLength(1)
    const reply = (await (
      await sender.request(`/v2/replies/${listed.replies[0]!.replyId}`, { method: 'GET' })
    ).json()) as { encryptedData: string }
    const { plaintext } = await compactDecrypt(
      reply.encryptedData,
      await importJWK(key.privateJwk, 'RSA-OAEP-256'),
    )
    expect((JSON.parse(new TextDecoder().decode(plaintext)) as { kind: string }).kind).toBe(
      'anhoerung',
    )
  } finally {
    await desk?.stop()
    await hub.close()
  }
})
