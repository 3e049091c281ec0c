// Configuring a desk from a reference hub's hub.json: desk credential and where users sign in.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { getSetting } from '../../../db/repositories/settings'
import { startHub, type RunningHub } from '../../../hub/server'
import { createDesk, type Desk } from '../../desk'
import { loadHubCredentials, type IdentitySettings } from './hubConnection'

let hub: RunningHub
let desk: Desk
const dirs: string[] = []
const tmp = (p: string) => {
  const d = mkdtempSync(join(tmpdir(), p))
  dirs.push(d)
  return d
}
beforeAll(async () => {
  hub = await startHub({ dataDir: tmp('conn-hub-') })
  desk = createDesk({ dataDir: tmp('conn-desk-'), mode: 'browser' })
}, 60_000)
afterAll(async () => {
  await desk?.close()
  await hub?.close()
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

it('stores the chosen desk credential in the secret store and the embedded IdP as identity setting', () => {
  const second = hub.config.desks![1]!
  desk.connectHub(hub.url, join(hub.dataDir, 'hub.json'), { deskId: second.deskId })
  expect(loadHubCredentials(desk.ctx.db, desk.secrets)?.desk).toEqual(second)
  expect(getSetting<IdentitySettings>(desk.ctx.db, 'identity')).toEqual({
    issuer: `${hub.url}/oidc`,
    clientId: 'aktenfluss-desk',
    scopes: 'openid profile offline_access',
    // the hub's own IdP is the demo one: the login screen pre-fills the demo password
    demo: true,
  })
  // the secret is not in the database, only in the secret store
  expect(readFileSync(join(desk.ctx.dataDir, 'aktenfluss.db')).includes(second.secret)).toBe(false)
  desk.connectHub(hub.url, join(hub.dataDir, 'hub.json'))
  expect(loadHubCredentials(desk.ctx.db, desk.secrets)?.desk).toEqual(hub.config.desks![0])
})

it('takes the issuer of an external identity provider from hub.json; refuses an unknown desk in German', () => {
  const dir = tmp('conn-ext-')
  const config = JSON.parse(readFileSync(join(hub.dataDir, 'hub.json'), 'utf8')) as Record<
    string,
    unknown
  >
  writeFileSync(
    join(dir, 'hub.json'),
    JSON.stringify({
      ...config,
      identity: { issuer: 'https://idp.amt.example/realms/amt', audience: 'aktenfluss-office' },
    }),
  )
  desk.connectHub(hub.url, join(dir, 'hub.json'))
  expect(getSetting<IdentitySettings>(desk.ctx.db, 'identity')?.issuer).toBe(
    'https://idp.amt.example/realms/amt',
  )
  expect(() =>
    desk.connectHub(hub.url, join(dir, 'hub.json'), { deskId: 'gibt-es-nicht' }),
  ).toThrow(/enthält den Arbeitsplatz „gibt-es-nicht“ nicht/)
})
