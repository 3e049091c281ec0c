/**
 * First start without configuration (docs/glossary.md "What done looks like"): the reference hub runs
 * in-process on a free port with its data inside the desk's data folder, receives ~40 realistic
 * applications once (and one with a tampered attachment, so the intake log shows a rejection),
 * and the desk is pointed at it.
 */
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startHub, type RunningHub } from '../hub/server'
import { createRng, createSender, generateApplication, loadProcedures, seedSubmissions, submitApplication } from '../hub/seed/seed'
import type { Desk } from './desk'
import { getSetting, setSetting } from '../db/repositories/settings'

/** Demo applications through the sender API, plus one with a tampered attachment. */
export async function seedDemoApplications(hub: RunningHub, opts: { count: number; referenceDate: Date; seed?: string }): Promise<void> {
  await seedSubmissions({ hubUrl: hub.url, hubConfig: hub.config, count: opts.count, seed: opts.seed ?? 'demo', referenceDate: opts.referenceDate })
  const senderClient = hub.config.clients.find((c) => c.role === 'sender')!
  const sender = await createSender({
    hubUrl: hub.url,
    clientId: senderClient.clientId,
    clientSecret: senderClient.clientSecret,
    destinationId: hub.config.destinations[0]!.destinationId,
  })
  const app = await generateApplication(loadProcedures()[0]!, createRng(`${opts.seed ?? 'demo'}:manipuliert`), opts.referenceDate, 900)
  const first = app.attachments[0]!
  await submitApplication(sender, app, { replaceAttachment: { [first.attachmentId]: new TextEncoder().encode('%PDF-1.7 manipuliert') } })
}

export async function startDemoHub(desk: Desk, opts: { count?: number } = {}): Promise<RunningHub | undefined> {
  const configured = getSetting<{ url: string }>(desk.ctx.db, 'hub')
  if (configured && !getSetting<boolean>(desk.ctx.db, 'hub.demo')) return undefined // an office hub is configured
  const hubDir = join(desk.ctx.dataDir, 'demo-hub')
  const hub = await startHub({ dataDir: hubDir })
  // the demo hub is also the demo PKI's time-stamping authority and CRL source (PAdES B-LT);
  // production sets these to a qualified TSA and its own CRL/OCSP (docs/architecture.md, Security)
  process.env.AKTENFLUSS_TSA_URL ??= `${hub.url}/tsa`
  process.env.AKTENFLUSS_CRL_URL ??= `${hub.url}/pki/demo-ca.crl`
  const marker = join(hubDir, 'demo-seeded')
  if (!existsSync(marker)) {
    await seedDemoApplications(hub, { count: opts.count ?? 40, referenceDate: desk.ctx.clock.now() })
    writeFileSync(marker, new Date().toISOString())
  }
  desk.connectHub(hub.url, join(hubDir, 'hub.json'))
  setSetting(desk.ctx.db, 'hub.demo', true)
  return hub
}
