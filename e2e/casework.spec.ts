import type { Locator, Page } from '@playwright/test'
import { startDesk } from './desk'
import { expect, expectAccessible, keepScreenshot, test } from './fixtures'
import { startSeededHub, submitApplicant } from './hub'

// Each test gets its own hub: a desk accepts what it takes in, so the next desk would find nothing.
test.use({
  desk: async ({}, use) => {
    const { hub, hubConfig } = await startSeededHub(4)
    await submitApplicant(hub, { vorname: 'Käthe', nachname: 'Müller' })
    const desk = await startDesk({
      args: ['--hub', hub.url, '--hub-config', hubConfig, '--no-sync'],
    })
    await desk.call('sync.run')
    await use(desk)
    await desk.stop()
    await hub.close()
  },
})

/** Keyboard only: presses Tab until the target has focus (fails after `max` presses). */
async function tabTo(page: Page, target: Locator, max = 60): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return
    await page.keyboard.press('Tab')
  }
  throw new Error(`Mit Tab nicht erreichbar: ${target.toString()}`)
}

/** Types a date into a native date field by keyboard; the segment order follows the browser's UI locale. */
async function typeDate(
  page: Page,
  field: Locator,
  day: string,
  month: string,
  year: string,
): Promise<void> {
  await tabTo(page, field)
  await page.keyboard.type(`${day}${month}${year}`)
  if ((await field.inputValue()) === `${year}-${month}-${day}`) return
  // Tab moves between the field's segments: back to the first one, then the en-US order.
  await page.keyboard.press('Shift+Tab')
  await page.keyboard.press('Shift+Tab')
  await page.keyboard.type(`${month}${day}${year}`)
  expect(await field.inputValue()).toBe(`${year}-${month}-${day}`)
}

test('Sachbearbeitung: suchen, PDF lesen, Vermerk, Wiedervorlage, Nachforderung, Status', async ({
  app,
}, testInfo) => {
  await app.getByRole('link', { name: 'Suche' }).click()
  await app.getByLabel('Aktenzeichen, Name, Adresse oder Text').fill('mueller')
  await app.getByRole('button', { name: 'Suchen' }).click()
  const hit = app.getByTestId('search-hit').filter({ hasText: 'Käthe Müller' })
  await expect(hit).toHaveCount(1)
  await expect(hit.locator('mark').first()).toHaveText('Müller')
  await keepScreenshot(app, testInfo, 'suche')
  await hit.click()

  await expect(app.getByRole('heading', { level: 1 })).toContainText('Baugenehmigung')
  await expect(app.getByRole('tabpanel')).toContainText('Vorname')
  await app.getByRole('tab', { name: /Dokumente/ }).click()
  await app.getByRole('button', { name: /PDF-Darstellung des Antrags/ }).click()
  await expect(app.getByTestId('pdf-page')).toHaveText('Seite 1 von 2')
  await app.getByRole('button', { name: 'Nächste Seite ›' }).click()
  await expect(app.getByTestId('pdf-page')).toHaveText('Seite 2 von 2')
  await expect(app.getByTestId('pdf-canvas')).toHaveAttribute('data-page', '2')
  await keepScreenshot(app, testInfo, 'pdf-viewer')

  await app.getByRole('button', { name: 'Übernehmen' }).click()
  await expect(app.getByText('Jörg Weiß', { exact: true })).toBeVisible()

  await app.getByRole('button', { name: 'Vermerk' }).click()
  await app
    .getByLabel('Vermerk', { exact: true })
    .fill('Bauvorlageberechtigung telefonisch bestätigt.')
  await app.getByRole('button', { name: 'Speichern' }).click()
  await app.getByRole('tab', { name: /Vermerke/ }).click()
  await expect(app.getByRole('tabpanel')).toContainText(
    'Bauvorlageberechtigung telefonisch bestätigt.',
  )

  await app.getByRole('button', { name: 'Wiedervorlage' }).click()
  await app.getByLabel('Wiedervorlage am').fill('2027-01-15')
  await app.getByRole('button', { name: 'Wiedervorlage setzen' }).click()
  await expect(app.locator('.case-header')).toContainText('15.01.2027')

  await app.getByRole('button', { name: '→ In Bearbeitung' }).click()
  await expect(app.locator('.case-header')).toContainText('In Bearbeitung')

  await app.getByRole('button', { name: 'Unterlagen nachfordern' }).click()
  await app.getByLabel('Standsicherheitsnachweis').check()
  await app.getByRole('button', { name: 'Nachforderung erstellen' }).click()
  await expect(app.locator('.case-header')).toContainText('Nachforderung')
  await app.getByRole('tab', { name: /Dokumente/ }).click()
  await expect(app.getByRole('button', { name: /^Nachforderung vom/ })).toBeVisible()

  await app.getByRole('tab', { name: /Verlauf/ }).click()
  for (const step of [
    'Eingang über den Hub',
    'Übernommen',
    'Vermerk angelegt',
    'Wiedervorlage zum 15.01.2027',
    'Status: Eingegangen → In Bearbeitung',
    'Unterlagen nachgefordert',
  ])
    await expect(app.getByRole('tabpanel')).toContainText(step)
  await expectAccessible(app)
  await keepScreenshot(app, testInfo, 'vorgang-verlauf')
})

test('dieselbe Arbeit nur mit der Tastatur', async ({ app }) => {
  await app.keyboard.press('/')
  const input = app.getByLabel('Aktenzeichen, Name, Adresse oder Text')
  await expect(input).toBeFocused()
  await app.keyboard.type('mueller')
  await app.keyboard.press('Enter')
  const hit = app.getByTestId('search-hit').filter({ hasText: 'Käthe Müller' })
  await tabTo(app, hit)
  await app.keyboard.press('Enter')
  await expect(app.getByRole('heading', { level: 1 })).toContainText('Baugenehmigung')

  await tabTo(app, app.getByRole('tab', { name: 'Antrag' }))
  await app.keyboard.press('ArrowRight')
  await expect(app.getByRole('tab', { name: /Dokumente/ })).toBeFocused()
  await tabTo(app, app.getByRole('button', { name: /PDF-Darstellung des Antrags/ }))
  await app.keyboard.press('Enter')
  await expect(app.getByTestId('pdf-page')).toHaveText('Seite 1 von 2')
  await tabTo(app, app.getByRole('button', { name: 'Nächste Seite ›' }))
  await app.keyboard.press('Enter')
  await expect(app.getByTestId('pdf-page')).toHaveText('Seite 2 von 2')

  await app.keyboard.press('Shift+Tab') // leave the viewer; actions sit above the tabs
  await tabTo(app, app.getByRole('button', { name: 'Übernehmen' }), 80)
  await app.keyboard.press('Enter')
  await tabTo(app, app.getByRole('button', { name: 'Vermerk' }))
  await app.keyboard.press('Enter')
  await tabTo(app, app.getByLabel('Vermerk', { exact: true }))
  await app.keyboard.type('Per Tastatur erfasst.')
  await tabTo(app, app.getByRole('button', { name: 'Speichern' }))
  await app.keyboard.press('Enter')
  await expect(app.getByRole('tab', { name: /Vermerke \(1\)/ })).toBeVisible()

  await tabTo(app, app.getByRole('button', { name: 'Wiedervorlage' }))
  await app.keyboard.press('Enter')
  await typeDate(app, app.getByLabel('Wiedervorlage am'), '15', '01', '2027')
  await tabTo(app, app.getByRole('button', { name: 'Wiedervorlage setzen' }))
  await app.keyboard.press('Enter')
  await expect(app.locator('.case-header')).toContainText('15.01.2027')

  await tabTo(app, app.getByRole('button', { name: '→ In Bearbeitung' }))
  await app.keyboard.press('Enter')
  await expect(app.locator('.case-header')).toContainText('In Bearbeitung')
  await tabTo(app, app.getByRole('button', { name: 'Unterlagen nachfordern' }))
  await app.keyboard.press('Enter')
  await tabTo(app, app.getByLabel('Lageplan'))
  await app.keyboard.press('Space')
  await tabTo(app, app.getByRole('button', { name: 'Nachforderung erstellen' }))
  await app.keyboard.press('Enter')
  await expect(app.locator('.case-header')).toContainText('Nachforderung')
  await expectAccessible(app)
})
