import { startDesk, type RunningDesk } from './desk'
import { startSeededHub } from './hub'
import { expect, expectAccessible, keepScreenshot, test } from './fixtures'
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
    await expect(rejected).toContainText('hash-mismatch')
    await expectAccessible(app)
    await keepScreenshot(app, testInfo, 'eingangsprotokoll')

    const log = await desk.call<{ entries: { outcome: string; submissionId: string }[] }>(
      'intake.log',
    )
    const bad = log.entries.find((e) => e.outcome === 'rejected')!
    expect(hub.submissionState(bad.submissionId)).toBe('rejected')
    const good = log.entries.find((e) => e.outcome === 'accepted')!
    expect(hub.submissionState(good.submissionId)).toBe('accepted')
    const cases = await desk.call<{ total: number }>('cases.list', { view: 'alle' })
    expect(cases.total).toBe(12)
  })
})
