import { execFileSync } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { unzipSync } from 'fflate'
import { openDatabaseReadOnly } from '../db/open'
import { blobKeyOf } from '../db/repositories/blobKeys'
import { scalar, sql } from '../db/sql'
import { openDeskKeys } from '../main/core/atRest/keys'
import { buildAussonderungImportBestaetigen0506 } from '../main/lib/xdomea'
import type { RunningHub } from '../hub/server'
import { startDesk } from './desk'
import { expect, expectAccessible, keepScreenshot, switchUser, test, appBase } from './fixtures'
import { startSeededHub } from './hub'

let hub: RunningHub
let hubConfig: string
const dataDir = mkdtempSync(join(tmpdir(), 'aktenfluss-archive-'))

test.beforeAll(async () => {
  ;({ hub, hubConfig } = await startSeededHub(5))
})
test.afterAll(async () => {
  await hub.close()
})

test('zdA, Zeitsprung über die Aufbewahrungsfrist, xdomea-Export mit gültig signiertem Bescheid, Übernahmebestätigung', async ({
  page,
}, testInfo) => {
  test.setTimeout(120_000)
  mkdirSync(testInfo.outputDir, { recursive: true })
  const args = ['--hub', hub.url, '--hub-config', hubConfig, '--no-sync']
  // 1. a decided, signed and sent Kfz case, closed (zdA) in the UI
  let desk = await startDesk({ dataDir, args })
  await desk.call('sync.run')
  const { rows } = await desk.call<{ rows: { id: string; aktenzeichen: string }[] }>('cases.list', {
    view: 'alle',
    procedureId: 'kfz',
  })
  const c = rows[0]!
  // a Kfz case is worked on by team-ordnung, closed (zdA) by the Registratur (main/core/rights.ts)
  await desk.call('session.login', { userId: 'u-lkoehler', password: 'demo' })
  await desk.call('casework.take', { id: c.id })
  await desk.call('casework.setStatus', { id: c.id, to: 'in_bearbeitung' })
  await desk.call('decisions.decide', {
    id: c.id,
    outcome: 'stattgegeben',
    fields: { vehicle: 'Škoda Octavia, FIN TMBJJ7NE5L0123456', kennzeichen: 'GR-AF 77', fee: 26.3 },
    reasons: 'Die Voraussetzungen des § 6 FZV liegen vor.',
  })
  await desk.call('notices.issue', {
    id: c.id,
    certificate: 'seal',
    password: 'demo',
    channel: 'post',
  })
  await desk.call('session.login', { userId: 'u-rvoelkel', password: 'demo' })
  await page.goto(desk.url)
  await page.goto(`${appBase(page)}#/vorgang/${c.id}`)
  // the zdA dialog: the file plan proposes 7 years and „vernichten“; the Registratur keeps this case
  await page.getByRole('button', { name: 'zdA verfügen …' }).click()
  const zda = page.getByRole('form', { name: 'zdA verfügen' })
  await expect(zda.getByLabel('Aufbewahrungsfrist (Jahre)')).toBeFocused()
  await expect(zda.getByLabel('Aufbewahrungsfrist (Jahre)')).toHaveValue('7')
  await expect(zda.getByRole('radio', { name: /vernichten/ })).toBeChecked()
  await zda.getByRole('radio', { name: /archivwürdig/ }).check()
  await zda
    .getByLabel('Registraturvermerk (optional)')
    .fill('Erste Zulassung mit Wunschkennzeichen GR-AF')
  await expectAccessible(page)
  await keepScreenshot(page, testInfo, 'zda-dialog')
  await zda.getByRole('button', { name: 'zdA verfügen' }).click()
  await expect(page.locator('.case-header')).toContainText('Abgeschlossen (zdA)')
  await expect(page.locator('.case-header')).toContainText('erledigt mit zdA')
  await expect(page.getByTestId('closed-record')).toContainText('Archivwert: archivwürdig')
  await expect(page.getByTestId('closed-record')).toContainText(
    'Registraturvermerk: Erste Zulassung mit Wunschkennzeichen GR-AF',
  )
  await page.getByRole('tab', { name: 'Verlauf' }).click()
  await expect(page.getByRole('tabpanel')).toContainText(
    'Registraturvermerk: Erste Zulassung mit Wunschkennzeichen GR-AF',
  )
  await keepScreenshot(page, testInfo, 'zda-abgeschlossen')
  await expect(
    page.getByText(/Abgeschlossen \(zdA\) am .* Aufbewahrung bis 31\.12\.20\d\d/),
  ).toBeVisible()
  await expect(page.getByRole('button', { name: 'Vermerk' })).toHaveCount(0)
  await desk.stop()

  // 2. the clock of a test build jumps past the retention period (Kfz: 7 years)
  desk = await startDesk({ dataDir, args, env: { AKTENFLUSS_TEST_NOW: '2036-02-02T09:00:00Z' } })
  await page.goto(desk.url)
  await switchUser(page, 'u-rvoelkel', 'Ralf Völkel (Registratur)')
  await page.getByRole('link', { name: 'Aussonderung' }).click()
  const row = page.getByTestId('disposal-row').filter({ hasText: c.aktenzeichen })
  await expect(row).toContainText('archivwürdig') // the zdA's choice, not the file plan's „vernichten“
  await row.getByRole('checkbox').check()
  await expectAccessible(page)
  await keepScreenshot(page, testInfo, 'aussonderung')
  const downloads: string[] = []
  page.on('download', (d) => {
    const target = join(testInfo.outputDir, d.suggestedFilename())
    downloads.push(target)
    void d.saveAs(target)
  })
  await page.getByRole('button', { name: 'Aussondern (xdomea 0501/0503)' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'Übernahmebestätigung' })).toBeVisible()
  await expect.poll(() => downloads.filter((f) => f.endsWith('.0503.zip')).length).toBe(1)
  const zipPath = downloads.find((f) => f.endsWith('.0503.zip'))!
  await expect
    .poll(() => {
      try {
        return readFileSync(zipPath).length
      } catch {
        return 0
      }
    })
    .toBeGreaterThan(0)

  // 3. unzip: the XML names the case, the notice PDF's signature is still valid
  const files = unzipSync(new Uint8Array(readFileSync(zipPath)))
  const names = Object.keys(files)
  const prozessId = names
    .find((n) => n.endsWith('_Aussonderung.Aussonderung.0503.xml'))!
    .split('_')[0]!
  const xml = new TextDecoder().decode(files[`${prozessId}_Aussonderung.Aussonderung.0503.xml`])
  expect(xml).toContain(c.aktenzeichen)
  expect(xml).toMatch(/<xdomea:Aussonderungsart listURI[^>]*>\s*<code>A<\/code>/) // archivwürdig
  expect(xml).toContain('Registraturvermerk: Erste Zulassung mit Wunschkennzeichen GR-AF') // in the history's Bemerkung
  const pdfs = names.filter((n) => /^[0-9a-f-]{36}\.pdf$/.test(n))
  const signed = pdfs.map((n) => {
    const file = join(testInfo.outputDir, n)
    writeFileSync(file, files[n]!)
    try {
      return execFileSync('pdfsig', [file], { encoding: 'utf8' })
    } catch {
      return '' // pdfsig exits non-zero for a PDF without signature
    }
  })
  expect(signed.filter((out) => out.includes('Signature is Valid.'))).toHaveLength(1)

  // the export packages lie sealed in the data folder, never as plaintext zips
  const exported = readdirSync(join(dataDir, 'exports'))
  expect(exported.filter((f) => f.startsWith(prozessId))).toHaveLength(2)
  expect(exported.every((f) => f.endsWith('.sealed'))).toBe(true)
  const before = await desk.call<{ documents: { sha256: string }[] }>('cases.get', { id: c.id })
  const shas = before.documents.map((d) => d.sha256)
  expect(shas.length).toBeGreaterThan(0)

  // 4. the archive's import confirmation (0506): only now the contents are deleted
  const receipt = buildAussonderungImportBestaetigen0506({
    prozessId,
    createdAt: '2036-02-10T10:00:00Z',
    sender: { name: 'Stadtarchiv Görlitz' },
    receiver: { name: 'Stadtverwaltung Görlitz' },
    results: [{ id: c.id, success: true, archiveId: 'StA-GR 2036/17' }],
  })
  const receiptFile = join(testInfo.outputDir, 'quittung-0506.xml')
  writeFileSync(receiptFile, receipt)
  await page.getByLabel('Übernahmebestätigung (0506) importieren').setInputFiles(receiptFile)
  await expect(page.getByRole('status').filter({ hasText: 'abgegeben' })).toContainText(
    '1 Vorgang an das Archiv abgegeben',
  )
  const after = await desk.call<{ documents: unknown[]; history: { action: string }[] }>(
    'cases.get',
    { id: c.id },
  )
  expect(after.documents).toHaveLength(0)
  expect(after.history.map((h) => h.action)).toContain('An das Archiv abgegeben')
  await desk.stop()
  // crypto-shredding: the contents' keys are gone (a backup of the files stays unreadable),
  // so are the files and the sealed export packages
  const db = openDatabaseReadOnly(
    join(dataDir, 'aktenfluss.db'),
    openDeskKeys(dataDir, { mustExist: true }).dbKeyHex,
  )
  try {
    for (const sha of shas) {
      expect(blobKeyOf(db, sha)).toBeUndefined()
      expect(existsSync(join(dataDir, 'blobs', sha.slice(0, 2), sha))).toBe(false)
    }
    // the raw submission JWEs (still decryptable with the destination key) are emptied too
    expect(
      scalar(db, sql`SELECT max(length(encrypted_data)) FROM submissions WHERE case_id = ${c.id}`),
    ).toBe(0)
  } finally {
    db.close()
  }
  expect(readdirSync(join(dataDir, 'exports')).filter((f) => f.startsWith(prozessId))).toEqual([])
})

test('Aussonderung aus den Demodaten: Altakten mit abgelaufener Aufbewahrung, ohne Zeitsprung', async ({
  page,
}, testInfo) => {
  test.setTimeout(120_000)
  // `npm start`: the embedded demo hub seeds applications and the Registratur's old paper files
  const desk = await startDesk({ entry: 'out/main/start-demo.js' })
  try {
    await page.goto(desk.url)
    await switchUser(page, 'u-rvoelkel', 'Ralf Völkel (Registratur)')
    await page.getByRole('link', { name: 'Aussonderung' }).click()
    const rows = page.getByTestId('disposal-row')
    await expect(rows).toHaveCount(4)
    await expect(rows.filter({ hasText: 'Wohngeld' })).toContainText('vernichten')
    await expect(rows.filter({ hasText: 'Sondernutzung' })).toContainText('bewerten')
    await rows.filter({ hasText: 'Wohngeld' }).getByRole('checkbox').check()
    await expectAccessible(page)
    await keepScreenshot(page, testInfo, 'aussonderung-demodaten')
    const download = page.waitForEvent('download')
    await page.getByRole('button', { name: 'Aussondern (xdomea 0501/0503)' }).click()
    expect((await download).suggestedFilename()).toMatch(/\.(0501|0503)\.zip$/)
    await expect(page.getByRole('status').filter({ hasText: 'Übernahmebestätigung' })).toBeVisible()
  } finally {
    await desk.stop()
  }
})
