import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { PDFDocument, StandardFonts } from 'pdf-lib'
import { expect, expectAccessible, keepScreenshot, test } from './fixtures'

test('Antrag erfassen: Papierantrag mit Anlage von der Festplatte, Aktenzeichen sofort', async ({ app }, testInfo) => {
  mkdirSync(testInfo.outputDir, { recursive: true })
  const pdf = await PDFDocument.create()
  const font = await pdf.embedFont(StandardFonts.Helvetica)
  pdf.addPage().drawText('Mietbescheinigung (Papierantrag)', { x: 50, y: 700, font, size: 14 })
  const file = join(testInfo.outputDir, 'Mietbescheinigung.pdf')
  writeFileSync(file, await pdf.save())
  const exe = join(testInfo.outputDir, 'rechnung.pdf')
  writeFileSync(exe, Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200)]))

  await app.getByRole('link', { name: 'Antrag erfassen' }).click()
  await app.getByLabel('Verfahren').selectOption({ label: 'Wohngeld' })
  await app.getByLabel('Name der antragstellenden Person').fill('Gerda Nüßlein')
  await app.getByLabel('Anschrift (Straße Nr., PLZ Ort)').fill('Lutherstraße 7, 02826 Görlitz')
  await expectAccessible(app)

  // an EXE disguised as PDF is refused with a German message, nothing is created
  await app.getByLabel(/Anlagen/).setInputFiles(exe)
  await app.getByRole('button', { name: 'Vorgang anlegen' }).click()
  await expect(app.getByRole('alert')).toContainText(/PDF|Dateityp|Inhalt/)

  await app.getByLabel(/Anlagen/).setInputFiles(file)
  await app.getByRole('button', { name: 'Vorgang anlegen' }).click()
  await expect(app.getByRole('heading', { level: 1 })).toContainText(/632\.1-\d{4}-\d{6} · Wohngeld/)
  await app.getByRole('tab', { name: /Dokumente/ }).click()
  await expect(app.getByRole('button', { name: /Mietbescheinigung/ })).toBeVisible()
  await keepScreenshot(app, testInfo, 'antrag-erfasst')
  await app.getByRole('link', { name: 'Synchronisation' }).click()
  await expect(app.getByTestId('outbox-entry').first()).toBeVisible()
  await keepScreenshot(app, testInfo, 'synchronisation')
})
