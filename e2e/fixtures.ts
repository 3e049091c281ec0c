import AxeBuilder from '@axe-core/playwright'
import { test as base, expect, type Locator, type Page, type TestInfo } from '@playwright/test'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { startDesk, type RunningDesk } from './desk'

export { expect }

export const test = base.extend<{ desk: RunningDesk; app: Page }>({
  desk: async ({}, use) => {
    const desk = await startDesk()
    await use(desk)
    await desk.stop()
  },
  /** The renderer opened through the desk's one-time URL (sets the session cookie). */
  app: async ({ page, desk }, use) => {
    await page.goto(desk.url)
    await expect(page.getByRole('navigation', { name: 'Hauptnavigation' })).toBeVisible()
    await use(page)
  },
})

/** The app's address without the hash: the bridge serves it under a per-launch path. */
export function appBase(page: Page): string {
  return page.url().split('#')[0] ?? page.url()
}

/**
 * Signs the page's desk in as another person through `session.login` (the page's own cookie
 * session) and reloads; waits until the top bar names them. `label` as the login screen shows
 * it, e.g. „Sabine Bäumer (Sachgebietsleitung)“.
 */
export async function switchUser(page: Page, userId: string, label: string): Promise<void> {
  const status = await page.evaluate(async (id) => {
    const res = await fetch('api/session.login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ userId: id, password: 'demo' }),
    })
    return res.status
  }, userId)
  expect(status, `session.login ${userId}`).toBe(200)
  await page.reload()
  await expect(page.getByText(`Angemeldet: ${label}`)).toBeVisible()
}

/** axe (WCAG 2.1 A/AA): no serious or critical violations. */
export async function expectAccessible(page: Page): Promise<void> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze()
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  expect(
    bad.map((v) => `${v.id}: ${v.help} (${v.nodes.length}× z. B. ${v.nodes[0]?.target.join(' ')})`),
  ).toEqual([])
}

/** Keeps a screenshot as a test artifact (test-results/screenshots/<name>.png). */
export async function keepScreenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const dir = join('test-results', 'screenshots')
  mkdirSync(dir, { recursive: true })
  const path = join(dir, `${testInfo.project.name}-${name}.png`)
  await page.screenshot({ path, fullPage: false })
  await testInfo.attach(name, { path, contentType: 'image/png' })
}

/** Keyboard only: presses Tab until the target has focus (fails after `max` presses). */
export async function tabTo(page: Page, target: Locator, max = 60): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return
    await page.keyboard.press('Tab')
  }
  throw new Error(`Mit Tab nicht erreichbar: ${target.toString()}`)
}

/** Nothing the user could type into is lost: focus is on an element of the page, never on <body>. */
export async function expectFocusKept(page: Page): Promise<void> {
  await expect
    .poll(() => page.evaluate(() => document.activeElement?.tagName ?? 'BODY'))
    .not.toBe('BODY')
}
