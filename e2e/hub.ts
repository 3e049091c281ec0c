import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { seedDemoApplications } from '../main/demo'
import { startHub, type RunningHub } from '../hub/server'
import {
  createRng,
  createSender,
  generateApplication,
  loadProcedures,
  submitApplication,
} from '../hub/seed/seed'

/** A reference hub on a free port with `count` demo applications and one tampered submission. */
export async function startSeededHub(
  count: number,
): Promise<{ hub: RunningHub; hubConfig: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'aktenfluss-hub-'))
  const hub = await startHub({ dataDir })
  await seedDemoApplications(hub, { count, referenceDate: new Date(), seed: 'e2e' })
  return { hub, hubConfig: join(dataDir, 'hub.json') }
}

/** Submits one Baugenehmigung (its form PDF has two pages) by an applicant with the given name. */
export async function submitApplicant(
  hub: RunningHub,
  name: { vorname: string; nachname: string },
): Promise<string> {
  const senderClient = hub.config.clients.find((c) => c.role === 'sender')!
  const sender = await createSender({
    hubUrl: hub.url,
    clientId: senderClient.clientId,
    clientSecret: senderClient.clientSecret,
    destinationId: hub.config.destinations[0]!.destinationId,
  })
  const procedure = loadProcedures().find((p) => p.id === 'baugenehmigung')!
  for (let i = 0; ; i++) {
    const app = await generateApplication(
      procedure,
      createRng(`named:${name.nachname}:${i}`),
      new Date(),
      700 + i,
    )
    const data = app.data as { antragsteller?: Record<string, string> }
    if (!data.antragsteller) continue
    Object.assign(data.antragsteller, name)
    return (await submitApplication(sender, app)).submissionId
  }
}
