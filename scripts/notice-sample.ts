/**
 * Beispielbescheid erzeugen und mit dem Demo-Zertifikat signieren (ohne laufende App).
 *
 *   npm run notice:sample -- --procedure wohngeld --out bescheid.pdf [--outcome abgelehnt] [--unsigned]
 *   npm run notice:sample -- --list
 *
 * Signiert PAdES B-LT (Signaturzeitstempel + DSS mit Kette und CRL). Zeitstempeldienst:
 * `--tsa URL` oder AKTENFLUSS_TSA_URL (RFC 3161 über HTTP, z. B. der Referenz-Hub unter /tsa);
 * Sperrlisten dann vom CRL-Verteilungspunkt der Zertifikate (AKTENFLUSS_CRL_URL lenkt um).
 * Ohne URL signiert der Demo-Zeitstempeldienst (hub/tsa) im Prozess – offline, echtes RFC-3161-Token.
 * `--lta` hängt zusätzlich einen Dokumentzeitstempel an (PAdES B-LTA; pdfsig 22.12 prüft ihn nicht).
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { assetPath } from '../main/lib/notices/assets'
import {
  NoticeIncompleteError,
  OUTCOMES,
  Outcome,
  listProcedureIds,
  loadNoticeTemplate,
  loadProcedures,
  sampleNoticeInput,
} from '../main/lib/notices/noticeModel'
import { renderNotice } from '../main/lib/notices/noticePdf'
import { signNotice } from '../main/lib/notices/signNotice'
import { DemoTsa } from '../hub/tsa/demoTsa'
import { loadPkcs12 } from '../main/lib/signature/identity'
import { cdpRevocationSource, localRevocationSource } from '../main/lib/signature/revocation'
import type { LtvOptions } from '../main/lib/signature/signPdf'
import { httpTimestampSource, localTimestampSource } from '../main/lib/signature/timestamp'

const DEMO_P12 = 'demo-sachbearbeiter.p12'
const DEMO_PASSWORD = 'demo'

function arg(flag: string): string | undefined {
  const i = process.argv.indexOf(flag)
  return i >= 0 ? process.argv[i + 1] : undefined
}

async function ltvOptions(): Promise<{ ltv: LtvOptions; label: string }> {
  const lta = process.argv.includes('--lta')
  const tsaUrl = arg('--tsa') ?? process.env.AKTENFLUSS_TSA_URL
  if (tsaUrl) {
    const crlUrl = process.env.AKTENFLUSS_CRL_URL
    return {
      ltv: {
        timestamp: httpTimestampSource(tsaUrl),
        revocation: cdpRevocationSource(crlUrl ? { rewrite: () => crlUrl } : {}),
        documentTimestamp: lta,
      },
      label: `Zeitstempel von ${tsaUrl}`,
    }
  }
  const tsa = await DemoTsa.load()
  return {
    ltv: {
      timestamp: localTimestampSource((req) => tsa.respond(req)),
      revocation: localRevocationSource(() => tsa.crl()),
      documentTimestamp: lta,
    },
    label: 'Zeitstempel vom Demo-Zeitstempeldienst (im Prozess)',
  }
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
  if (!procedureId || !out)
    fail(
      'Aufruf: npm run notice:sample -- --procedure <id> --out DATEI.pdf [--outcome <ergebnis>] [--unsigned] [--tsa URL] [--lta] | --list',
    )
  if (!listProcedureIds().includes(procedureId)) {
    fail(
      `Unbekanntes Verfahren „${procedureId}“. Verfügbare Verfahren: ${listProcedureIds().join(', ')} (siehe --list).`,
    )
  }
  const outcomeArg = arg('--outcome')
  let outcome: Outcome | undefined
  if (outcomeArg) {
    const parsed = Outcome.safeParse(outcomeArg)
    if (!parsed.success)
      fail(`Unbekanntes Ergebnis „${outcomeArg}“. Möglich: ${OUTCOMES.join(', ')}.`)
    if (!loadNoticeTemplate(procedureId).outcomes[parsed.data])
      fail(`Das Ergebnis „${outcomeArg}“ ist für ${procedureId} nicht vorgesehen.`)
    outcome = parsed.data
  }
  const input = sampleNoticeInput(procedureId, outcome)
  const now = new Date()
  let pdf: Uint8Array
  if (process.argv.includes('--unsigned')) {
    pdf = await renderNotice(input, { now })
  } else {
    const identity = await loadPkcs12(readFileSync(assetPath('certs', DEMO_P12)), DEMO_PASSWORD)
    const { ltv, label } = await ltvOptions()
    try {
      pdf = await signNotice(input, identity, { signingTime: now, now, ltv })
    } catch (e) {
      if (e instanceof NoticeIncompleteError) fail(e.message)
      throw e
    }
    console.log(
      `signiert mit DEMO-Zertifikat: ${identity.subject} (PAdES ${process.argv.includes('--lta') ? 'B-LTA' : 'B-LT'}; ${label})`,
    )
  }
  writeFileSync(out, pdf)
  console.log(
    `geschrieben: ${out} (${pdf.length} Bytes, Verfahren ${procedureId}, Ergebnis ${input.outcome})`,
  )
}

main().catch((e: unknown) => fail(e instanceof Error ? e.message : String(e)))
