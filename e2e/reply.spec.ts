// Rückkanal end to end (issue #16 acceptance): the clerk signs a Wohngeld notice for the portal
// while the hub is down; after reconnect it is delivered exactly once; a test helper acting as the
// applicant's portal lists, fetches, decrypts and confirms retrieval; the case shows the
// Bekanntgabe (retrieval + 1 day, moved off weekends/holidays by the engine) and the objection
// end. A second notice nobody retrieves within ten days (test clock) lands in the Postausgang.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { compactDecrypt, importJWK } from 'jose'
import type { Page } from '@playwright/test'
import { startHub, type RunningHub } from '../hub/server'
import {
  createRng,
  createSender,
  generateApplication,
  loadProcedures,
  portalKeyAt,
  submitApplication,
  type PortalKey,
  type Sender,
} from '../hub/seed/seed'
import { bekanntgabe } from '../main/lib/deadlines'
import { startDesk, type RunningDesk } from './desk'
import { appBase, expect, expectAccessible, keepScreenshot, test } from './fixtures'

const berlinToday = (d = new Date()) =>
  new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Berlin' }).format(d)
const de = (iso: string) => iso.split('-').reverse().join('.')

async function portalApplicants(hub: RunningHub, key: PortalKey): Promise<Sender> {
  const s = hub.config.clients.find((c) => c.role === 'sender')!
  const sender = await createSender({
    hubUrl: hub.url,
    clientId: s.clientId,
    clientSecret: s.clientSecret,
    destinationId: hub.config.destinations[0]!.destinationId,
  })
  const wohngeld = loadProcedures().find((p) => p.id === 'wohngeld')!
  for (const i of [1, 2]) {
    const app = await generateApplication(
      wohngeld,
      createRng(`e2e-reply:${i}`),
      new Date(),
      800 + i,
    )
    await submitApplication(sender, app, {
      metadata: (m) => ({
        ...m,
        replyChannel: { fitConnect: { encryptionPublicKey: key.publicJwk } },
      }),
    })
  }
  return sender
}

async function portal<T>(sender: Sender, path: string, method = 'GET'): Promise<T> {
  const r = await sender.request(path, { method })
  expect(r.status, await r.clone().text()).toBeLessThan(300)
  return (r.status === 204 ? undefined : await r.json()) as T
}

async function openDecision(page: Page, id: string): Promise<void> {
  await page.goto(`${appBase(page)}#/vorgang/${id}`)
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible()
  await page.getByRole('tab', { name: 'Entscheidung' }).click()
}

test('Rückkanal: offline signiert, einmal zugestellt, abgerufen → Bekanntgabe; nicht abgerufen → Postausgang', async ({
  page,
}, testInfo) => {
  test.setTimeout(180_000)
  const hubDir = mkdtempSync(join(tmpdir(), 'aktenfluss-reply-hub-'))
  const hub = await startHub({ dataDir: hubDir })
  let desk: RunningDesk | undefined
  try {
    const key = await portalKeyAt(join(hubDir, 'portal-key.json'))
    const sender = await portalApplicants(hub, key)
    const args = ['--hub', hub.url, '--hub-config', join(hubDir, 'hub.json'), '--no-sync']
    desk = await startDesk({ args })
    await desk.call('sync.run')
    const { rows } = await desk.call<{ rows: { id: string }[] }>('cases.list', {
      view: 'alle',
      procedureId: 'wohngeld',
    })
    expect(rows).toHaveLength(2)
    const [first, second] = rows.map((r) => r.id) as [string, string]

    // 1. the clerk decides and signs for the portal – with the hub down
    await page.goto(desk.url)
    await openDecision(page, first)
    await page.getByRole('button', { name: 'Übernehmen' }).click()
    await page.getByRole('button', { name: '→ In Bearbeitung' }).click()
    await expect(page.locator('.case-header')).toContainText('In Bearbeitung')
    await page.getByRole('tab', { name: 'Entscheidung' }).click()
    await page.getByLabel('Bewilligung', { exact: true }).check()
    await page.getByLabel('Monatliches Wohngeld *').fill('212,50')
    await page.getByRole('button', { name: 'Entscheidung speichern' }).click()
    await expect(page.getByRole('heading', { name: 'Entscheidung: Bewilligung' })).toBeVisible()
    hub.setFaults({ errorRate: 1 })
    await page.getByLabel('Passwort des Zertifikats').fill('demo')
    await page.getByLabel('Portal (Bekanntgabe am Tag nach dem Abruf)').check()
    await page.getByRole('button', { name: 'Weiter zur Zusammenfassung' }).click()
    await page.getByRole('button', { name: 'Jetzt signieren und versenden' }).click()
    await expect(page.locator('.case-header')).toContainText('Versandt')
    await desk.call('sync.run')
    await expect(page.getByTestId('reply-state')).toContainText('Bescheid:')
    hub.setFaults(false)
    expect((await portal<{ totalCount: number }>(sender, '/v2/replies')).totalCount).toBe(0)

    // 2. back online: delivered exactly once, however often the desk syncs
    await desk.call('sync.run')
    await desk.call('sync.run')
    const listed = await portal<{ replies: { replyId: string; status: string }[] }>(
      sender,
      '/v2/replies',
    )
    expect(listed.replies).toHaveLength(1)
    const delivered = berlinToday()
    await expect(page.getByTestId('reply-state')).toContainText(
      `zugestellt über FIT-Connect am ${de(delivered)}; noch nicht abgerufen`,
    )

    // 3. the portal fetches, decrypts with the applicant's (portal's) key and confirms retrieval
    const replyId = listed.replies[0]!.replyId
    const reply = await portal<{ encryptedData: string }>(sender, `/v2/replies/${replyId}`)
    const privateKey = await importJWK(key.privateJwk, 'RSA-OAEP-256')
    const { plaintext } = await compactDecrypt(reply.encryptedData, privateKey)
    const letter = JSON.parse(new TextDecoder().decode(plaintext)) as {
      kind: string
      content: string
    }
    expect(letter.kind).toBe('bescheid')
    expect(Buffer.from(letter.content, 'base64').subarray(0, 5).toString()).toBe('%PDF-')
    await portal(sender, `/v2/replies/${replyId}/accept`, 'POST')
    const retrieved = berlinToday()
    await desk.call('sync.run')

    const expected = bekanntgabe({
      dispatchDate: delivered,
      channel: 'portal',
      retrievalDate: retrieved,
    })
    expect(expected.deliveredOn).not.toBeNull()
    const summary = page.locator('.decision-summary')
    await expect(page.getByTestId('reply-state')).toContainText(
      `zugestellt über FIT-Connect am ${de(delivered)}, abgerufen am ${de(retrieved)}`,
    )
    await expect(summary).toContainText(de(expected.deliveredOn!))
    await expect(page.getByTestId('objection-end')).toHaveText(de(expected.objectionPeriodEnd!))
    await expectAccessible(page)
    await keepScreenshot(page, testInfo, 'rueckkanal-abgerufen')

    // 4. a second notice for the portal, never retrieved
    await desk.call('casework.take', { id: second })
    await desk.call('casework.setStatus', { id: second, to: 'in_bearbeitung' })
    const d = await desk.call<{ prefill: Record<string, string> }>('decisions.get', { id: second })
    await desk.call('decisions.decide', {
      id: second,
      outcome: 'stattgegeben',
      fields: {
        monthlyAmount: 187.5,
        periodFrom: d.prefill['periodFrom'] ?? '2027-01-01',
        periodTo: d.prefill['periodTo'] ?? '2027-12-31',
      },
      reasons: 'Die Voraussetzungen nach §§ 3 ff. WoGG liegen vor.',
    })
    await desk.call('notices.issue', {
      id: second,
      certificate: 'seal',
      password: 'demo',
      channel: 'portal',
    })
    await desk.call('sync.run')
    expect((await portal<{ totalCount: number }>(sender, '/v2/replies')).totalCount).toBe(2)
    await desk.stop()

    // eleven days later (the test clock): the window has passed
    const later = new Date(Date.now() + 11 * 86_400_000)
    desk = await startDesk({
      dataDir: desk.dataDir,
      args,
      env: { AKTENFLUSS_TEST_NOW: later.toISOString() },
    })
    await desk.call('sync.run')
    await page.goto(desk.url)
    await openDecision(page, second)
    await expect(page.getByTestId('reply-state')).toContainText('nicht abgerufen – per Post')
    await page.getByRole('link', { name: /Postausgang/ }).click()
    await expect(page.getByRole('heading', { name: 'Postausgang', level: 1 })).toBeVisible()
    const row = page.getByTestId('post-row')
    await expect(row).toHaveCount(1)
    await expect(row).toContainText('im Portal nicht abgerufen, jetzt per Post')
    await expect(row).toContainText(de(berlinToday(later)))
    await expectAccessible(page)
    await keepScreenshot(page, testInfo, 'rueckkanal-postausgang')
  } finally {
    await desk?.stop()
    await hub.close()
  }
})

test('Demo (`npm start`): ein Bescheid im Portal abgerufen, einer nicht abgerufen und im Postausgang', async ({
  page,
}, testInfo) => {
  test.setTimeout(150_000)
  const desk = await startDesk({ entry: 'out/main/start-demo.js' })
  try {
    await page.goto(desk.url)
    await page.getByRole('link', { name: /Postausgang/ }).click()
    const row = page.getByTestId('post-row')
    await expect(row).toHaveCount(1)
    await expect(row).toContainText('im Portal nicht abgerufen, jetzt per Post')
    await expectAccessible(page)
    await keepScreenshot(page, testInfo, 'demo-postausgang')
    await row.getByRole('link').click()
    await expect(page.getByTestId('reply-state')).toContainText('nicht abgerufen – per Post')
    const list = await desk.call<{ rows: { id: string }[] }>('cases.list', {
      view: 'alle',
      procedureId: 'wohngeld',
      status: 'versandt',
    })
    const states = await Promise.all(
      list.rows.map(async (r) =>
        (await desk.call<{ replies: { state: string }[] }>('decisions.get', { id: r.id })).replies
          .map((x) => x.state)
          .join(),
      ),
    )
    expect(states.sort()).toEqual(['not_retrieved', 'retrieved'])
  } finally {
    await desk.stop()
  }
})
