import { startDesk } from './desk'
import {
  expect,
  expectAccessible,
  expectFocusKept,
  keepScreenshot,
  switchUser,
  tabTo,
  test,
} from './fixtures'
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

  // a Baugenehmigung belongs to team-ordnung (main/core/rights.ts)
  await switchUser(app, 'u-lkoehler', 'Lukas Köhler (Sachbearbeitung)')
  await app.getByRole('button', { name: 'Übernehmen' }).click()
  await expect(app.getByText('Lukas Köhler', { exact: true })).toBeVisible()

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
  await app.getByLabel('Wiedervorlage am').fill('15.01.2027')
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

test('dieselbe Arbeit nur mit der Tastatur', async ({ app, desk }, testInfo) => {
  // the Baugenehmigung below belongs to team-ordnung: Lukas Köhler works on it (not the subject here)
  await desk.call('session.login', { userId: 'u-lkoehler', password: 'demo' })
  await app.reload()
  await expect(app.getByRole('navigation', { name: 'Hauptnavigation' })).toBeVisible()
  // Alt+5 opens „Alle Vorgänge“ with the grid focused: no Tab marathon to the first row
  await app.keyboard.press('Alt+5')
  await expect(app.getByRole('heading', { name: 'Alle Vorgänge', level: 1 })).toBeVisible()
  await expect(app.getByTestId('case-row').first()).toBeFocused()

  // the help fits the viewport, scrolls, and lists the action keys
  await app.keyboard.press('?')
  const help = app.getByRole('dialog', { name: 'Tastenkürzel' })
  await expect(help).toBeVisible()
  await expect(help).toContainText('Vermerk anlegen')
  await expect(help).toContainText('Strg+Eingabe')
  const box = (await help.boundingBox())!
  const viewport = app.viewportSize()!
  expect(box.y).toBeGreaterThanOrEqual(0)
  expect(box.y + box.height).toBeLessThanOrEqual(viewport.height)
  await expect(app.getByTestId('help-body')).toHaveCSS('overflow-y', 'auto')
  await keepScreenshot(app, testInfo, 'tastenhilfe')
  // a small window: the dialog still fits, its list scrolls
  await app.setViewportSize({ width: 900, height: 420 })
  const small = (await help.boundingBox())!
  expect(small.y).toBeGreaterThanOrEqual(0)
  expect(small.y + small.height).toBeLessThanOrEqual(420)
  expect(
    await app.getByTestId('help-body').evaluate((el) => el.scrollHeight > el.clientHeight),
  ).toBe(true)
  await expect(help.getByRole('button', { name: 'Schließen' })).toBeInViewport()
  await keepScreenshot(app, testInfo, 'tastenhilfe-klein')
  await app.setViewportSize(viewport)
  await app.keyboard.press('Escape')
  await expect(help).toBeHidden()
  await expect(app.getByTestId('case-row').first()).toBeFocused()

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
  await expect(app.locator('.case-header')).toContainText('Lukas Köhler')
  await expectFocusKept(app)

  // Enter on „Vermerk“ puts the cursor into the note; Strg+Eingabe saves; the focus goes to the
  // new note in „Vermerke“ (where the keyboard user is taken), and V writes the next one
  const noteButton = app.getByRole('button', { name: 'Vermerk' })
  await tabTo(app, noteButton)
  await app.keyboard.press('Enter')
  await expect(app.getByLabel('Vermerk', { exact: true })).toBeFocused()
  await app.keyboard.type('Per Tastatur erfasst.')
  await app.keyboard.press('Control+Enter')
  await expect(app.getByRole('tab', { name: /Vermerke \(1\)/ })).toHaveAttribute(
    'aria-selected',
    'true',
  )
  const newNote = app
    .getByRole('tabpanel')
    .getByRole('listitem')
    .filter({ hasText: 'Per Tastatur erfasst.' })
  await expect(newNote).toBeFocused()
  await expect(app.getByRole('status').filter({ hasText: 'Vermerk gespeichert' })).toBeVisible()
  await app.keyboard.press('v')
  await app.keyboard.type('Zweiter Vermerk.')
  await app.keyboard.press('Control+Enter')
  await expect(
    app.getByRole('tabpanel').getByRole('listitem').filter({ hasText: 'Zweiter Vermerk.' }),
  ).toBeFocused()
  await expect(app.getByRole('tab', { name: /Vermerke \(2\)/ })).toBeVisible()
  await expectAccessible(app)
  await keepScreenshot(app, testInfo, 'vermerk-fokus')

  // T opens the phone note with the cursor in its first field; Esc closes it and focus returns
  await app.keyboard.press('t')
  await expect(app.getByLabel('Gesprächspartner/in')).toBeFocused()
  await app.keyboard.press('Escape')
  await expect(app.getByLabel('Gesprächspartner/in')).toHaveCount(0)
  await expect(app.getByRole('button', { name: 'Telefonat' })).toBeFocused()

  // W: the date is typed as TT.MM.JJJJ in one field; an impossible day gets a German message
  await app.keyboard.press('w')
  const date = app.getByLabel('Wiedervorlage am')
  await expect(date).toBeFocused()
  await expect(date).toHaveAttribute('placeholder', 'TT.MM.JJJJ')
  await app.keyboard.press('Control+A')
  await app.keyboard.type('31.02.2027')
  await app.keyboard.press('Enter')
  await expect(app.getByText('Den 31.02.2027 gibt es nicht.')).toBeVisible()
  await expect(date).toHaveAttribute('aria-invalid', 'true')
  await app.keyboard.press('Control+A')
  await app.keyboard.type('15.01.2027')
  await app.keyboard.press('Tab') // one Tab stop: straight to the button
  await expect(app.getByRole('button', { name: 'Wiedervorlage setzen' })).toBeFocused()
  await app.keyboard.press('Enter')
  await expect(app.locator('.case-header')).toContainText('15.01.2027')
  await expect(app.getByRole('button', { name: 'Wiedervorlage' })).toBeFocused()

  await tabTo(app, app.getByRole('button', { name: '→ In Bearbeitung' }))
  await app.keyboard.press('Enter')
  await expect(app.locator('.case-header')).toContainText('In Bearbeitung')
  await expectFocusKept(app)

  // N: the first missing document has the focus
  await app.keyboard.press('n')
  await expect(
    app.getByRole('form', { name: 'Unterlagen nachfordern' }).getByRole('checkbox').first(),
  ).toBeFocused()
  await tabTo(app, app.getByLabel('Lageplan'))
  await app.keyboard.press('Space')
  await tabTo(app, app.getByRole('button', { name: 'Nachforderung erstellen' }))
  await app.keyboard.press('Enter')
  await expect(app.locator('.case-header')).toContainText('Nachforderung')
  await expect(app.getByRole('button', { name: 'Unterlagen nachfordern' })).toBeFocused()
  await keepScreenshot(app, testInfo, 'tastatur-nach-nachforderung')
  await expectAccessible(app)
})
