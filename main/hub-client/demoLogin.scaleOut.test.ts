// Two hub processes behind one --public-url (#18 point 2): the embedded IdP's issuer is the load
// balancer's URL on both, the login cookies and OIDC records are shared (data folder, database),
// so a login whose requests hop between the processes gives a token that both accept. Runs in the
// hub-pg project (vitest.config.mts); the desk's own login code does the login.
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, request, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testHubBackend, testHubDatabase } from '../../testing/postgres/hubDatabase'
import { readIdpInfo } from '../../hub/identity/files'
import { startHub, type RunningHub } from '../../hub/server'
import { demoPasswordLogin } from './demoLogin'

/** A loopback stand-in for a load balancer: each request to the next process in turn. */
async function roundRobin(): Promise<{ url: string; targets: string[]; server: Server }> {
  const targets: string[] = []
  let n = 0
  const server = createServer((req, res) => {
    const target = new URL(req.url ?? '/', targets[n++ % targets.length])
    const up = request(target, { method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers)
      r.pipe(res)
    })
    up.on('error', () => res.writeHead(502).end())
    req.pipe(up)
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, targets, server }
}

describe.skipIf(testHubBackend() !== 'postgres')('two hub processes with one --public-url', () => {
  let dir: string
  let lb: Awaited<ReturnType<typeof roundRobin>>
  let a: RunningHub
  let b: RunningHub
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hub-public-'))
    const database = (await testHubDatabase())!
    lb = await roundRobin()
    a = await startHub({ dataDir: dir, database, publicUrl: `${lb.url}/` })
    b = await startHub({ dataDir: dir, database, publicUrl: lb.url })
    lb.targets.push(a.url, b.url)
  }, 60_000)
  afterAll(async () => {
    await a?.close()
    await b?.close()
    await new Promise((r) => lb?.server.close(r))
    rmSync(dir, { recursive: true, force: true })
  })

  it('a login through the balancer (hopping between processes) gives a token both accept', async () => {
    expect(a.issuer).toBe(`${lb.url}/oidc`)
    expect(b.issuer).toBe(a.issuer)
    expect(readIdpInfo(dir).issuer).toBe(a.issuer)
    const { accessToken } = await demoPasswordLogin({
      issuer: a.issuer,
      clientId: 'aktenfluss-desk',
      redirectUri: 'http://127.0.0.1:49152/callback',
      username: 'u-amueller',
      password: 'demo',
    })
    const d = a.config.desks![0]!
    for (const hub of [a, b]) {
      const r = await fetch(`${hub.url}/office/v1/changes?since=0`, {
        headers: {
          'x-aktenfluss-desk': `${d.deskId}:${d.secret}`,
          authorization: `Bearer ${accessToken}`,
        },
      })
      expect(r.status).toBe(200)
    }
  }, 60_000)
})
