import { writeFileSync } from 'node:fs'
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { startDesk, type RunningDesk } from './desk'
import {
  expect,
  expectAccessible,
  expectFocusKept,
  keepScreenshot,
  switchUser,
  tabTo,
  test,
  appBase,
} from './fixtures'
import { startSeededHub } from './hub'
import type { Page } from '@playwright/test'

// One hub per test: each desk takes what it accepts; five applications, one per procedure.
test.use({
  desk: async ({}, use) => {
    const { hub, hubConfig } = await startSeededHub(5)
    const desk = await startDesk({
      args: ['--hub', hub.url, '--hub-config', hubConfig, '--no-sync'],
    })
    await desk.call('sync.run')
    await use(desk)
    await desk.stop()
    await hub.close()
  },
})

async function openCaseOf(app: Page, desk: RunningDesk, procedureId: string): Promise<string> {
  const list = await desk.call<{ rows: { id: string }[] }>('cases.list', {
    view: 'alle',
    procedureId,
  })
  const id = list.rows[0]!.id
  await app.goto(`${appBase(app)}#/vorgang/${id}`)
  await expect(app.getByRole('heading', { level: 1 })).toBeVisible()
  return id
}

async function prepareForDecision(app: Page): Promise<void> {
  await app.getByRole('button', { name: 'Übernehmen' }).click()
  await app.getByRole('button', { name: '→ In Bearbeitung' }).click()
  await expect(app.locator('.case-header')).toContainText('In Bearbeitung')
  await app.getByRole('tab', { name: 'Entscheidung' }).click()
}

/** Switches the signed-in user (browser mode's user switch) and waits for the new session. */
async function signInAs(app: Page, label: string, userId: string): Promise<void> {
  await switchUser(app, userId, label)
}
// the team of a case decides who works on it (main/core/rights.ts): Wohngeld is team-soziales,
// Kfz and Baugenehmigung team-ordnung
const lead = (app: Page) => signInAs(app, 'Sabine Bäumer (Sachgebietsleitung)', 'u-sbaeumer')
const ordnungLead = (app: Page) =>
  signInAs(app, 'Heike Jüngling (Sachgebietsleitung)', 'u-hjuengling')
const ordnungClerk = (app: Page) => signInAs(app, 'Lukas Köhler (Sachbearbeitung)', 'u-lkoehler')

test('entscheiden, Vorschau, in zwei Schritten signieren und versenden, Postausgang', async ({
  app,
  desk,
}, testInfo) => {
  await ordnungClerk(app)
  const id = await openCaseOf(app, desk, 'kfz')
  await prepareForDecision(app)
  await app.getByLabel('Zulassung', { exact: true }).check()
  await expect(app.getByLabel('Fahrzeug (Hersteller, Typ, FIN) *')).toHaveValue(/FIN/) // prefilled from the application
  // only the fields of the chosen outcome: no withdrawal date for a Zulassung
  await expect(app.getByLabel(/Antragsrücknahme am/)).toHaveCount(0)
  await app.getByLabel('Zugeteiltes Kennzeichen *').fill('GR-AF 2026')
  await app.getByLabel('Gebühr nach GebOSt *').fill('26,30 €')
  await app.getByRole('button', { name: 'Entscheidung speichern' }).click()
  await expect(app.getByRole('heading', { name: 'Entscheidung: Zulassung' })).toBeVisible()
  await expect(app.locator('.case-header')).toContainText('Entschieden')
  await expect(app.locator('.decision-summary')).toContainText('26,30 €')

  await app.getByRole('button', { name: 'Vorschau anzeigen' }).click()
  await expect(app.getByTestId('pdf-page')).toHaveText(/Seite 1 von \d/)
  await keepScreenshot(app, testInfo, 'bescheid-vorschau')
  await app.getByRole('button', { name: 'Vorschau schließen' }).click()

  // Enter in the password field leads to the summary – it never sends
  await app.getByLabel('Passwort des Zertifikats').fill('falsch')
  await app.getByLabel('Passwort des Zertifikats').press('Enter')
  await expect(app.getByRole('heading', { name: 'Bescheid prüfen und versenden' })).toBeVisible()
  await expect(app.locator('.case-header')).toContainText('Entschieden')
  await app.getByRole('button', { name: 'Jetzt signieren und versenden' }).click()
  await expect(app.getByRole('alert').filter({ hasText: 'Passwort' })).toContainText(
    'Das Passwort des Zertifikats ist falsch.',
  )
  await app.getByLabel('Passwort des Zertifikats').fill('demo')
  await app.getByRole('button', { name: 'Weiter zur Zusammenfassung' }).click()
  const summary = app.getByTestId('send-summary')
  await expect(summary).toContainText('Empfänger')
  await expect(summary).toContainText('Zulassung')
  await expect(summary).toContainText('Gebühr nach GebOSt')
  await expect(summary).toContainText('26,30 €')
  await expect(summary).toContainText(/Bekanntgabe\s*\d{2}\.\d{2}\.\d{4}/)
  await expect(summary).toContainText(/Widerspruchsfrist endet\s*\d{2}\.\d{2}\.\d{4}/)
  await expectAccessible(app)
  await keepScreenshot(app, testInfo, 'versand-zusammenfassung')
  expect((await desk.call<{ status: string }>('cases.get', { id })).status).toBe('entschieden')
  await app.getByRole('button', { name: 'Jetzt signieren und versenden' }).click()
  await expect(app.locator('.case-header')).toContainText('Versandt')
  await expect(app.getByTestId('objection-end')).toHaveText(/\d{2}\.\d{2}\.\d{4}/)
  await expect(app.getByRole('button', { name: 'Druckexemplar (PDF) herunterladen' })).toBeVisible()
  await expectAccessible(app)
  await keepScreenshot(app, testInfo, 'versandt-druckexemplar')

  await app.getByRole('tab', { name: /Dokumente/ }).click()
  await app.getByRole('button', { name: /^Bescheid vom .*\(Zulassung\)/ }).click()
  await expect(app.getByTestId('pdf-page')).toHaveText(/Seite 1 von \d/)
  await keepScreenshot(app, testInfo, 'bescheid-in-dokumente')

  const detail = await desk.call<{ documents: { id: string; kind: string }[] }>('cases.get', { id })
  const notice = detail.documents.find((d) => d.kind === 'bescheid')!
  const content = await desk.call<{ base64: string }>('cases.document', { id: notice.id })
  const file = join(testInfo.outputDir, 'bescheid.pdf')
  writeFileSync(file, Buffer.from(content.base64, 'base64'))
  expect(execFileSync('pdfsig', [file], { encoding: 'utf8' })).toContain('Signature is Valid.')

  // Postausgang: print the copy, then note it as handed to the post
  await app.getByRole('link', { name: /Postausgang/ }).click()
  await expect(app.getByRole('heading', { name: 'Postausgang', level: 1 })).toBeVisible()
  const row = app.getByTestId('post-row')
  await expect(row).toHaveCount(1)
  await expect(row).toContainText('Zulassung')
  const download = app.waitForEvent('download')
  await row.getByRole('button', { name: /Druckexemplar/ }).click()
  expect((await download).suggestedFilename()).toMatch(/^Bescheid-.*\.pdf$/)
  await expectAccessible(app)
  await keepScreenshot(app, testInfo, 'postausgang')
  await row.getByRole('button', { name: /zur Post gegeben/ }).click()
  await expect(app.getByText('Keine Bescheide warten auf den Postversand.')).toBeVisible()
})

test('Mitzeichnung: Entwurf, Hinweis für die Sachbearbeitung, zurück mit Anmerkung, Mitzeichnen aus dem Eingang', async ({
  app,
  desk,
}, testInfo) => {
  await ordnungClerk(app)
  const id = await openCaseOf(app, desk, 'baugenehmigung')
  await prepareForDecision(app)
  await app.getByLabel('Genehmigung', { exact: true }).check()
  await expect(app.getByLabel('Bauvorhaben *')).not.toHaveValue('') // prefilled from the application
  await app
    .getByLabel('Nebenbestimmungen (Auflagen, Bedingungen) *')
    .fill('Baubeginn ist zwei Wochen vorher anzuzeigen.')
  await app.getByLabel('Gebühr *').fill('1.250,00')
  const reasons = app.getByRole('textbox', { name: 'Begründung', exact: true })
  await expect(reasons).not.toHaveValue(/\{\{applicationDate\}\}|\{\{project\}\}/)
  await expect(reasons).toHaveValue(/\[vereinfachten\]/) // the clerk's own judgement stays open
  await app.getByRole('button', { name: 'Entscheidung speichern' }).click()
  // open places in the Begründung: a draft, not decided
  await expect(app.getByRole('heading', { name: 'Entwurf: Genehmigung' })).toBeVisible()
  await expect(app.getByTestId('draft-open')).toContainText(
    'Die Begründung enthält noch offene Stellen: [vereinfachten]',
  )
  await expect(app.getByTestId('case-status')).toHaveText(
    'In Bearbeitung – Entscheidung im Entwurf',
  )
  await expectAccessible(app)
  await keepScreenshot(app, testInfo, 'entscheidung-entwurf')

  await app.getByRole('button', { name: 'Entscheidung ändern' }).click()
  await app
    .getByRole('textbox', { name: 'Begründung', exact: true })
    .fill(
      'Das Vorhaben ist nach § 34 BauGB zulässig; öffentlich-rechtliche Vorschriften stehen nicht entgegen (§ 72 Abs. 1 SächsBO).',
    )
  await app.getByRole('button', { name: 'Entscheidung speichern' }).click()
  await expect(app.getByTestId('cosign-state')).toHaveText(
    'ausstehend – wartet auf die Sachgebietsleitung',
  )
  await expect(app.getByTestId('notice-state')).toContainText('erst nach der Mitzeichnung')
  // the header says the same as the pane: waiting for the co-signature, not just „Entscheidungsreif“
  await expect(app.getByTestId('case-status')).toHaveText(
    'Entscheidungsreif – Mitzeichnung ausstehend',
  )
  await expect(app.getByText('kann signiert werden')).toHaveCount(0)
  await expect(app.getByRole('button', { name: /Signieren|Zusammenfassung/ })).toHaveCount(0)
  // the clerk has no Mitzeichnung: no button, no inbox, and the API refuses
  await expect(app.getByRole('button', { name: 'Mitzeichnen' })).toHaveCount(0)
  await expect(app.getByRole('link', { name: /Mitzeichnung/ })).toHaveCount(0)
  await expect(desk.call('decisions.cosign', { id })).rejects.toThrow(/Sachgebietsleitung/)
  await keepScreenshot(app, testInfo, 'mitzeichnung-ausstehend')

  // the team lead returns it with a note
  await ordnungLead(app)
  await expect(app.getByTestId('cosign-count')).toHaveText('1')
  await app.getByRole('link', { name: /Mitzeichnung/ }).click()
  await expect(app.getByRole('heading', { name: 'Mitzeichnung', level: 1 })).toBeVisible()
  const row = app.getByTestId('cosign-row')
  await expect(row).toContainText('Genehmigung')
  await expect(row).toContainText('Gebühr: 1.250,00 €')
  await expectAccessible(app)
  await keepScreenshot(app, testInfo, 'mitzeichnung-eingang')
  await row.getByRole('button', { name: /^Prüfen/ }).click()
  await app.getByRole('button', { name: 'Zurück mit Anmerkung …' }).click()
  await app
    .getByLabel('Anmerkung für die Sachbearbeitung *')
    .fill('Bitte die Stellplatzauflage ergänzen.')
  await app.getByRole('button', { name: 'Zurück an die Sachbearbeitung' }).click()
  await expect(app.getByText('Keine Entscheidung wartet auf Ihre Mitzeichnung.')).toBeVisible()
  await expect(app.getByTestId('cosign-count')).toHaveText('0')

  // the clerk sees the note and resubmits
  await ordnungClerk(app)
  await app.goto(`${appBase(app)}#/vorgang/${id}/entscheidung`)
  await expect(app.getByTestId('returned-note')).toContainText(
    'Bitte die Stellplatzauflage ergänzen.',
  )
  await expect(app.getByTestId('returned-note')).toContainText('Heike Jüngling')
  await expect(app.getByTestId('case-status')).toHaveText(
    'In Bearbeitung – von der Sachgebietsleitung zurückgegeben',
  )
  await keepScreenshot(app, testInfo, 'zurueck-mit-anmerkung')
  await app.getByRole('button', { name: 'Entscheidung ändern' }).click()
  await app
    .getByLabel('Nebenbestimmungen (Auflagen, Bedingungen) *')
    .fill('Baubeginn ist zwei Wochen vorher anzuzeigen.\nZwei Stellplätze sind herzustellen.')
  await app.getByRole('button', { name: 'Entscheidung speichern' }).click()
  await expect(app.getByTestId('cosign-state')).toHaveText(
    'ausstehend – wartet auf die Sachgebietsleitung',
  )

  // the lead co-signs from the inbox, with a comment
  await ordnungLead(app)
  await app.getByRole('link', { name: /Mitzeichnung/ }).click()
  await app
    .getByTestId('cosign-row')
    .getByRole('button', { name: /^Prüfen/ })
    .click()
  await app.getByLabel('Anmerkung zur Mitzeichnung (optional)').fill('Geprüft.')
  await expectAccessible(app)
  await keepScreenshot(app, testInfo, 'mitzeichnung-pruefen')
  await app.getByRole('button', { name: 'Mitzeichnen' }).click()
  await expect(app.getByText('Keine Entscheidung wartet auf Ihre Mitzeichnung.')).toBeVisible()
  await app.goto(`${appBase(app)}#/vorgang/${id}/entscheidung`)
  await expect(app.getByTestId('cosign-state')).toContainText(/Heike Jüngling, \d.*„Geprüft\.“/)
  await expect(app.getByTestId('case-status')).toHaveText('Entschieden – mitgezeichnet')
  await app.getByRole('tab', { name: /Verlauf/ }).click()
  const verlauf = app.getByRole('tabpanel')
  await expect(verlauf).toContainText('Zurück an Lukas Köhler mit Anmerkung')
  await expect(verlauf).toContainText('Bitte die Stellplatzauflage ergänzen.')
  await expect(verlauf).toContainText('Mitgezeichnet')
  await expect(verlauf).toContainText('Geprüft.')
})

test('Entscheidung ändern: 187,50 € bleibt 187,50 €; Verlauf zeigt alt → neu; eigene Entscheidung nicht mitzeichnen', async ({
  app,
  desk,
}, testInfo) => {
  const id = await openCaseOf(app, desk, 'wohngeld')
  await prepareForDecision(app)
  await app.getByLabel('Bewilligung', { exact: true }).check()
  const reasons = app.getByRole('textbox', { name: 'Begründung', exact: true })
  // the skeleton holds what the application holds
  await expect(reasons).not.toHaveValue(/\[Anzahl\]|\[Betrag\]|\{\{applicationDate\}\}/)
  await expect(reasons).toHaveValue(
    /Haushaltsmitglieder \(\d+\), der zu berücksichtigenden Miete von [\d.]+,\d\d\s€/,
  )
  await expect(app.getByLabel('Bewilligungszeitraum von *')).not.toHaveValue('')
  await app.getByLabel('Monatliches Wohngeld *').fill('187,50')
  await expectAccessible(app)
  await keepScreenshot(app, testInfo, 'entscheidung-formular')
  await app.getByRole('button', { name: 'Entscheidung speichern' }).click()
  await expect(app.getByRole('heading', { name: 'Entscheidung: Bewilligung' })).toBeVisible()
  await expect(app.locator('.decision-summary')).toContainText('187,50 €')

  // open and save unchanged: nothing changes
  await app.getByRole('button', { name: 'Entscheidung ändern' }).click()
  await expect(app.getByLabel('Monatliches Wohngeld *')).toHaveValue('187,50')
  await app.getByRole('button', { name: 'Entscheidung speichern' }).click()
  await expect(app.getByRole('heading', { name: 'Entscheidung: Bewilligung' })).toBeVisible()
  await expect(app.locator('.decision-summary')).toContainText('187,50 €')
  await expect(app.locator('.decision-summary')).not.toContainText('1.875,00')
  await expect(app.getByTestId('cosign-state')).toHaveCount(0) // no Mitzeichnung below 500 €
  await expect(app.locator('.case-header')).toContainText('Entschieden')
  const saved = await desk.call<{ decision: { fields: Record<string, unknown>; reasons: string } }>(
    'decisions.get',
    { id },
  )
  expect(saved.decision.fields.monthlyAmount).toBe(187.5)
  expect(saved.decision.reasons).toMatch(/ein Wohngeld von monatlich 187,50\s€/)

  // a real change is recorded old → new
  await app.getByRole('button', { name: 'Entscheidung ändern' }).click()
  await app.getByLabel('Monatliches Wohngeld *').fill('612,50 €')
  await app.getByRole('button', { name: 'Entscheidung speichern' }).click()
  await expect(app.getByTestId('cosign-state')).toHaveText(
    'ausstehend – wartet auf die Sachgebietsleitung',
  )
  await app.getByRole('tab', { name: /Verlauf/ }).click()
  await expect(app.getByRole('tabpanel')).toContainText(
    'Entscheidung geändert: Monatliches Wohngeld 187,50 € → 612,50 €',
  )
  await expect(app.getByRole('tabpanel')).toContainText('Entscheidung erfasst: Bewilligung')
  await keepScreenshot(app, testInfo, 'verlauf-alt-neu')

  // the lead changes the decision herself: now it is hers, and she cannot co-sign it
  await lead(app)
  await app.goto(`${appBase(app)}#/vorgang/${id}/entscheidung`)
  await expect(app.getByRole('button', { name: 'Mitzeichnen' })).toBeVisible()
  await app.getByRole('button', { name: 'Entscheidung ändern' }).click()
  await app.getByLabel('Monatliches Wohngeld *').fill('620,00')
  await app.getByRole('button', { name: 'Entscheidung speichern' }).click()
  await expect(app.getByTestId('cosign-state')).toHaveText(
    'ausstehend – wartet auf die Sachgebietsleitung',
  )
  await expect(app.getByRole('button', { name: 'Mitzeichnen' })).toHaveCount(0)
  await expect(app.getByTestId('cosign-count')).toHaveText('0')
  await expect(desk.call('decisions.cosign', { id })).rejects.toThrow(/Vier-Augen-Prinzip/)
})

test('der ganze Weg nur mit der Tastatur: Vermerk, Wiedervorlage, Nachforderung, Entscheidung, Signatur', async ({
  app,
  desk,
}, testInfo) => {
  await ordnungClerk(app)
  await openCaseOf(app, desk, 'kfz')
  await expect(app.getByRole('heading', { level: 1 })).toBeFocused()
  const header = app.locator('.case-header')

  await app.keyboard.press('u') // Übernehmen
  await expect(header).toContainText('Lukas Köhler')
  await expectFocusKept(app)

  await app.keyboard.press('v')
  await expect(app.getByLabel('Vermerk', { exact: true })).toBeFocused()
  await app.keyboard.type('Halterauskunft liegt vor.')
  await app.keyboard.press('Control+Enter')
  await expect(app.getByRole('tab', { name: /Vermerke \(1\)/ })).toBeVisible()
  // the keyboard user lands on the note just written
  await expect(
    app
      .getByRole('tabpanel')
      .getByRole('listitem')
      .filter({ hasText: 'Halterauskunft liegt vor.' }),
  ).toBeFocused()

  await app.keyboard.press('w')
  await expect(app.getByLabel('Wiedervorlage am')).toBeFocused()
  await app.keyboard.press('Control+A')
  await app.keyboard.type('15012027') // eight digits without dots are read as 15.01.2027
  await app.keyboard.press('Enter')
  await expect(header).toContainText('15.01.2027')
  await expect(app.getByRole('button', { name: 'Wiedervorlage' })).toBeFocused()

  await tabTo(app, app.getByRole('button', { name: '→ In Bearbeitung' }))
  await app.keyboard.press('Enter')
  await expect(header).toContainText('In Bearbeitung')
  await expectFocusKept(app)

  await app.keyboard.press('n')
  const request = app.getByRole('form', { name: 'Unterlagen nachfordern' })
  await expect(request.getByRole('checkbox').first()).toBeFocused()
  await app.keyboard.press('Space')
  await tabTo(app, request.getByLabel('Frist'))
  await app.keyboard.press('Control+A')
  await app.keyboard.type('01.01.2020') // before today: refused in German
  await app.keyboard.press('Enter')
  await expect(
    request.getByText(/Das Datum darf nicht vor dem \d{2}\.\d{2}\.\d{4} liegen\./),
  ).toBeVisible()
  await app.keyboard.press('Control+A')
  await app.keyboard.type('31.12.2026')
  await tabTo(app, app.getByRole('button', { name: 'Nachforderung erstellen' }))
  await app.keyboard.press('Enter')
  await expect(header).toContainText('Nachforderung')
  await expect(app.getByRole('button', { name: 'Unterlagen nachfordern' })).toBeFocused()

  // the documents came: back to work, then decide
  await tabTo(app, app.getByRole('button', { name: '→ In Bearbeitung' }))
  await app.keyboard.press('Enter')
  await expect(header).toContainText('In Bearbeitung')
  await expectFocusKept(app)
  await app.keyboard.press('e')
  await expect(app.getByRole('tab', { name: 'Entscheidung' })).toHaveAttribute(
    'aria-selected',
    'true',
  )
  const zulassung = app.getByLabel('Zulassung', { exact: true })
  await tabTo(app, zulassung) // the first outcome, chosen already
  await expect(zulassung).toBeChecked()
  await tabTo(app, app.getByLabel('Zugeteiltes Kennzeichen *'))
  await app.keyboard.type('GR-AF 2027')
  await tabTo(app, app.getByLabel('Gebühr nach GebOSt *'))
  await app.keyboard.type('26,30 €')
  await tabTo(app, app.getByRole('button', { name: 'Entscheidung speichern' }))
  await app.keyboard.press('Enter')
  await expect(app.getByRole('heading', { name: 'Entscheidung: Zulassung' })).toBeFocused()

  // sign: password, Enter → the summary has the focus; send; focus on the decision again
  await tabTo(app, app.getByLabel('Passwort des Zertifikats'))
  await app.keyboard.type('demo')
  await app.keyboard.press('Enter')
  await expect(app.getByRole('heading', { name: 'Bescheid prüfen und versenden' })).toBeFocused()
  await expect(app.getByTestId('send-summary')).toContainText('26,30 €')
  await expectAccessible(app)
  await tabTo(app, app.getByRole('button', { name: 'Jetzt signieren und versenden' }))
  await app.keyboard.press('Enter')
  await expect(header).toContainText('Versandt')
  await expect(app.getByRole('heading', { name: 'Entscheidung: Zulassung' })).toBeFocused()
  await keepScreenshot(app, testInfo, 'tastatur-versandt')
  await expectAccessible(app)
})
