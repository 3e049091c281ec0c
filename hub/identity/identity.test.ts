// Tools and configurations of hub-side identity: `npm run hub:token`, `--register-desk`, and an
// external OpenID Provider configured in hub.json instead of the embedded one.
import { execFile } from 'node:child_process'
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SignJWT, exportJWK, generateKeyPair } from 'jose'
import { startHub, type RunningHub } from '../server'
import { mintDemoAccessToken } from './mint'
import pg from 'pg'
import { createHash } from 'node:crypto'
import { testHubDatabase } from '../../testing/postgres/hubDatabase'

const run = promisify(execFile)
const tsx = (args: string[]) =>
  run(process.execPath, ['--import', 'tsx', ...args], { cwd: process.cwd() }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({
      code: e.code,
      stdout: e.stdout,
      stderr: e.stderr,
    }),
  )

let hub: RunningHub
let dir: string
let database: string | undefined
/** --database for the CLI on the PostgreSQL run */
const dbArgs = () => (database ? ['--database', database] : [])
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hub-identity-'))
  database = await testHubDatabase()
  hub = await startHub({ dataDir: dir, ...(database ? { database } : {}) })
}, 60_000)
afterAll(async () => {
  await hub?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('npm run hub:token', () => {
  it('prints the two headers of a desk acting for the user; the office API accepts them', async () => {
    const r = await tsx([
      'hub/identity/tokenCli.ts',
      '--hub-config',
      join(dir, 'hub.json'),
      '--user',
      'u-sbaeumer',
    ])
    expect(r.code).toBe(0)
    const lines = r.stdout.trim().split('\n')
    expect(lines).toHaveLength(1)
    const headers = JSON.parse(lines[0]!) as Record<string, string>
    expect(Object.keys(headers).sort()).toEqual(['authorization', 'x-aktenfluss-desk'])
    expect(headers['x-aktenfluss-desk']).toBe(
      `${hub.config.desks![0]!.deskId}:${hub.config.desks![0]!.secret}`,
    )
    const res = await fetch(`${hub.url}/office/v1/absences`, { headers })
    expect(res.status).toBe(200)
    const second = hub.config.desks![1]!.deskId
    const other = await tsx([
      'hub/identity/tokenCli.ts',
      '--hub-config',
      join(dir, 'hub.json'),
      '--user',
      'u-sbaeumer',
      '--desk',
      second,
    ])
    expect((JSON.parse(other.stdout) as Record<string, string>)['x-aktenfluss-desk']).toMatch(
      new RegExp(`^${second}:`),
    )
  }, 30_000)

  it('refuses an unknown user and a hub with an external identity provider (German, exit 2)', async () => {
    const unknown = await tsx([
      'hub/identity/tokenCli.ts',
      '--hub-config',
      join(dir, 'hub.json'),
      '--user',
      'u-niemand',
    ])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toMatch(/steht nicht im Verzeichnis/)
    const ext = mkdtempSync(join(tmpdir(), 'hub-ext-'))
    try {
      const config = JSON.parse(readFileSync(join(dir, 'hub.json'), 'utf8')) as Record<
        string,
        unknown
      >
      writeFileSync(
        join(ext, 'hub.json'),
        JSON.stringify({
          ...config,
          identity: { issuer: 'https://idp.example/realms/amt', audience: 'aktenfluss-office' },
        }),
      )
      const r = await tsx([
        'hub/identity/tokenCli.ts',
        '--hub-config',
        join(ext, 'hub.json'),
        '--user',
        'u-amueller',
      ])
      expect(r.code).toBe(2)
      expect(r.stderr).toMatch(/externen Identitätsanbieter/)
      expect(r.stdout).toBe('')
    } finally {
      rmSync(ext, { recursive: true, force: true })
    }
  }, 30_000)
})

describe('npm run hub -- --register-desk', () => {
  it('registers a desk (hash only in the registry), prints its secret once; the running hub knows it at once', async () => {
    const r = await tsx([
      'hub/cli.ts',
      '--data-dir',
      dir,
      ...dbArgs(),
      '--register-desk',
      'desk-buergeramt-3',
    ])
    expect(r.code).toBe(0)
    const cred = JSON.parse(r.stdout) as { deskId: string; secret: string }
    expect(cred.deskId).toBe('desk-buergeramt-3')
    expect(Buffer.from(cred.secret, 'base64url')).toHaveLength(32)
    if (database) {
      const c = new pg.Client({ connectionString: database })
      await c.connect()
      const rows = (await c.query<{ h: string }>('SELECT secret_hash AS h FROM desks')).rows
      await c.end()
      const hash = createHash('sha256').update(cred.secret).digest('hex')
      expect(rows.map((x) => x.h)).toContain(hash)
      expect(rows.some((x) => x.h.includes(cred.secret))).toBe(false)
    } else
      expect(readFileSync(join(dir, 'hub.sqlite')).includes(Buffer.from(cred.secret))).toBe(false)
    const ok = await fetch(`${hub.url}/office/v1/directory`, {
      headers: { 'x-aktenfluss-desk': `${cred.deskId}:${cred.secret}` },
    })
    expect(ok.status).toBe(200)
    const again = await tsx([
      'hub/cli.ts',
      '--data-dir',
      dir,
      ...dbArgs(),
      '--register-desk',
      'desk-buergeramt-3',
    ])
    expect(again.code).toBe(2)
    expect(again.stderr).toMatch(/bereits registriert/)
    const viaApi = await hub.registerDesk()
    expect(hub.config.desks?.some((d) => d.deskId === viaApi.deskId)).toBe(true)
  }, 30_000)
})

describe('an external OpenID Provider in hub.json', () => {
  let idp: Server
  let issuer: string
  let sign: (claims: Record<string, unknown>, typ?: string) => Promise<string>
  let ext: RunningHub
  const extDir = mkdtempSync(join(tmpdir(), 'hub-external-'))

  beforeAll(async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS256')
    const jwk = { ...(await exportJWK(publicKey)), kid: 'kc-1', alg: 'RS256', use: 'sig' }
    idp = createServer((req, res) => {
      res.setHeader('content-type', 'application/json')
      if (req.url === '/realms/amt/.well-known/openid-configuration')
        res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/certs` }))
      else if (req.url === '/realms/amt/certs') res.end(JSON.stringify({ keys: [jwk] }))
      else res.writeHead(404).end('{}')
    })
    await new Promise<void>((r) => idp.listen(0, '127.0.0.1', r))
    issuer = `http://127.0.0.1:${(idp.address() as AddressInfo).port}/realms/amt`
    sign = (claims, typ = 'JWT') =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: 'kc-1', typ })
        .setIssuer(issuer)
        .setAudience('aktenfluss-office')
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(privateKey)
    const extDb = await testHubDatabase()
    const first = await startHub({ dataDir: extDir, ...(extDb ? { database: extDb } : {}) })
    await first.close()
    const config = JSON.parse(readFileSync(join(extDir, 'hub.json'), 'utf8')) as Record<
      string,
      unknown
    >
    writeFileSync(
      join(extDir, 'hub.json'),
      JSON.stringify({
        ...config,
        identity: { issuer, audience: 'aktenfluss-office', userClaim: 'preferred_username' },
      }),
    )
    ext = await startHub({ dataDir: extDir, ...(extDb ? { database: extDb } : {}) })
  }, 60_000)
  afterAll(async () => {
    await ext?.close()
    await new Promise((r) => idp.close(r))
    rmSync(extDir, { recursive: true, force: true })
  })

  it('maps the user by the configured claim, verifies with the issuer’s JWKS; the embedded IdP is off', async () => {
    const desk = ext.config.desks![0]!
    const call = (token: string) =>
      fetch(`${ext.url}/office/v1/absences`, {
        headers: {
          authorization: `Bearer ${token}`,
          'x-aktenfluss-desk': `${desk.deskId}:${desk.secret}`,
        },
      })
    expect(
      (await call(await sign({ sub: 'f3a1-uuid', preferred_username: 'u-amueller' }))).status,
    ).toBe(200)
    expect(
      (await call(await sign({ sub: 'f3a1-uuid', preferred_username: 'u-niemand' }))).status,
    ).toBe(403)
    // the demo key of this folder is no longer trusted
    expect(
      (await call(await mintDemoAccessToken({ dataDir: extDir, userId: 'u-amueller' }))).status,
    ).toBe(401)
    expect(ext.issuer).toBe(issuer)
    expect((await fetch(`${ext.url}/oidc/.well-known/openid-configuration`)).status).toBe(404)
  })
})
