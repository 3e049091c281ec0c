// Security behaviour of the Electron shell (main/electron/index.ts), seen from the page: links,
// window.open and navigation never leave app://aktenfluss, permission requests are denied.
// Skipped with the reason when the Electron binary is absent (it cannot be downloaded here).
import {
  _electron as electron,
  expect,
  test,
  type ElectronApplication,
  type Page,
} from '@playwright/test'
import { createRequire } from 'node:module'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

function electronBinary(): { path?: string; reason?: string } {
  const dir = dirname(createRequire(import.meta.url).resolve('electron/package.json'))
  const pathFile = join(dir, 'path.txt')
  if (!existsSync(pathFile))
    return {
      reason:
        'Electron-Binary fehlt (Download hier nicht möglich); e2e/security.spec.ts prüft CSP, Token und Eingaben im Browsermodus.',
    }
  const binary = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim())
  return existsSync(binary) ? { path: binary } : { reason: `Electron-Binary fehlt: ${binary}` }
}

const binary = electronBinary()

test.describe('Electron-App: Sperren', () => {
  test.skip(!binary.path, binary.reason ?? '')

  let app: ElectronApplication
  let win: Page
  let start: string

  test.beforeEach(async () => {
    app = await electron.launch({
      executablePath: binary.path,
      args: ['out/main/index.js'],
      env: {
        ...process.env,
        AKTENFLUSS_DATA_DIR: mkdtempSync(join(tmpdir(), 'aktenfluss-electron-sec-')),
      },
    })
    win = await app.firstWindow()
    // the embedded demo hub's IdP: the first person and the password `demo` are pre-filled
    await win.getByRole('button', { name: 'Anmelden', exact: true }).click()
    await expect(win.getByRole('navigation', { name: 'Hauptnavigation' })).toBeVisible()
    start = win.url()
    expect(new URL(start).origin).toBe('app://aktenfluss')
  })
  test.afterEach(async () => {
    await app?.close()
  })

  const stillHome = async () => {
    // asked in the main process, after it handled the click's navigation/open request
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1)
    expect(app.windows()).toHaveLength(1)
    expect(new URL(win.url()).origin).toBe('app://aktenfluss')
    await expect(win.getByRole('navigation', { name: 'Hauptnavigation' })).toBeVisible()
  }

  test('Links öffnen nichts in der App: Klick, target=_blank, Mittelklick', async () => {
    await win.evaluate(() => {
      for (const [id, target] of [
        ['plain', ''],
        ['blank', '_blank'],
      ] as const) {
        const a = document.createElement('a')
        a.id = id
        a.href = 'https://example.org/phish'
        if (target) a.target = target
        a.textContent = id
        a.style.cssText = 'position:fixed;top:0;left:0;z-index:99999'
        document.body.appendChild(a)
      }
    })
    await win.click('#blank')
    await stillHome()
    await win.click('#blank', { button: 'middle' })
    await stillHome()
    await win.click('#plain', { modifiers: ['Shift'] })
    await stillHome()
    await win.click('#plain')
    await stillHome()
  })

  test('window.open wird verweigert', async () => {
    expect(await win.evaluate(() => window.open('https://example.org') === null)).toBe(true)
    expect(await win.evaluate(() => window.open('app://aktenfluss/index.html') === null)).toBe(true)
    expect(await win.evaluate(() => window.open('') === null)).toBe(true)
    await stillHome()
  })

  test('Navigation weg von app://aktenfluss wird verweigert (auch file:, data:, http:, Formulare, iframes)', async () => {
    for (const target of [
      'https://example.org',
      'file:///etc/passwd',
      'data:text/html,<h1>x</h1>',
      'http://127.0.0.1:1/',
    ]) {
      await win
        .evaluate((t) => {
          location.href = t
        }, target)
        .catch(() => undefined)
      await stillHome()
    }
    await win
      .evaluate(() => {
        const f = document.createElement('form')
        f.action = 'https://example.org/steal'
        f.method = 'post'
        document.body.appendChild(f)
        f.submit()
      })
      .catch(() => undefined)
    await stillHome()
    // no frames or webviews either
    await win.evaluate(() => {
      const i = document.createElement('iframe')
      i.src = 'https://example.org'
      document.body.appendChild(i)
    })
    await win.waitForLoadState('networkidle')
    expect(win.frames().filter((f) => f.url().startsWith('https://'))).toHaveLength(0)
  })

  test('Berechtigungsanfragen werden abgelehnt (Kamera/Mikrofon, Benachrichtigungen, Standort, Zwischenablage)', async () => {
    const result = await win.evaluate(async () => {
      const media = await navigator.mediaDevices
        .getUserMedia({ video: true, audio: true })
        .then(() => 'granted')
        .catch((e: Error) => e.name)
      const notification = await Notification.requestPermission()
      const geo = await new Promise<string>((resolve) =>
        navigator.geolocation.getCurrentPosition(
          () => resolve('granted'),
          (e) => resolve(e.code === e.PERMISSION_DENIED ? 'denied' : `error ${e.code}`),
          { timeout: 5000 },
        ),
      )
      const clipboard = await navigator.clipboard
        .readText()
        .then(() => 'granted')
        .catch((e: Error) => e.name)
      return { media, notification, geo, clipboard }
    })
    expect(result.media).not.toBe('granted')
    expect(result.notification).toBe('denied')
    expect(result.geo).toBe('denied')
    expect(result.clipboard).not.toBe('granted')
  })

  test('keine Node- oder Electron-Objekte im Renderer, nur die Vertragsfunktionen', async () => {
    expect(await win.evaluate('typeof require')).toBe('undefined')
    expect(await win.evaluate('typeof process')).toBe('undefined')
    expect(await win.evaluate('typeof module')).toBe('undefined')
    expect(await win.evaluate('typeof window.aktenfluss.ipcRenderer')).toBe('undefined')
    expect(
      await win.evaluate(
        "Object.values(window.aktenfluss).every((ns) => Object.values(ns).every((f) => typeof f === 'function'))",
      ),
    ).toBe(true)
    // a call with hostile input comes back as an envelope with a German message
    const r = await win.evaluate<{ ok: boolean; error?: { message: string } }>(
      'window.aktenfluss.cases.get({ id: { toString: null } })',
    )
    expect(r.ok).toBe(false)
    expect(r.error?.message).toMatch(/Ungültige Eingabe/)
  })
})
