// Sign-in at the desk (issue #13): the German login screen by keyboard, a wrong password, the
// idle lock, and the browser-mode cookie that no other loopback listener ever receives.
import { mkdtempSync } from 'node:fs'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { openDatabase } from '../db/open'
import { setSetting } from '../db/repositories/settings'
import { openDeskKeys } from '../main/core/atRest/keys'
import { startDesk } from './desk'
import { expect, expectAccessible, keepScreenshot, tabTo, test } from './fixtures'

test('Anmeldung nur mit der Tastatur, falsches Kennwort auf Deutsch abgewiesen, barrierefrei', async ({
  page,
}, testInfo) => {
  const desk = await startDesk({ args: ['--no-sync'], signIn: false })
  try {
    await page.goto(desk.url)
    await expect(page.getByRole('heading', { name: 'Anmeldung bei Aktenfluss' })).toBeVisible()
    // nothing of the desk is visible or callable before the sign-in
    await expect(page.getByRole('navigation', { name: 'Hauptnavigation' })).toHaveCount(0)
    const refused = await page.evaluate(async () => {
      const res = await fetch('api/cases.list', { method: 'POST', body: '{}' })
      return { status: res.status, body: (await res.json()) as { error: { message: string } } }
    })
    expect(refused).toEqual({
      status: 401,
      body: { error: { code: 'unauthenticated', message: 'Bitte melden Sie sich an.' } },
    })
    await expectAccessible(page)
    await keepScreenshot(page, testInfo, 'anmeldung')

    const person = page.getByLabel('Person')
    await tabTo(page, person)
    await page.keyboard.type('Sabine')
    await expect(person).toHaveValue('u-sbaeumer')
    await page.keyboard.press('Tab')
    await expect(page.getByLabel('Kennwort')).toBeFocused()
    await page.keyboard.type('falsch')
    await page.keyboard.press('Enter')
    await expect(page.getByRole('alert')).toHaveText(
      'Benutzername oder Kennwort ist falsch. Bitte prüfen Sie Ihre Eingabe.',
    )
    await expect(page.getByRole('navigation', { name: 'Hauptnavigation' })).toHaveCount(0)
    await expectAccessible(page)

    await page.getByLabel('Kennwort').focus()
    await page.keyboard.press('Control+A')
    await page.keyboard.type('demo')
    await page.keyboard.press('Enter')
    await expect(page.getByRole('navigation', { name: 'Hauptnavigation' })).toBeVisible()
    await expect(page.getByText('Angemeldet: Sabine Bäumer (Sachgebietsleitung)')).toBeVisible()
    await expectAccessible(page)
    expect(await desk.call<{ user: { id: string } }>('session.status')).toMatchObject({
      user: { id: 'u-sbaeumer' },
      locked: false,
    })
  } finally {
    await desk.stop()
  }
})

test('Sperre nach kurzer Untätigkeit, Entsperren mit dem Kennwort', async ({ app, desk }) => {
  await desk.call('session.setIdleLock', { minutes: 0.05 }) // 3 s
  await app.reload()
  await expect(app.getByRole('navigation', { name: 'Hauptnavigation' })).toBeVisible()
  // no input: the desk locks itself, the screen shows it without any click
  await expect(app.getByRole('heading', { name: 'Der Arbeitsplatz ist gesperrt' })).toBeVisible({
    timeout: 20_000,
  })
  await expect(app.getByRole('navigation', { name: 'Hauptnavigation' })).toHaveCount(0)
  await expectAccessible(app)
  // the API refuses too, not only the screen
  await expect(desk.call('cases.list', {})).rejects.toThrow(/401 Der Arbeitsplatz ist gesperrt/)
  await app.getByLabel('Kennwort').fill('nicht-demo')
  await app.getByRole('button', { name: 'Entsperren' }).click()
  await expect(app.getByRole('alert')).toHaveText(
    'Das Kennwort ist falsch. Bitte versuchen Sie es erneut.',
  )
  await app.getByLabel('Kennwort').fill('demo')
  await app.getByRole('button', { name: 'Entsperren' }).click()
  await expect(app.getByRole('navigation', { name: 'Hauptnavigation' })).toBeVisible()
  await desk.call('session.setIdleLock', { minutes: 15 })
  await app.getByRole('button', { name: 'Sperren' }).click()
  await expect(app.getByRole('heading', { name: 'Der Arbeitsplatz ist gesperrt' })).toBeVisible()
})

test('ein zweiter Loopback-Dienst auf anderem Port erhält das Sitzungs-Cookie nie', async ({
  app,
}) => {
  const seen: { path: string; cookie: string }[] = []
  const other = createServer((req, res) => {
    seen.push({ path: req.url ?? '', cookie: req.headers.cookie ?? '' })
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
    res.end('<!doctype html><title>anderer Dienst</title><p>anderer Dienst</p>')
  })
  await new Promise<void>((r) => other.listen(0, '127.0.0.1', r))
  const port = (other.address() as AddressInfo).port
  try {
    // the app is signed in and its cookie set …
    const cookies = await app.context().cookies(app.url())
    expect(cookies.map((c) => c.name)).toContain('aktenfluss_session')
    // … and the browser visits the other listener (same host, other port) in every way it could
    const page2 = await app.context().newPage()
    const otherOrigin = `http://127.0.0.1:${port}`
    for (const path of ['/', '/api/cases.list', '/index.html', '/?token=x'])
      await page2.goto(`${otherOrigin}${path}`)
    await app.evaluate(async (o) => {
      await fetch(`${o}/api/session.status`, { mode: 'no-cors', credentials: 'include' }).catch(
        () => undefined,
      )
    }, otherOrigin)
    // a second desk on another port: same browser, the first desk's cookie never arrives there
    const second = await startDesk({ args: ['--no-sync'], signIn: false })
    try {
      const res = await page2.goto(`${second.origin}/`)
      expect(res?.status()).toBe(401)
    } finally {
      await second.stop()
    }
    expect(seen.length).toBeGreaterThanOrEqual(4)
    for (const s of seen) expect(s.cookie, s.path).not.toContain('aktenfluss_session')
    // the desk's own page still works with it
    await app.reload()
    await expect(app.getByRole('navigation', { name: 'Hauptnavigation' })).toBeVisible()
  } finally {
    other.closeAllConnections()
    await new Promise<void>((r) => other.close(() => r()))
  }
})

test('Anmeldung über den Anmeldedienst (Weiterleitung) im Browsermodus', async ({ page }) => {
  const desk = await startDesk({ args: ['--no-sync'], signIn: false })
  try {
    await page.goto(desk.url)
    await page.getByLabel('Person').selectOption('u-amueller')
    await page.getByRole('button', { name: 'Über den Anmeldedienst des Amtes anmelden' }).click()
    // the identity provider's own page, login hint pre-filled
    await expect(page.getByLabel('Benutzername')).toHaveValue('u-amueller')
    await page.getByLabel('Kennwort').fill('demo')
    await page.getByRole('button', { name: 'Anmelden' }).click()
    await expect(page.getByRole('navigation', { name: 'Hauptnavigation' })).toBeVisible()
    await expect(page.getByText('Angemeldet: Anna Müller (Sachbearbeitung)')).toBeVisible()
    expect(new URL(page.url()).pathname).toMatch(/^\/s-[0-9a-f]{32}\/$/)
  } finally {
    await desk.stop()
  }
})

test('abgelaufene Anmeldung: Entsperren ohne Netz genügt nicht für den Abgleich, Hinweis und erneute Anmeldung', async ({
  page,
}) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'aktenfluss-reauth-'))
  let desk = await startDesk({ dataDir, args: ['--no-sync'] })
  await desk.stop()
  // what a refused token refresh leaves behind (main/features/session/service.ts, setReauth)
  const db = openDatabase(join(dataDir, 'aktenfluss.db'), {
    key: openDeskKeys(dataDir, { mustExist: true }).dbKeyHex,
  })
  setSetting(db, 'session.reauth', ['u-jweiss', 'u-amueller'])
  db.close()
  desk = await startDesk({ dataDir, args: ['--no-sync'], signIn: false })
  try {
    await page.goto(desk.url)
    // a restarted desk starts locked with the last person; the local password unlocks it
    await expect(page.getByRole('heading', { name: 'Der Arbeitsplatz ist gesperrt' })).toBeVisible()
    await page.getByLabel('Kennwort').fill('demo')
    await page.getByRole('button', { name: 'Entsperren' }).click()
    const banner = page.getByRole('alert').filter({ hasText: 'Ihre Anmeldung ist abgelaufen' })
    await expect(banner).toContainText('erst nach einer erneuten Anmeldung übertragen')
    await expectAccessible(page)
    await banner.getByRole('button', { name: 'Erneut anmelden' }).click()
    await expect(page.getByRole('heading', { name: 'Bitte erneut anmelden' })).toBeVisible()
    await expect(page.getByLabel('Person')).toHaveValue('u-jweiss')
    await page.getByLabel('Kennwort').fill('demo')
    await page.getByRole('button', { name: 'Anmelden', exact: true }).click()
    await expect(page.getByRole('navigation', { name: 'Hauptnavigation' })).toBeVisible()
    await expect(banner).toHaveCount(0)
    // the other person's changes still wait for them
    await expect(
      page.getByRole('status').filter({ hasText: 'einer weiteren Person' }),
    ).toBeVisible()
    expect(await desk.call('session.status')).toMatchObject({
      reauthNeeded: false,
      reauthUsers: ['u-amueller'],
    })
  } finally {
    await desk.stop()
  }
})
