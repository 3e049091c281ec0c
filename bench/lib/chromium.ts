import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext } from '@playwright/test'

/** Debian's Chromium (docs/architecture.md: the flags keep it quiet on this closed network). */
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium'
/** `--headless` comes from `headless: true`, the profile from launchPersistentContext. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export function chromiumMissing(): string | undefined {
  return existsSync(CHROMIUM)
    ? undefined
    : `no Chromium at ${CHROMIUM} (apt-get install -y chromium or CHROMIUM_PATH)`
}

/**
 * Launches Chromium on a fresh --user-data-dir (Playwright sets it through
 * launchPersistentContext); close() removes the folder.
 */
export async function launchChromium(): Promise<{
  context: BrowserContext
  close(): Promise<void>
}> {
  const profile = mkdtempSync(join(tmpdir(), 'aktenfluss-bench-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1400, height: 900 },
    locale: 'de-DE',
    timezoneId: 'Europe/Berlin',
  })
  return {
    context,
    close: async () => {
      await context.close().catch(() => undefined)
      rmSync(profile, { recursive: true, force: true })
    },
  }
}
