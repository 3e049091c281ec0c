import { startDesk, type RunningDesk } from './desk'
import { startSeededHub } from './hub'
import { expect, expectAccessible, keepScreenshot, test, appBase } from './fixtures'
import type { RunningHub } from '../hub/server'

let hub: RunningHub
let hubConfig: string

test.beforeAll(async () => {
  ;({ hub, hubConfig } = await startSeededHub(12))
})
test.afterAll(async () => {
  await hub.close()
})

test.describe('Eingang über den Hub', () => {
  test.use({
    desk: async ({}, use) => {
      const desk: RunningDesk = await startDesk({
        args: ['--hub', hub.url, '--hub-config', hubConfig],
      })
      await use(desk)
      await desk.stop()
    },
  })

  test('der Posteingang zeigt die eingereichten Anträge, das Eingangsprotokoll die Ablehnung', async ({
    app,
    desk,
  }, testInfo) => {
    await app.getByRole('button', { name: 'Jetzt synchronisieren' }).click()
    await expect(app.getByRole('link', { name: /Posteingang/ })).toContainText('12')
    await app.getByRole('link', { name: /Posteingang/ }).click()
    await expect(app.getByTestId('list-total')).toHaveText('12 Vorgänge')
    await expect(app.getByTestId('case-row').first()).toContainText(/\d{3}\.\d-\d{4}-\d{6}/)
    await expect(app.getByRole('status').filter({ hasText: 'Online' })).toBeVisible()
    await keepScreenshot(app, testInfo, 'posteingang')

    await app.getByRole('link', { name: 'Eingangsprotokoll' }).click()
    const rejected = app.getByTestId('intake-entry').filter({ hasText: 'abgelehnt' })
    await expect(rejected).toHaveCount(1)
    await expect(rejected).toContainText('Prüfsumme')
    await expect(rejected).toContainText('Prüfsumme stimmt nicht') // the problem's German name …
    await expect(rejected).not.toContainText('hash-mismatch') // … never its code
    // no submission UUIDs in the log
    await expect(app.getByRole('table')).not.toContainText(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}/)
    await expect(app.getByRole('table').locator('code')).toHaveCount(0) // was: the id's first 8 characters
    await expectAccessible(app)
    await keepScreenshot(app, testInfo, 'eingangsprotokoll')

    const log = await desk.call<{ entries: { outcome: string; submissionId: string }[] }>(
      'intake.log',
    )
    const bad = log.entries.find((e) => e.outcome === 'rejected')!
    expect(await hub.submissionState(bad.submissionId)).toBe('rejected')
    const good = log.entries.find((e) => e.outcome === 'accepted')!
    expect(await hub.submissionState(good.submissionId)).toBe('accepted')
    const cases = await desk.call<{ total: number }>('cases.list', { view: 'alle' })
    expect(cases.total).toBe(12)

    // a case from the hub: German document kinds, the automatic intake named as such, no ids
    await app.getByRole('link', { name: /^Alle Vorgänge/ }).click()
    await app.getByTestId('case-row').first().dblclick()
    await app.getByRole('tab', { name: /Dokumente/ }).click()
    const panel = app.getByRole('tabpanel')
    await expect(panel).toContainText('Antrag · Formulardaten')
    await expect(panel).not.toContainText('application/json')
    await app.getByRole('tab', { name: 'Verlauf' }).click()
    await expect(panel).toContainText('Eingang (automatisch)')
    await expect(panel).not.toContainText(/· system\b/)
    await expect(app.locator('main')).not.toContainText(/[0-9a-f]{8}-[0-9a-f]{4}-/)
    await expect(app.locator('main')).not.toContainText(/\bu-[a-z]+/)
    await keepScreenshot(app, testInfo, 'verlauf-deutsch')

    // a filter by person names the person; one case is „1 Vorgang“
    const mine = await desk.call<{ rows: { id: string }[] }>('cases.list', {
      view: 'alle',
      procedureId: 'wohngeld', // Jörg Weiß's team (main/core/rights.ts)
      limit: 1,
    })
    await desk.call('casework.take', { id: mine.rows[0]!.id })
    await app.goto(`${appBase(app)}#/liste/alle?assignee=u-jweiss`)
    await expect(app.getByText('zuständig: Jörg Weiß')).toBeVisible()
    await expect(app.locator('main')).not.toContainText('u-jweiss')
    await expect(app.getByTestId('list-total')).toHaveText('1 Vorgang')

    // the local service goes away: the status bar must not stay green „Online“
    await expect(app.getByRole('status').filter({ hasText: 'Online' })).toBeVisible()
    await desk.stop()
    await expect(app.locator('.statusbar')).toContainText('Keine Verbindung zum Aktenfluss-Dienst')
    await expect(app.locator('.statusbar')).not.toContainText('Online')
    await expect(app.locator('.statusbar .dot')).not.toHaveClass(/\bon\b/)
    await expect(app.getByRole('button', { name: 'Jetzt synchronisieren' })).toBeDisabled()
    await keepScreenshot(app, testInfo, 'dienst-nicht-erreichbar')
  })
})
