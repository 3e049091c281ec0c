/**
 * The demo's Rückkanal (issue #16 point 5): on the first start two Wohngeld applicants with the
 * FIT-Connect reply channel get a signed notice through the portal. The demo hub, playing their
 * portal, retrieves the first (Bekanntgabe set); the second was provided eleven days ago and
 * never retrieved, so it is „nicht abgerufen“ and waits in the Postausgang.
 */
import { join } from 'node:path'
import { compactDecrypt, importJWK } from 'jose'
import type { RunningHub } from '../hub/server'
import { createSender, portalKeyAt } from '../hub/seed/seed'
import { backdateReplyWindow, replyDeliveriesOfCase } from '../db/repositories/replies'
import { berlinDate } from './core/clock'
import { addDays } from './lib/deadlines'
import { expireUnretrieved } from './features/replies/pass'
import { replyTargetOf } from './features/replies/channel'
import type { Desk } from './desk'

const CLERK = 'u-jweiss' // Wohngeld is his team's procedure

export async function seedDemoReplies(desk: Desk, hub: RunningHub): Promise<string[]> {
  const call = async <T>(m: string, input: unknown): Promise<T> => {
    const r = await desk.dispatch(m, input)
    if (!r.ok) throw new Error(`${m}: ${r.error.message}`)
    return r.value as T
  }
  desk.session.adopt(CLERK) // the bridge's calls need a signed-in person; signed out below
  try {
    return await seedAs(desk, hub, call)
  } finally {
    desk.session.logout()
  }
}

async function seedAs(
  desk: Desk,
  hub: RunningHub,
  call: <T>(m: string, input: unknown) => Promise<T>,
): Promise<string[]> {
  await call('sync.run', {}) // intake: the seeded applications become cases
  const { rows } = await call<{ rows: { id: string }[] }>('cases.list', {
    view: 'alle',
    procedureId: 'wohngeld',
  })
  const withKey = rows.filter((r) => replyTargetOf(desk.ctx, r.id)?.key).slice(0, 2)
  if (withKey.length < 2) return []
  for (const c of withKey) {
    await call('casework.take', { id: c.id })
    await call('casework.setStatus', { id: c.id, to: 'in_bearbeitung' })
    const view = await call<{ prefill: Record<string, string> }>('decisions.get', { id: c.id })
    const year = new Date().getFullYear() + 1
    await call('decisions.decide', {
      id: c.id,
      outcome: 'stattgegeben',
      fields: {
        monthlyAmount: 184.5,
        periodFrom: view.prefill['periodFrom'] ?? `${year}-01-01`,
        periodTo: view.prefill['periodTo'] ?? `${year}-12-31`,
      },
      reasons: 'Die Voraussetzungen nach §§ 3 ff. WoGG liegen vor.',
    })
    await call('notices.issue', {
      id: c.id,
      certificate: 'seal',
      password: 'demo',
      channel: 'portal',
    })
  }
  await call('sync.run', {}) // the reply pass delivers both into their FIT-Connect cases
  const [retrieved, lapsed] = withKey.map((c) => replyDeliveriesOfCase(desk.ctx.db, c.id)[0])
  if (retrieved?.state !== 'delivered' || lapsed?.state !== 'delivered') return []

  // the portal (the demo hub's sender client) fetches, decrypts and confirms the first
  const s = hub.config.clients.find((c) => c.role === 'sender')!
  const sender = await createSender({
    hubUrl: hub.url,
    clientId: s.clientId,
    clientSecret: s.clientSecret,
    destinationId: hub.config.destinations[0]!.destinationId,
  })
  const key = await portalKeyAt(join(hub.dataDir, 'portal-key.json'))
  const got = (await (
    await sender.request(`/v2/replies/${retrieved.deliveryId}`, { method: 'GET' })
  ).json()) as {
    encryptedData: string
  }
  await compactDecrypt(got.encryptedData, await importJWK(key.privateJwk, 'RSA-OAEP-256'))
  await sender.request(`/v2/replies/${retrieved.deliveryId}/accept`, { method: 'POST' })

  // the second was provided eleven days ago and never retrieved
  const today = berlinDate(desk.ctx.clock.now())
  backdateReplyWindow(desk.ctx.db, lapsed.deliveryId, addDays(today, -11), addDays(today, -1))
  expireUnretrieved(desk.ctx)
  await call('sync.run', {}) // learns the retrieval from the event log
  return withKey.map((c) => c.id)
}
