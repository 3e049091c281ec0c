// Issue #13: four eyes by identity at the desk API and on screen. Sign-in goes through the API
// (`session.login {userId, password}`, the demo password is „demo“), the screen follows.
import { startDesk, type RunningDesk } from './desk'
import { appBase, expect, expectAccessible, keepScreenshot, test } from './fixtures'
import { startSeededHub } from './hub'
import type { Page } from '@playwright/test'

test.use({
  desk: async ({}, use) => {
    const { hub, hubConfig } = await startSeededHub(5)
    const desk = await startDesk({
      args: ['--hub', hub.url, '--hub-config', hubConfig, '--no-sync'],
    })
    await desk.call('sync.run')
    await use(desk)
    await desk.stop()
    await hub.close()
  },
})

/** Signs in through the API and lets the open screen show the new session. */
async function signIn(app: Page, desk: RunningDesk, userId: string): Promise<void> {
  await desk.call('session.login', { userId, password: 'demo' })
  await app.reload()
  await expect(app.getByRole('navigation', { name: 'Hauptnavigation' })).toBeVisible()
}

const baugenehmigung = {
  outcome: 'stattgegeben',
  fields: {
    project: 'Errichtung eines Carports',
    siteAddress: 'Weg 1, 02826 Görlitz',
    parcel: 'Gemarkung Görlitz, Flur 3, Flurstück 12/3',
    conditions: ['Baubeginn ist zwei Wochen vorher anzuzeigen.'],
    fee: 1250,
  },
  reasons:
    'Das Vorhaben ist nach § 34 BauGB zulässig; öffentlich-rechtliche Vorschriften stehen nicht entgegen (§ 72 Abs. 1 SächsBO).',
  hearing: { done: true, date: '2026-11-10' },
}

test('die Sachgebietsleitung zeichnet die Baugenehmigung der Sachbearbeitung mit; die eigene Entscheidung kann niemand mitzeichnen', async ({
  app,
  desk,
}, testInfo) => {
  // a wrong password is refused in German, nobody is signed in by it
  await expect(
    desk.call('session.login', { userId: 'u-hjuengling', password: 'falsch' }),
  ).rejects.toThrow(/401/)

  // Lukas Köhler (Sachbearbeitung Ordnung, Verkehr und Bau) decides the Baugenehmigung
  await signIn(app, desk, 'u-lkoehler')
  const list = await desk.call<{ rows: { id: string }[] }>('cases.list', {
    view: 'alle',
    procedureId: 'baugenehmigung',
  })
  const id = list.rows[0]!.id
  await desk.call('casework.take', { id })
  await desk.call('casework.setStatus', { id, to: 'in_bearbeitung' })
  await desk.call('decisions.decide', { id, ...baugenehmigung })
  expect((await desk.call<{ status: string }>('cases.get', { id })).status).toBe(
    'entscheidungsreif',
  )

  // the clerk cannot co-sign their own decision: no button, no inbox, and the API refuses (403)
  await app.goto(`${appBase(app)}#/vorgang/${id}/entscheidung`)
  await expect(app.getByTestId('cosign-state')).toHaveText(
    'ausstehend – wartet auf die Sachgebietsleitung',
  )
  await expect(app.getByRole('button', { name: 'Mitzeichnen' })).toHaveCount(0)
  await expect(app.getByRole('link', { name: /Mitzeichnung/ })).toHaveCount(0)
  await expect(desk.call('decisions.cosign', { id })).rejects.toThrow(/403 .*Sachgebietsleitung/)

  // the lead of the other team is no co-signer for it either
  await signIn(app, desk, 'u-sbaeumer')
  await expect(desk.call('decisions.cosign', { id })).rejects.toThrow(
    /403 .*Sachgebiet Ordnung, Verkehr und Bau/,
  )

  // Heike Jüngling (Sachgebietsleitung Ordnung, Verkehr und Bau) co-signs from her inbox
  await signIn(app, desk, 'u-hjuengling')
  await expect(app.getByTestId('cosign-count')).toHaveText('1')
  await app.getByRole('link', { name: /Mitzeichnung/ }).click()
  const row = app.getByTestId('cosign-row')
  await expect(row).toContainText('Genehmigung')
  await expect(row).toContainText('Lukas Köhler')
  await row.getByRole('button', { name: /^Prüfen/ }).click()
  await app.getByLabel('Anmerkung zur Mitzeichnung (optional)').fill('Geprüft.')
  await expectAccessible(app)
  await keepScreenshot(app, testInfo, 'rechte-mitzeichnung')
  await app.getByRole('button', { name: 'Mitzeichnen' }).click()
  await expect(app.getByText('Keine Entscheidung wartet auf Ihre Mitzeichnung.')).toBeVisible()
  await app.goto(`${appBase(app)}#/vorgang/${id}/entscheidung`)
  await expect(app.getByTestId('cosign-state')).toContainText(/Heike Jüngling/)
  await expect(app.locator('.case-header')).toContainText('Entschieden')
  const view = await desk.call<{
    decision: { decidedById: string; cosignedBy: string | null }
  }>('decisions.get', { id })
  expect(view.decision).toMatchObject({ decidedById: 'u-lkoehler', cosignedBy: 'Heike Jüngling' })
})

test('die Sachgebietsleitung kann die eigene Entscheidung nicht mitzeichnen', async ({
  app,
  desk,
}) => {
  await signIn(app, desk, 'u-hjuengling')
  const list = await desk.call<{ rows: { id: string }[] }>('cases.list', {
    view: 'alle',
    procedureId: 'baugenehmigung',
  })
  const id = list.rows[0]!.id
  await desk.call('casework.take', { id })
  await desk.call('casework.setStatus', { id, to: 'in_bearbeitung' })
  await desk.call('decisions.decide', { id, ...baugenehmigung })
  await app.goto(`${appBase(app)}#/vorgang/${id}/entscheidung`)
  await expect(app.getByTestId('cosign-state')).toHaveText(
    'ausstehend – wartet auf die Sachgebietsleitung',
  )
  await expect(app.getByRole('button', { name: 'Mitzeichnen' })).toHaveCount(0)
  await expect(desk.call('decisions.cosign', { id })).rejects.toThrow(/403 .*Vier-Augen-Prinzip/)
})
