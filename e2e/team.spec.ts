import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openDatabase } from '../db/open'
import { generateCases } from '../testing/demoData'
import { loadProcedures } from '../main/core/procedures'
import { startDesk } from './desk'
import { expect, expectAccessible, keepScreenshot, switchUser, test, appBase } from './fixtures'

test.use({
  desk: async ({}, use) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'aktenfluss-team-'))
    const db = openDatabase(join(dataDir, 'aktenfluss.db'))
    generateCases(db, loadProcedures(), {
      count: 2000,
      seed: 7,
      today: new Date().toISOString().slice(0, 10),
      users: ['u-jweiss', 'u-amueller', 'u-kschroeder', 'u-tgrossmann'],
    })
    db.close()
    const desk = await startDesk({ dataDir, args: ['--no-sync'], signIn: 'u-sbaeumer' })
    await use(desk)
    await desk.stop()
  },
})

test('Sachgebietsleitung: Auslastung, Drill-down, Verteilung, Vertretung', async ({
  app,
  desk,
}, testInfo) => {
  await app.getByRole('link', { name: 'Team', exact: true }).click()
  await expect(app.getByRole('heading', { name: 'Team' })).toBeVisible()
  const dash = await desk.call<{
    clerks: { key: string; open: number; overdue: number }[]
    unassigned: { count: number }
  }>('team.dashboard')
  const weiss = dash.clerks.find((c) => c.key === 'u-jweiss')!
  const row = app.getByTestId('workload-u-jweiss')
  await expect(row.getByRole('link').first()).toHaveText(weiss.open.toLocaleString('de-DE'))
  await expect(app.getByTestId('unassigned-count')).toContainText(
    dash.unassigned.count.toLocaleString('de-DE'),
  )
  await expect(app.locator('canvas[role=img]')).toHaveCount(2)
  await expectAccessible(app)
  await keepScreenshot(app, testInfo, 'team')

  // drill down: the overdue number opens exactly those cases
  await row.getByRole('link').nth(2).click()
  await expect(app.getByTestId('list-total')).toHaveText(
    `${weiss.overdue.toLocaleString('de-DE')} Vorgänge`,
  )
  await app.goBack()

  // distribute 20 selected unassigned cases of the team (Wohngeld) with the balance helper
  await app.getByRole('link', { name: /Posteingang/ }).click()
  const inbox = await desk.call<{ total: number }>('cases.list', {
    view: 'posteingang',
    procedureId: 'wohngeld',
  })
  await app.getByRole('combobox', { name: 'Verfahren' }).selectOption({ label: 'Wohngeld' })
  await expect(app.getByTestId('list-total')).toHaveText(
    `${inbox.total.toLocaleString('de-DE')} Vorgänge`,
  )
  const boxes = app.getByTestId('case-row').getByRole('checkbox')
  for (let i = 0; i < 20; i++) await boxes.nth(i).check()
  await expect(app.getByText('20 ausgewählt')).toBeVisible()
  await app.getByRole('button', { name: 'Verteilung vorschlagen' }).click()
  await expect(app.getByTestId('balance-row')).toHaveCount(20)
  await keepScreenshot(app, testInfo, 'verteilung')
  await app.getByRole('button', { name: 'Verteilung übernehmen' }).click()
  await expect(app.getByTestId('list-total')).toHaveText(
    `${(inbox.total - 20).toLocaleString('de-DE')} Vorgänge`,
  )

  // Vertretung: Karin Schröder is away, Jörg Weiß covers
  await app.getByRole('link', { name: 'Team', exact: true }).click()
  await app.getByLabel('Abwesend').selectOption({ label: 'Karin Schröder' })
  await app.getByLabel('Vertreten durch').selectOption({ label: 'Jörg Weiß' })
  await app.getByRole('textbox', { name: 'bis', exact: true }).fill('31.12.2030')
  await app.getByRole('button', { name: 'Vertretung eintragen' }).click()
  await expect(app.getByText(/Karin Schröder abwesend .* vertreten durch Jörg Weiß/)).toBeVisible()
  await switchUser(app, 'u-jweiss', 'Jörg Weiß (Sachbearbeitung)')
  await app.getByRole('link', { name: /^Vertretung/ }).click()
  const covered = await desk.call<{ total: number }>('cases.list', { view: 'vertretung' })
  expect(covered.total).toBeGreaterThan(0)
  await expect(app.getByTestId('list-total')).toHaveText(
    `${covered.total.toLocaleString('de-DE')} Vorgänge`,
  )
})

test('eine Sachbearbeiterin kann fremde Vorgänge nicht umverteilen', async ({ app, desk }) => {
  await switchUser(app, 'u-amueller', 'Anna Müller (Sachbearbeitung)')
  const theirs = await desk.call<{ rows: { id: string; aktenzeichen: string }[] }>('cases.list', {
    view: 'alle',
    assignee: 'u-jweiss',
    procedureId: 'wohngeld', // a case of her own team: refused for being a colleague's
    limit: 1,
  })
  const c = theirs.rows[0]!
  await app.goto(`${appBase(app)}#/vorgang/${c.id}`)
  await expect(app.getByRole('heading', { level: 1 })).toContainText(c.aktenzeichen)
  await expect(app.getByRole('button', { name: 'Übernehmen' })).toHaveCount(0)
  await expect(app.getByRole('button', { name: 'Zurückgeben' })).toHaveCount(0)
  const res = await fetch(`${desk.origin}/api/team.assign`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${desk.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ ids: [c.id], assignee: 'u-amueller' }),
  })
  expect(res.status).toBe(403)
  expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
    /Jörg Weiß zugewiesen; nur die Sachgebietsleitung/,
  )
})

test('Navigation je Rolle: Sachbearbeitung, Sachgebietsleitung, Registratur', async ({
  app,
}, testInfo) => {
  const nav = app.getByRole('navigation', { name: 'Hauptnavigation' })
  const links = async () =>
    (await nav.getByRole('link').allInnerTexts()).map((t) => t.replace(/\s*[\d.]+$/, '').trim())
  // Sachgebietsleitung (the desk's user here)
  await expect(nav.getByRole('link', { name: /Mitzeichnung/ })).toBeVisible()
  expect(await links()).toEqual([
    'Posteingang',
    'Meine Vorgänge',
    'Wiedervorlagen heute',
    'Überfällig',
    'Vertretung',
    'Alle Vorgänge',
    'Mitzeichnung',
    'Postausgang',
    'Antrag erfassen',
    'Suche',
    'Team',
    'Synchronisation',
    'Eingangsprotokoll',
  ])

  await switchUser(app, 'u-jweiss', 'Jörg Weiß (Sachbearbeitung)')
  await expect(nav.getByRole('link', { name: 'Team', exact: true })).toHaveCount(0)
  expect(await links()).toEqual([
    'Posteingang',
    'Meine Vorgänge',
    'Wiedervorlagen heute',
    'Überfällig',
    'Vertretung',
    'Alle Vorgänge',
    'Postausgang',
    'Antrag erfassen',
    'Suche',
    'Synchronisation',
    'Eingangsprotokoll',
  ])

  await switchUser(app, 'u-rvoelkel', 'Ralf Völkel (Registratur)')
  await expect(nav.getByRole('link', { name: 'Aussonderung' })).toBeVisible()
  expect(await links()).toEqual([
    'Alle Vorgänge',
    'Aussonderung',
    'Suche',
    'Synchronisation',
    'Eingangsprotokoll',
  ])
  // the Posteingang is not the Registratur's: the list opens as „Alle Vorgänge“
  await expect(app.getByRole('heading', { name: 'Alle Vorgänge', level: 1 })).toBeVisible()
  await expectAccessible(app)
  await keepScreenshot(app, testInfo, 'navigation-registratur')
})
