/**
 * Beispielbescheid erzeugen und mit dem Demo-Zertifikat signieren (ohne laufende App).
 *
 *   npm run notice:sample -- --procedure wohngeld --out bescheid.pdf [--outcome abgelehnt] [--unsigned]
 *   npm run notice:sample -- --list
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { assetPath } from '../main/lib/notices/assets'
import { NoticeIncompleteError, OUTCOMES, Outcome, listProcedureIds, loadNoticeTemplate, loadProcedures, sampleNoticeInput } from '../main/lib/notices/noticeModel'
import { renderNotice } from '../main/lib/notices/noticePdf'
import { signNotice } from '../main/lib/notices/signNotice'
import { loadPkcs12 } from '../main/lib/signature/identity'

const DEMO_P12 = 'demo-sachbearbeiter.p12'
const DEMO_PASSWORD = 'demo'

function arg(flag: string): string | undefined {
  const i = process.argv.indexOf(flag)
  return i >= 0 ? process.argv[i + 1] : undefined
}

function fail(message: string): never {
  console.error(`Fehler: ${message}`)
  process.exit(1)
}

async function main(): Promise<void> {
  if (process.argv.includes('--list')) {
    for (const p of loadProcedures().procedures) console.log(`${p.id.padEnd(16)} ${p.name}`)
    return
  }
  const procedureId = arg('--procedure')
  const out = arg('--out')
  if (!procedureId || !out) fail('Aufruf: npm run notice:sample -- --procedure <id> --out DATEI.pdf [--outcome <ergebnis>] [--unsigned] | --list')
  if (!listProcedureIds().includes(procedureId)) {
    fail(`Unbekanntes Verfahren „${procedureId}“. Verfügbare Verfahren: ${listProcedureIds().join(', ')} (siehe --list).`)
  }
  const outcomeArg = arg('--outcome')
  let outcome: Outcome | undefined
  if (outcomeArg) {
    const parsed = Outcome.safeParse(outcomeArg)
    if (!parsed.success) fail(`Unbekanntes Ergebnis „${outcomeArg}“. Möglich: ${OUTCOMES.join(', ')}.`)
    if (!loadNoticeTemplate(procedureId).outcomes[parsed.data]) fail(`Das Ergebnis „${outcomeArg}“ ist für ${procedureId} nicht vorgesehen.`)
    outcome = parsed.data
  }
  const input = sampleNoticeInput(procedureId, outcome)
  const now = new Date()
  let pdf: Uint8Array
  if (process.argv.includes('--unsigned')) {
    pdf = await renderNotice(input, { now })
  } else {
    const identity = await loadPkcs12(readFileSync(assetPath('certs', DEMO_P12)), DEMO_PASSWORD)
    try {
      pdf = await signNotice(input, identity, { signingTime: now, now })
    } catch (e) {
      if (e instanceof NoticeIncompleteError) fail(e.message)
      throw e
    }
    console.log(`signiert mit DEMO-Zertifikat: ${identity.subject}`)
  }
  writeFileSync(out, pdf)
  console.log(`geschrieben: ${out} (${pdf.length} Bytes, Verfahren ${procedureId}, Ergebnis ${input.outcome})`)
}

main().catch((e: unknown) => fail(e instanceof Error ? e.message : String(e)))
