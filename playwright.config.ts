import { existsSync } from 'node:fs'
import { defineConfig } from '@playwright/test'
import { chromium } from '@playwright/test'

/** Chromium from CHROMIUM_PATH, Debian's /usr/bin/chromium, or Playwright's own download. */
function chromiumPath(): string | undefined {
  for (const p of [process.env.CHROMIUM_PATH, '/usr/bin/chromium']) if (p && existsSync(p)) return p
  try {
    const own = chromium.executablePath()
    if (existsSync(own)) return undefined
  } catch {
    /* none installed */
  }
  throw new Error(
    'Kein Chromium gefunden. Entweder „apt-get install -y chromium“ (Debian, Pfad /usr/bin/chromium oder CHROMIUM_PATH setzen) oder „npx playwright install chromium“ (Rechner mit Internet).',
  )
}

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    locale: 'de-DE',
    timezoneId: 'Europe/Berlin',
  },
  projects: [
    {
      name: 'browser',
      testIgnore: '**/*.electron.spec.ts',
      use: {
        viewport: { width: 1400, height: 900 },
        launchOptions: {
          executablePath: chromiumPath(),
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--lang=de-DE',
          ],
        },
      },
    },
    { name: 'electron', testMatch: '**/*.electron.spec.ts' },
  ],
})
