// Seeds a hub with realistic demo applications through the sender API.
import type { HubConfig } from '../bootstrap'
import { createRng } from './prng'
import { generateApplication, loadProcedures } from './generate'
import type { ProcedureDef } from './generate'
import { createSender, submitApplication } from './sender'
import type { SubmitResult } from './sender'
import {
  replyChannelFor,
  withReplyChannel,
  type PortalKey,
  type SeedReplyChannel,
} from './replyChannels'

export * from './sender'
export { generateApplication, loadProcedures } from './generate'
export type { ProcedureDef } from './generate'
export { createRng } from './prng'
export { portalKeyAt, type PortalKey, type SeedReplyChannel } from './replyChannels'

export interface SeedOptions {
  hubUrl: string
  hubConfig: HubConfig
  count: number
  seed?: string | number
  /** reference day for dates (default 2026-11-27, fixed so that a seed always gives the same data) */
  referenceDate?: Date
  /** submissions in flight at once (default 8) */
  concurrency?: number
  /** restrict to these procedure ids */
  procedures?: string[]
  fetch?: typeof fetch
  /** with a portal key, applicants name reply channels: every third FIT-Connect, every third e-mail */
  portalKey?: PortalKey
}

export interface SeedResult {
  submissions: (SubmitResult & {
    procedureId: string
    senderReference: string
    replyChannel: SeedReplyChannel
  })[]
  ms: number
}

export async function seedSubmissions(opts: SeedOptions): Promise<SeedResult> {
  const t0 = performance.now()
  const senderClient = opts.hubConfig.clients.find((c) => c.role === 'sender')
  const destination = opts.hubConfig.destinations[0]
  if (!senderClient || !destination)
    throw new Error('hub.json needs a sender client and a destination')
  const sender = await createSender({
    hubUrl: opts.hubUrl,
    clientId: senderClient.clientId,
    clientSecret: senderClient.clientSecret,
    destinationId: destination.destinationId,
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
  })
  let procs: ProcedureDef[] = loadProcedures()
  if (opts.procedures) procs = procs.filter((p) => opts.procedures!.includes(p.id))
  const seed = String(opts.seed ?? 1)
  const ref = opts.referenceDate ?? new Date('2026-11-27T12:00:00Z')
  const results = new Array<SeedResult['submissions'][number]>(opts.count)
  let next = 0
  const worker = async () => {
    while (next < opts.count) {
      const i = next++
      const rng = createRng(`${seed}:${i}`)
      const proc = procs[i % procs.length]!
      const app = await generateApplication(proc, rng, ref, i)
      const key = opts.portalKey
      const replyChannel: SeedReplyChannel = key
        ? replyChannelFor(i)
        : app.replyEmail
          ? 'eMail'
          : 'none'
      const address = app.replyEmail ?? `antrag-${i + 1}@example.org`
      const r = await submitApplication(
        sender,
        app,
        key
          ? {
              metadata: (m) => withReplyChannel(m, replyChannel, address, key),
            }
          : {},
      )
      results[i] = {
        ...r,
        procedureId: proc.id,
        senderReference: app.senderReference,
        replyChannel,
      }
    }
  }
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(opts.concurrency ?? 8, opts.count)) }, worker),
  )
  return { submissions: results, ms: performance.now() - t0 }
}
