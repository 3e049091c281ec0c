/**
 * Writes a sample xdomea 3.0.0 Aussonderung for one generated, closed Baugenehmigung case
 * (one attachment and a signed notice), without a running app:
 *
 *   npm run archive:sample -- --out DIR [--password demo]
 *
 * DIR receives
 *   <ProzessID>_Aussonderung.Anbieteverzeichnis.0501.xml  (+ .zip, the transport container)
 *   <ProzessID>_Aussonderung.Aussonderung.0503.zip        (XML + primary documents <UUID>.<ext>)
 *   <ProzessID>_Aussonderung.Aussonderung.0503.xml        (copy of the XML inside, for reading)
 * and both messages are validated against assets/xdomea/xdomea_3.0.0/xdomea.xsd with xmllint.
 *
 * The notice is the Baugenehmigung template (assets/notices) with its sample data, signed with
 * the demo certificate (assets/certs/demo-sachbearbeiter.p12) as PAdES-B.
 */
import { APP_VERSION } from '../main/core/version'
import { randomUUID } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { PDFDocument, StandardFonts, rgb } from 'pdf-lib'
import {
  XmllintMissingError,
  buildAnbieteverzeichnis0501,
  buildAussonderung0503,
  validateXdomea,
  type ArchiveExportInput,
} from '../main/lib/xdomea'
import { addDays, bekanntgabe, formatDateDe } from '../main/lib/deadlines'
import { loadPkcs12 } from '../main/lib/signature'
import { sampleNoticeInput, signNotice } from '../main/lib/notices'

interface Procedure {
  id: string
  name: string
  fileCode: string
  fileTitle: string
  retentionYears: number
  disposal: 'archivwürdig' | 'vernichten' | 'prüfen'
}
interface ProceduresFile {
  authority: { name: string; department: string; street: string; postalCode: string; city: string }
  procedures: Procedure[]
}

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name)
  return i >= 0 ? process.argv[i + 1] : undefined
}

const berlinDay = (d: Date) =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Berlin',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(d)

/** A one-page PDF with a few lines of text (Helvetica/WinAnsi covers ä ö ü ß – §). */
async function simplePdf(title: string, lines: string[], drawPlan = false): Promise<Uint8Array> {
  const doc = await PDFDocument.create()
  doc.setTitle(title)
  doc.setCreator('Aktenfluss archive-sample')
  const page = doc.addPage([595.28, 841.89])
  const font = await doc.embedFont(StandardFonts.Helvetica)
  const bold = await doc.embedFont(StandardFonts.HelveticaBold)
  page.drawText(title, { x: 56, y: 770, size: 16, font: bold })
  lines.forEach((line, i) => page.drawText(line, { x: 56, y: 735 - i * 16, size: 10.5, font }))
  if (drawPlan) {
    page.drawRectangle({
      x: 120,
      y: 300,
      width: 300,
      height: 200,
      borderColor: rgb(0.1, 0.1, 0.1),
      borderWidth: 1.5,
    })
    page.drawRectangle({ x: 200, y: 360, width: 120, height: 80, color: rgb(0.85, 0.85, 0.85) })
    page.drawText('Flurstück 1234/5 – geplanter Anbau', { x: 130, y: 280, size: 9, font })
  }
  return doc.save({ useObjectStreams: false })
}

async function main(): Promise<void> {
  const out = argValue('--out')
  if (!out) {
    console.error('Aufruf: npm run archive:sample -- --out VERZEICHNIS [--password demo]')
    process.exit(2)
  }
  const outDir = resolve(out)
  mkdirSync(outDir, { recursive: true })

  const config = JSON.parse(
    readFileSync(new URL('../assets/procedures.json', import.meta.url), 'utf8'),
  ) as ProceduresFile
  const procedure = config.procedures.find((p) => p.id === 'baugenehmigung')
  if (!procedure) throw new Error('Verfahren "baugenehmigung" fehlt in assets/procedures.json')

  // A case that went through its whole life: received, notice sent by post, objection period
  // over, closed (zdA). Dates relative to today so the sample always describes a closed case.
  const now = new Date()
  const today = berlinDay(now)
  const receivedOn = addDays(today, -120)
  const dispatchDate = addDays(today, -45)
  const notified = bekanntgabe({ dispatchDate, channel: 'post' })
  if (!notified.objectionPeriodEnd || !notified.deliveredOn)
    throw new Error('Bekanntgabe ohne Ergebnis')
  const closedOn = addDays(notified.objectionPeriodEnd, 1)
  const aktenzeichen = `${procedure.fileCode}-${receivedOn.slice(0, 4)}-000042`
  const applicant = 'Jürgen Weiß, Straße der Befreiung 12, 02826 Görlitz'
  const clerk = 'Jörg Weiß'

  const attachment = await simplePdf(
    'Lageplan',
    [`Antragsteller: ${applicant}`, 'Maßstab 1:500'],
    true,
  )
  const password = argValue('--password') ?? process.env.AKTENFLUSS_DEMO_CERT_PASSWORD ?? 'demo'
  const p12 = new Uint8Array(
    readFileSync(new URL('../assets/certs/demo-sachbearbeiter.p12', import.meta.url)),
  )
  const identity = await loadPkcs12(p12, password)
  const signingTime = new Date(`${dispatchDate}T09:30:00+01:00`)
  // The real notice template of the procedure, filled with its sample data, signed PAdES-B.
  const sample = sampleNoticeInput('baugenehmigung')
  const notice = await signNotice({ ...sample, aktenzeichen, date: dispatchDate }, identity, {
    signingTime,
  })

  const at = (day: string, time: string) => new Date(`${day}T${time}`).toISOString()
  const caseId = randomUUID()
  const input: ArchiveExportInput = {
    prozessId: randomUUID(),
    createdAt: now.toISOString(),
    sender: {
      name: config.authority.name,
      department: config.authority.department,
      street: config.authority.street,
      postalCode: config.authority.postalCode,
      city: config.authority.city,
    },
    receiver: { name: 'Stadtarchiv Görlitz' },
    system: { product: 'Aktenfluss', version: APP_VERSION },
    cases: [
      {
        id: caseId,
        aktenzeichen,
        betreff: `${procedure.name}: Anbau Wintergarten, Straße der Befreiung 12 – Jürgen Weiß`,
        fileCode: procedure.fileCode,
        fileTitle: procedure.fileTitle,
        retentionYears: procedure.retentionYears,
        disposal: procedure.disposal,
        openedAt: receivedOn,
        closedAt: closedOn,
        history: [
          {
            at: at(receivedOn, '08:05:00+01:00'),
            actor: 'System',
            action: 'Eingang',
            text: 'Antrag über FIT-Connect eingegangen',
          },
          {
            at: at(addDays(receivedOn, 1), '10:12:00+01:00'),
            actor: 'Sachgebietsleitung',
            action: 'Zuweisung',
            text: `zugewiesen an ${clerk}`,
          },
          {
            at: signingTime.toISOString(),
            actor: clerk,
            action: 'Bescheid signiert',
            text: `Signatur: ${identity.subject}`,
          },
          {
            at: at(dispatchDate, '14:00:00+01:00'),
            actor: clerk,
            action: 'Versand',
            text: `Post; ${notified.notes[0] ?? ''}`,
          },
          {
            at: at(closedOn, '09:00:00+01:00'),
            actor: clerk,
            action: 'zdA',
            text: `Widerspruchsfrist bis ${formatDateDe(notified.objectionPeriodEnd)} abgelaufen`,
          },
        ],
        documents: [
          {
            id: randomUUID(),
            title: 'Lageplan',
            filename: 'Lageplan Weiß.pdf',
            mimeType: 'application/pdf',
            createdAt: at(receivedOn, '08:05:00+01:00'),
            bytes: attachment,
          },
          {
            id: randomUUID(),
            title: 'Bescheid (signiert)',
            filename: `Bescheid ${aktenzeichen}.pdf`,
            mimeType: 'application/pdf',
            createdAt: signingTime.toISOString(),
            bytes: notice,
            signed: true,
            author: clerk,
          },
        ],
      },
    ],
  }

  const m0501 = buildAnbieteverzeichnis0501(input)
  const m0503 = buildAussonderung0503(input)
  writeFileSync(join(outDir, m0501.fileName), m0501.xml)
  writeFileSync(join(outDir, m0501.zipFileName), m0501.zip)
  writeFileSync(join(outDir, m0503.fileName), m0503.zip)
  writeFileSync(join(outDir, m0503.xmlFileName), m0503.xml)

  let failed = false
  for (const [name, xml] of [
    [m0501.fileName, m0501.xml],
    [m0503.xmlFileName, m0503.xml],
  ] as const) {
    try {
      const r = validateXdomea(xml)
      console.log(`${r.valid ? 'gültig  ' : 'UNGÜLTIG'} ${name}`)
      for (const e of r.errors) console.log(`  ${e}`)
      failed ||= !r.valid
    } catch (e) {
      if (e instanceof XmllintMissingError) console.warn(`nicht geprüft: ${name} (${e.message})`)
      else throw e
    }
  }
  console.log(
    `Vorgang ${aktenzeichen} (${caseId}), zdA ${formatDateDe(closedOn)}, Bekanntgabe ${formatDateDe(notified.deliveredOn)}`,
  )
  console.log(`Ausgabe in ${outDir}:`)
  console.log(`  ${m0501.fileName}\n  ${m0501.zipFileName}\n  ${m0503.fileName}`)
  for (const e of m0503.entries) console.log(`    ${e.name}  ${e.size} B  sha256 ${e.sha256}`)
  if (failed) process.exit(1)
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e)
  process.exit(1)
})
