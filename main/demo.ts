/**
 * First start without configuration (docs/glossary.md "What done looks like"): the reference hub runs
 * in-process on a free port with its data inside the desk's data folder, receives ~40 realistic
 * applications once (and one with a tampered attachment, so the intake log shows a rejection),
 * and the desk is pointed at it.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startHub, type RunningHub } from '../hub/server'
import {
  createRng,
  createSender,
  generateApplication,
  loadProcedures,
  portalKeyAt,
  seedSubmissions,
  submitApplication,
} from '../hub/seed/seed'
import type { Desk } from './desk'
import { getSetting, setSetting } from '../db/repositories/settings'
import { closeCaseRecord, insertCase } from '../db/repositories/cases'
import { appendHistory } from '../db/repositories/history'

/**
 * A few old paper files of the Registratur, closed (zdA) years ago and past their retention, so
 * the Aussonderung can be tried at once. Local only (sync state „nur lokal“): the office hub never
 * saw them, as with files taken over from a paper registry.
 */
export function seedLegacyClosedCases(desk: Desk): string[] {
  const { db, procedures } = desk.ctx
  const files = [
    {
      procedureId: 'wohngeld',
      closed: '2016-03-14',
      applicant: 'Gertrud Wähner',
      address: 'Jakobstraße 4, 02826 Görlitz',
    },
    {
      procedureId: 'bussgeld',
      closed: '2019-06-03',
      applicant: 'Horst Schäfer',
      address: 'Berliner Straße 21, 02826 Görlitz',
    },
    {
      procedureId: 'kfz',
      closed: '2017-10-09',
      applicant: 'Elfriede Lößnitz',
      address: 'Struvestraße 2, 02826 Görlitz',
    },
    {
      procedureId: 'sondernutzung',
      closed: '2014-05-20',
      applicant: 'Eiscafé Venezia',
      address: 'Obermarkt 8, 02826 Görlitz',
    },
  ]
  const ids: string[] = []
  db.transaction(() => {
    files.forEach((f, i) => {
      const p = procedures.byId(f.procedureId)
      if (!p) return
      const year = Number(f.closed.slice(0, 4))
      const id = desk.ctx.newId()
      const receivedAt = `${year - 1}-11-02T09:00:00.000Z`
      const closedAt = `${f.closed}T10:00:00.000Z`
      const retentionEnd = `${year + p.retentionYears}-12-31`
      insertCase(db, {
        id,
        aktenzeichen: `${p.fileCode}-${year - 1}-${String(9001 + i).padStart(6, '0')}`,
        procedureId: p.id,
        subject: `${p.name} – ${f.applicant}`,
        applicantName: f.applicant,
        applicantAddress: f.address,
        status: 'abgeschlossen',
        receivedAt,
        deadline: null,
        channel: 'paper',
        submissionId: null,
        formData: {},
        updatedAt: closedAt,
      })
      const recordsNote = 'Altakte aus der Papierregistratur übernommen (Demo)'
      closeCaseRecord(db, id, {
        closedAt,
        retentionEnd,
        retentionYears: p.retentionYears,
        archivalValue: p.disposal,
        recordsNote,
      })
      appendHistory(db, {
        caseId: id,
        at: receivedAt,
        actor: 'system',
        action: 'Papierantrag erfasst',
        detail: 'Altakte (Demo)',
      })
      appendHistory(db, {
        caseId: id,
        at: closedAt,
        actor: 'u-rvoelkel',
        action: 'zdA verfügt',
        detail: `Aufbewahrung bis ${retentionEnd.split('-').reverse().join('.')} (${p.retentionYears} Jahre, ${p.fileCode} ${p.fileTitle}); Registraturvermerk: ${recordsNote}`,
      })
      ids.push(id)
    })
  })()
  return ids
}

/** Demo applications through the sender API, plus one with a tampered attachment. */
export async function seedDemoApplications(
  hub: RunningHub,
  opts: { count: number; referenceDate: Date; seed?: string; replyChannels?: boolean },
): Promise<void> {
  await seedSubmissions({
    hubUrl: hub.url,
    hubConfig: hub.config,
    count: opts.count,
    seed: opts.seed ?? 'demo',
    referenceDate: opts.referenceDate,
    // Rückkanal: some applicants name FIT-Connect (the portal's key), some e-mail, some none
    ...(opts.replyChannels
      ? { portalKey: await portalKeyAt(join(hub.dataDir, 'portal-key.json')) }
      : {}),
  })
  const senderClient = hub.config.clients.find((c) => c.role === 'sender')!
  const sender = await createSender({
    hubUrl: hub.url,
    clientId: senderClient.clientId,
    clientSecret: senderClient.clientSecret,
    destinationId: hub.config.destinations[0]!.destinationId,
  })
  const app = await generateApplication(
    loadProcedures()[0]!,
    createRng(`${opts.seed ?? 'demo'}:manipuliert`),
    opts.referenceDate,
    900,
  )
  const first = app.attachments[0]!
  await submitApplication(sender, app, {
    replaceAttachment: { [first.attachmentId]: new TextEncoder().encode('%PDF-1.7 manipuliert') },
  })
}

/**
 * The demo hub comes back on the port of its last start when it is free: its identity provider's
 * issuer is its URL, so the signed-in people's refresh tokens stay valid across restarts (on
 * another port they would have to sign in again). A taken port falls back to a free one.
 */
export async function startOnLastPort(hubDir: string): Promise<RunningHub> {
  const portFile = join(hubDir, 'last-port')
  const last = existsSync(portFile) ? Number(readFileSync(portFile, 'utf8').trim()) : 0
  let hub: RunningHub
  try {
    hub = await startHub({
      dataDir: hubDir,
      ...(last > 1023 && last < 65536 ? { port: last } : {}),
    })
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err
    hub = await startHub({ dataDir: hubDir })
  }
  writeFileSync(portFile, `${new URL(hub.url).port}\n`, { mode: 0o600 })
  return hub
}

export async function startDemoHub(
  desk: Desk,
  opts: { count?: number } = {},
): Promise<RunningHub | undefined> {
  const configured = getSetting<{ url: string }>(desk.ctx.db, 'hub')
  if (configured && !getSetting<boolean>(desk.ctx.db, 'hub.demo')) return undefined // an office hub is configured
  const hubDir = join(desk.ctx.dataDir, 'demo-hub')
  const hub = await startOnLastPort(hubDir)
  // the demo hub is also the demo PKI's time-stamping authority and CRL source (PAdES B-LT);
  // production sets these to a qualified TSA and its own CRL/OCSP (docs/architecture.md, Security)
  process.env.AKTENFLUSS_TSA_URL ??= `${hub.url}/tsa`
  process.env.AKTENFLUSS_CRL_URL ??= `${hub.url}/pki/demo-ca.crl`
  const marker = join(hubDir, 'demo-seeded')
  const firstStart = !existsSync(marker)
  if (firstStart) {
    await seedDemoApplications(hub, {
      count: opts.count ?? 40,
      referenceDate: desk.ctx.clock.now(),
      replyChannels: true,
    })
    seedLegacyClosedCases(desk)
    writeFileSync(marker, new Date().toISOString())
  }
  desk.connectHub(hub.url, join(hubDir, 'hub.json'))
  setSetting(desk.ctx.db, 'hub.demo', true)
  if (firstStart) {
    // one notice retrieved in the portal, one not retrieved and sent by post (Rückkanal)
    const { seedDemoReplies } = await import('./demoReplies')
    await seedDemoReplies(desk, hub).catch((err: unknown) =>
      console.warn(`Demo-Rückkanal nicht angelegt: ${(err as Error).message}`),
    )
  }
  return hub
}
