import { openDatabase } from '../db/open'
import { generateCases } from '../testing/demoData'
import { loadProcedures } from '../main/core/procedures'
import { startDesk } from './desk'
import { expect, expectAccessible, keepScreenshot, test } from './fixtures'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

test.describe('Grundgerüst', () => {
  test.use({
    desk: async ({}, use) => {
      const dataDir = mkdtempSync(join(tmpdir(), 'aktenfluss-e2e-'))
      const db = openDatabase(join(dataDir, 'aktenfluss.db'))
      generateCases(db, loadProcedures(), {
        count: 120,
        today: new Date().toISOString().slice(0, 10),
        users: ['u-jweiss'],
      })
      db.close()
      const desk = await startDesk({ dataDir, args: ['--no-sync'] })
      await use(desk)
      await desk.stop()
    },
  })

  test('die Liste zeigt Vorgänge, ein Vorgang öffnet sich', async ({ app, desk }, testInfo) => {
    await app.getByRole('link', { name: /Alle Vorgänge/ }).click()
    await expect(app.getByRole('heading', { name: 'Alle Vorgänge' })).toBeVisible()
    await expect(app.getByTestId('list-total')).toHaveText('120 Vorgänge')
    const rows = app.getByTestId('case-row')
    await expect(rows.first()).toContainText(/\d{3}\.\d-\d{4}-\d{6}/)
    await expectAccessible(app)
    await keepScreenshot(app, testInfo, 'liste')

    const first = await desk.call<{ rows: { id: string; aktenzeichen: string }[] }>('cases.list', {
      view: 'alle',
      limit: 1,
    })
    const firstCase = first.rows[0]!
    await rows.first().focus()
    await app.keyboard.press('Enter')
    await expect(app.getByRole('heading', { level: 1 })).toContainText(firstCase.aktenzeichen)
    await expect(app.getByRole('tab', { name: 'Antrag' })).toHaveAttribute('aria-selected', 'true')
    await app.getByRole('tab', { name: /Verlauf/ }).click()
    await expect(app.getByRole('tabpanel')).toContainText('Eingang')
    await expectAccessible(app)
    await keepScreenshot(app, testInfo, 'vorgang')
  })

  test('die API prüft Token, Herkunft und Eingaben', async ({ desk }) => {
    const post = (headers: Record<string, string>, body = '{}') =>
      fetch(`${desk.origin}/api/cases.list`, { method: 'POST', headers, body })
    expect((await post({})).status).toBe(401)
    expect((await post({ Authorization: 'Bearer falsch' })).status).toBe(401)
    expect(
      (await post({ Authorization: `Bearer ${desk.token}`, Origin: 'http://evil.example' })).status,
    ).toBe(403)
    const bad = await post({ Authorization: `Bearer ${desk.token}` }, '{"limit":"viele"}')
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(
      /Ungültige Eingabe/,
    )
    const ok = await post({ Authorization: `Bearer ${desk.token}` })
    expect(ok.status).toBe(200)
    expect(((await ok.json()) as { total: number }).total).toBe(120)
  })
})

test('ohne Token bleibt die Oberfläche verschlossen', async ({ page }) => {
  const desk = await startDesk({ args: ['--no-sync'] })
  try {
    const res = await page.goto(desk.origin + '/')
    expect(res?.status()).toBe(401)
    await expect(page.locator('body')).toContainText('Nicht angemeldet')
  } finally {
    await desk.stop()
  }
})
