import { _electron as electron, expect, test } from '@playwright/test'
import { createRequire } from 'node:module'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

/**
 * The Electron binary, or the reason it is absent. Reads the package's path.txt instead of
 * require('electron'), which would try to download the binary on machines without internet.
 */
function electronBinary(): { path?: string; reason?: string } {
  const dir = dirname(createRequire(import.meta.url).resolve('electron/package.json'))
  const pathFile = join(dir, 'path.txt')
  if (!existsSync(pathFile))
    return {
      reason:
        'Electron-Binary fehlt (Download hier nicht möglich); die Browsermodus-Tests decken dieselben Abläufe ab.',
    }
  const binary = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim())
  return existsSync(binary) ? { path: binary } : { reason: `Electron-Binary fehlt: ${binary}` }
}

const binary = electronBinary()

test.describe('Electron-App', () => {
  test.skip(!binary.path, binary.reason ?? '')

  test('öffnet das Fenster sicher und zeigt die Liste', async () => {
    const app = await electron.launch({
      executablePath: binary.path,
      args: ['out/main/index.js'],
      env: {
        ...process.env,
        AKTENFLUSS_DATA_DIR: mkdtempSync(join(tmpdir(), 'aktenfluss-electron-')),
      },
    })
    const win = await app.firstWindow()
    // the embedded demo hub's IdP: the first person and the password `demo` are pre-filled
    await win.getByRole('button', { name: 'Anmelden', exact: true }).click()
    await expect(win.getByRole('navigation', { name: 'Hauptnavigation' })).toBeVisible()
    // Behaviour of contextIsolation + sandbox + no nodeIntegration, seen from the page.
    expect(await win.evaluate('typeof require')).toBe('undefined')
    expect(await win.evaluate('typeof process')).toBe('undefined')
    expect(await win.evaluate('typeof window.aktenfluss.cases.list')).toBe('function')
    expect(await win.evaluate('typeof window.aktenfluss.ipcRenderer')).toBe('undefined')
    expect(await win.evaluate("window.open('https://example.org') === null")).toBe(true)
    await win.evaluate("location.href = 'https://example.org'").catch(() => undefined)
    await expect(win.getByRole('navigation', { name: 'Hauptnavigation' })).toBeVisible()
    await app.close()
  })
})
