// The demo's old paper files: closed years ago, past their retention, ready for the Aussonderung.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDesk, type Desk } from './desk'
import { manualClock } from './core/clock'
import { seedLegacyClosedCases, startOnLastPort } from './demo'
import { verifyHistoryChain } from '../db/repositories/history'

describe('demo: closed cases whose retention has ended', () => {
  let desk: Desk
  let ids: string[]
  beforeAll(() => {
    desk = createDesk({
      dataDir: mkdtempSync(join(tmpdir(), 'demo-legacy-')),
      mode: 'browser',
      clock: manualClock('2026-11-27T09:00:00Z'),
    })
    ids = seedLegacyClosedCases(desk)
  })
  afterAll(() => desk.close())
  const call = async <T>(m: string, input: unknown): Promise<T> => {
    const r = await desk.dispatch(m, input)
    if (!r.ok) throw new Error(`${m}: ${r.error.message}`)
    return r.value as T
  }

  it('lists them for the Registratur and exports them as xdomea, without moving the clock', async () => {
    expect(ids).toHaveLength(4)
    expect(verifyHistoryChain(desk.ctx.db).ok).toBe(true)
    desk.session.adopt('u-rvoelkel')
    const { rows } = await call<{ rows: { id: string; disposal: string; retentionEnd: string }[] }>(
      'archive.list',
      {},
    )
    expect(rows.map((r) => r.id).sort()).toEqual([...ids].sort())
    for (const r of rows) expect(r.retentionEnd < '2026-11-27').toBe(true)
    expect(rows.find((r) => r.id === ids[3])?.disposal).toBe('prüfen') // Sondernutzung: the file plan says „prüfen“ (bewerten)
    const out = await call<{ transfer: { fileName: string } }>('archive.export', { ids: [ids[0]!] })
    expect(out.transfer.fileName).toMatch(/0503\.zip$/)
  })

  it('are local files: nothing waits for the hub, no list of open work shows them', async () => {
    const status = await call<{ pending: number }>('sync.status', {})
    expect(status.pending).toBe(0)
    desk.session.adopt('u-jweiss')
    const inbox = await call<{ total: number }>('cases.list', { view: 'posteingang' })
    expect(inbox.total).toBe(0)
  })
})

describe('demo hub across restarts', () => {
  it('comes back on its last port (the IdP issuer stays), and on a free one when that is taken', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'demo-port-'))
    const first = await startOnLastPort(dir)
    const url = first.url
    await first.close()
    const again = await startOnLastPort(dir)
    expect(again.url).toBe(url)
    expect(again.issuer).toBe(`${url}/oidc`)
    // while `again` holds the port, another demo hub that remembers it falls back to a free one
    const other = mkdtempSync(join(tmpdir(), 'demo-port-'))
    writeFileSync(join(other, 'last-port'), `${new URL(url).port}\n`)
    const fallback = await startOnLastPort(other)
    expect(fallback.url).not.toBe(url)
    await fallback.close()
    await again.close()
  }, 60_000)
})
