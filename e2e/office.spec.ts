import type { Browser, Page } from '@playwright/test'
import { startHub, type RunningHub } from '../hub/server'
import { startDesk, type RunningDesk } from './desk'
import { expect, keepScreenshot, switchUser, test, appBase } from './fixtures'
import { startSeededHub } from './hub'

let hub: RunningHub
let hubConfig: string

test.beforeAll(async () => {
  ;({ hub, hubConfig } = await startSeededHub(24))
})
test.afterAll(async () => {
  await hub.close()
})

async function openDesk(browser: Browser): Promise<{ desk: RunningDesk; page: Page }> {
  // each desk has its own credential at the hub (hub.json gains it)
  const { deskId } = await hub.registerDesk()
  const desk = await startDesk({
    args: ['--hub', hub.url, '--hub-config', hubConfig, '--desk-id', deskId, '--no-sync'],
  })
  const page = await (
    await browser.newContext({
      locale: 'de-DE',
      timezoneId: 'Europe/Berlin',
      viewport: { width: 1400, height: 900 },
    })
  ).newPage()
  await page.goto(desk.url)
  await expect(page.getByRole('navigation', { name: 'Hauptnavigation' })).toBeVisible()
  return { desk, page }
}
const sync = (page: Page) =>
  page
    .getByRole('contentinfo', { name: 'Synchronisation' })
    .getByRole('button', { name: 'Jetzt synchronisieren' })
    .click()

test('zwei Arbeitsplätze an einem Hub: Vermerk wandert, offline wird gesammelt und kommt genau einmal an', async ({
  browser,
}, testInfo) => {
  test.setTimeout(120_000)
  const a = await openDesk(browser)
  const b = await openDesk(browser)
  try {
    await a.desk.call('sync.run') // intake on A registers the cases at the office
    await b.desk.call('sync.run') // B learns them from the change feed
    type Rows = { total: number; rows: { id: string; aktenzeichen: string; procedureId: string }[] }
    const onA = await a.desk.call<Rows>('cases.list', { view: 'alle', limit: 500 })
    const list = await b.desk.call<Rows>('cases.list', { view: 'alle', limit: 500 })
    expect(onA.total).toBe(24)
    // need-to-know: B's user (team Soziales und Wohnen) receives only that team's cases
    const wohngeld = onA.rows.filter((r) => r.procedureId === 'wohngeld').length
    expect(wohngeld).toBeGreaterThan(0)
    expect(list.total).toBe(wohngeld)
    expect(list.rows.every((r) => r.procedureId === 'wohngeld')).toBe(true)
    // a Wohngeld case: Jörg Weiß (the desks' user) works on cases of his team he took
    const c = list.rows.find((r) => r.procedureId === 'wohngeld')!
    await a.desk.call('casework.take', { id: c.id })

    // a note on desk A shows on desk B
    await a.page.goto(`${appBase(a.page)}#/vorgang/${c.id}`)
    await a.page.getByRole('button', { name: 'Vermerk' }).click()
    await a.page
      .getByLabel('Vermerk', { exact: true })
      .fill('Rückruf der Antragstellerin am Vormittag.')
    await a.page.getByRole('button', { name: 'Speichern' }).click()
    await sync(a.page)
    await expect(a.page.getByTestId('pending-count')).toHaveText('Ausstehend: 0')
    await b.page.goto(`${appBase(b.page)}#/vorgang/${c.id}/vermerke`)
    await sync(b.page)
    await expect(b.page.getByRole('tabpanel')).toContainText(
      'Rückruf der Antragstellerin am Vormittag.',
    )

    // the hub goes away: A keeps working, shows offline and a growing pending count
    const port = hub.port
    await hub.close()
    for (const text of [
      'Offline erfasst: Unterlagen geprüft.',
      'Offline erfasst: Telefonat vereinbart.',
    ]) {
      await a.page.getByRole('button', { name: 'Vermerk' }).click()
      await a.page.getByLabel('Vermerk', { exact: true }).fill(text)
      await a.page.getByRole('button', { name: 'Speichern' }).click()
    }
    await sync(a.page)
    await expect(a.page.getByRole('status').filter({ hasText: 'Offline' })).toBeVisible()
    await expect(a.page.getByTestId('pending-count')).toHaveText('Ausstehend: 2')
    await keepScreenshot(a.page, testInfo, 'offline')

    // the hub is back: everything arrives, exactly once
    hub = await startHub({ dataDir: hub.dataDir, port })
    await sync(a.page)
    await expect(a.page.getByTestId('pending-count')).toHaveText('Ausstehend: 0')
    await expect(a.page.getByRole('status').filter({ hasText: 'Online' })).toBeVisible()
    await sync(b.page)
    for (const text of [
      'Offline erfasst: Unterlagen geprüft.',
      'Offline erfasst: Telefonat vereinbart.',
    ])
      await expect(b.page.getByRole('tabpanel').getByText(text)).toHaveCount(1)
    const notes = await b.desk.call<{ notes: unknown[] }>('cases.get', { id: c.id })
    expect(notes.notes).toHaveLength(3)
  } finally {
    await a.desk.stop()
    await b.desk.stop()
  }
})

test('Sachgebietsleitung verteilt die Vorgänge ihres Sachgebiets, die Sachbearbeitung sieht sie am eigenen Arbeitsplatz', async ({
  browser,
}) => {
  test.setTimeout(120_000)
  const lead = await openDesk(browser)
  const clerk = await openDesk(browser)
  try {
    await lead.desk.call('sync.run')
    await clerk.desk.call('sync.run')
    await switchUser(lead.page, 'u-sbaeumer', 'Sabine Bäumer (Sachgebietsleitung)')
    // her team's cases: Wohngeld (main/core/rights.ts)
    await lead.page.getByRole('link', { name: /Posteingang/ }).click()
    const inbox = await lead.desk.call<{ total: number }>('cases.list', {
      view: 'posteingang',
      procedureId: 'wohngeld',
    })
    await lead.page.getByRole('combobox', { name: 'Verfahren' }).selectOption({ label: 'Wohngeld' })
    await expect(lead.page.getByTestId('list-total')).toHaveText(
      `${inbox.total} ${inbox.total === 1 ? 'Vorgang' : 'Vorgänge'}`,
    )
    const n = Math.min(20, inbox.total)
    expect(n).toBeGreaterThan(1) // each clerk of the team gets one, in the order of their ids
    const boxes = lead.page.getByTestId('case-row').getByRole('checkbox')
    for (let i = 0; i < n; i++) await boxes.nth(i).check()
    await lead.page.getByRole('button', { name: 'Verteilung vorschlagen' }).click()
    await expect(lead.page.getByTestId('balance-row')).toHaveCount(n)
    await lead.page.getByRole('button', { name: 'Verteilung übernehmen' }).click()
    await sync(lead.page)
    await expect(lead.page.getByTestId('pending-count')).toHaveText('Ausstehend: 0')

    const assigned = await lead.desk.call<{ rows: { id: string; assignee: string }[] }>(
      'cases.list',
      { view: 'alle', limit: 100 },
    )
    const forWeiss = assigned.rows.filter((r) => r.assignee === 'u-jweiss').length
    expect(forWeiss).toBeGreaterThan(0)
    await sync(clerk.page)
    await clerk.page.getByRole('link', { name: /Meine Vorgänge/ }).click()
    await expect(clerk.page.getByTestId('list-total')).toHaveText(
      `${forWeiss} ${forWeiss === 1 ? 'Vorgang' : 'Vorgänge'}`,
    )

    // a clerk's reassignment of a colleague's case: hidden in the UI, refused by the desk API
    const other = assigned.rows.find((r) => r.assignee && r.assignee !== 'u-jweiss')!
    await clerk.page.goto(`${appBase(clerk.page)}#/vorgang/${other.id}`)
    await expect(clerk.page.getByRole('button', { name: 'Übernehmen' })).toHaveCount(0)
    const res = await fetch(`${clerk.desk.origin}/api/team.assign`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${clerk.desk.token}` },
      body: JSON.stringify({ ids: [other.id], assignee: 'u-jweiss' }),
    })
    expect(res.status).toBe(403)
  } finally {
    await lead.desk.stop()
    await clerk.desk.stop()
  }
})
