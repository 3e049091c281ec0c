import { writeFileSync } from 'node:fs'
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { startDesk, type RunningDesk } from './desk'
import { expect, expectAccessible, keepScreenshot, test } from './fixtures'
import { startSeededHub } from './hub'
import type { Page } from '@playwright/test'

// One hub per test: each desk takes what it accepts; five applications, one per procedure.
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

async function openCaseOf(app: Page, desk: RunningDesk, procedureId: string): Promise<string> {
  const list = await desk.call<{ rows: { id: string }[] }>('cases.list', {
    view: 'alle',
    procedureId,
  })
  const id = list.rows[0]!.id
  await app.goto(`${desk.origin}/#/vorgang/${id}`)
  await expect(app.getByRole('heading', { level: 1 })).toBeVisible()
  return id
}

async function prepareForDecision(app: Page): Promise<void> {
  await app.getByRole('button', { name: 'Übernehmen' }).click()
  await app.getByRole('button', { name: '→ In Bearbeitung' }).click()
  await expect(app.locator('.case-header')).toContainText('In Bearbeitung')
  await app.getByRole('tab', { name: 'Entscheidung' }).click()
}

test('entscheiden, Vorschau, mit Demo-Zertifikat signieren, Bescheid in Dokumente, versandt', async ({
  app,
  desk,
}, testInfo) => {
  const id = await openCaseOf(app, desk, 'kfz')
  await prepareForDecision(app)
  await app.getByLabel('Zulassung', { exact: true }).check()
  await expect(app.getByLabel('Fahrzeug (Hersteller, Typ, FIN) *')).toHaveValue(/FIN/) // prefilled from the application
  await app.getByLabel('Zugeteiltes Kennzeichen *').fill('GR-AF 2026')
  await app.getByLabel('Gebühr nach GebOSt *').fill('26,30')
  await app.getByRole('button', { name: 'Entscheidung speichern' }).click()
  await expect(app.getByRole('heading', { name: 'Entscheidung: Zulassung' })).toBeVisible()
  await expect(app.locator('.case-header')).toContainText('Entschieden')

  await app.getByRole('button', { name: 'Vorschau anzeigen' }).click()
  await expect(app.getByTestId('pdf-page')).toHaveText(/Seite 1 von \d/)
  await keepScreenshot(app, testInfo, 'bescheid-vorschau')

  await app.getByLabel('Passwort des Zertifikats').fill('falsch')
  await app.getByRole('button', { name: 'Signieren und versenden' }).click()
  await expect(app.getByRole('alert').filter({ hasText: 'Passwort' })).toContainText(
    'Das Passwort des Zertifikats ist falsch.',
  )
  await app.getByLabel('Passwort des Zertifikats').fill('demo')
  await app.getByRole('button', { name: 'Signieren und versenden' }).click()
  await expect(app.locator('.case-header')).toContainText('Versandt')
  await expect(app.getByTestId('objection-end')).toHaveText(/\d{2}\.\d{2}\.\d{4}/)
  await expectAccessible(app)

  await app.getByRole('tab', { name: /Dokumente/ }).click()
  await app.getByRole('button', { name: /^Bescheid vom/ }).click()
  await expect(app.getByTestId('pdf-page')).toHaveText(/Seite 1 von \d/)
  await keepScreenshot(app, testInfo, 'bescheid-in-dokumente')

  const detail = await desk.call<{ documents: { id: string; kind: string }[] }>('cases.get', { id })
  const notice = detail.documents.find((d) => d.kind === 'bescheid')!
  const content = await desk.call<{ base64: string }>('cases.document', { id: notice.id })
  const file = join(testInfo.outputDir, 'bescheid.pdf')
  writeFileSync(file, Buffer.from(content.base64, 'base64'))
  expect(execFileSync('pdfsig', [file], { encoding: 'utf8' })).toContain('Signature is Valid.')
})

test('Mitzeichnung: Baugenehmigung wartet auf die Sachgebietsleitung', async ({ app, desk }) => {
  await openCaseOf(app, desk, 'baugenehmigung')
  await prepareForDecision(app)
  await app.getByLabel('Genehmigung', { exact: true }).check()
  await app
    .getByLabel('Nebenbestimmungen (Auflagen, Bedingungen) *')
    .fill('Baubeginn ist zwei Wochen vorher anzuzeigen.')
  await app.getByLabel('Gebühr *').fill('1.250,00')
  await app.getByRole('button', { name: 'Entscheidung speichern' }).click()
  await expect(app.getByText('ausstehend – wartet auf die Sachgebietsleitung')).toBeVisible()
  await expect(app.getByRole('button', { name: 'Signieren und versenden' })).toHaveCount(0)

  await app
    .getByLabel('Angemeldet als')
    .selectOption({ label: 'Sabine Bäumer (Sachgebietsleitung)' })
  await expect(app.getByLabel('Angemeldet als')).toHaveValue('u-sbaeumer')
  await app.getByRole('tab', { name: 'Entscheidung' }).click()
  await app.getByRole('button', { name: 'Mitzeichnen' }).click()
  await expect(app.getByText(/Sabine Bäumer, \d/)).toBeVisible()
  await expect(app.locator('.case-header')).toContainText('Entschieden')
  await app.getByRole('tab', { name: /Verlauf/ }).click()
  await expect(app.getByRole('tabpanel')).toContainText('Mitgezeichnet')
})
