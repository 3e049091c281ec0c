import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AppEvents } from '../core/events'
import { startBridge, type Bridge } from './bridge'

/** Raw HTTP so tests can send Host headers fetch() would not allow. */
function raw(
  port: number,
  opts: { method?: string; path: string; headers?: Record<string, string>; body?: string },
) {
  return new Promise<{
    status: number
    headers: Record<string, string | string[] | undefined>
    body: string
  }>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: opts.method ?? 'GET',
        path: opts.path,
        headers: opts.headers,
      },
      (res) => {
        let body = ''
        res.on('data', (c: Buffer) => (body += c.toString()))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
      },
    )
    req.on('error', reject)
    req.end(opts.body)
  })
}

describe('browser bridge', () => {
  let bridge: Bridge
  const events = new AppEvents()
  const calls: [string, unknown][] = []
  let now = Date.parse('2026-11-27T09:00:00Z')
  const rendererDir = mkdtempSync(join(tmpdir(), 'renderer-'))
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Aktenfluss</title>')
  mkdirSync(join(rendererDir, 'assets'))
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)')
  writeFileSync(join(tmpdir(), 'geheim.txt'), 'secret')

  beforeAll(async () => {
    bridge = await startBridge({
      rendererDir,
      token: 'test-token',
      clock: () => now,
      sessionIdleMs: 60 * 60_000,
      subscribe: (l) => events.onAny(l),
      dispatch: (method, input) => {
        calls.push([method, input])
        if (method === 'cases.get')
          return Promise.resolve({
            ok: false,
            error: { code: 'not_found', message: 'Der Vorgang wurde nicht gefunden.' },
          })
        return Promise.resolve({ ok: true, value: { echo: input } })
      },
    })
  })
  afterAll(() => bridge.close())

  const host = () => `127.0.0.1:${bridge.port}`
  const api = (method: string, headers: Record<string, string>, body = '{}') =>
    raw(bridge.port, {
      method: 'POST',
      path: `/api/${method}`,
      headers: { Host: host(), ...headers },
      body,
    })

  it('answers with the result for a valid token and maps errors to status codes', async () => {
    const ok = await api('cases.list', { Authorization: 'Bearer test-token' }, '{"limit":5}')
    expect(ok.status).toBe(200)
    expect(JSON.parse(ok.body)).toEqual({ echo: { limit: 5 } })
    const missing = await api('cases.get', { Authorization: 'Bearer test-token' })
    expect(missing.status).toBe(404)
    expect(JSON.parse(missing.body)).toEqual({
      error: { code: 'not_found', message: 'Der Vorgang wurde nicht gefunden.' },
    })
  })

  it('refuses missing or wrong tokens before dispatching', async () => {
    const before = calls.length
    expect((await api('cases.list', {})).status).toBe(401)
    expect((await api('cases.list', { Authorization: 'Bearer test-tokex' })).status).toBe(401)
    expect((await api('cases.list', { Cookie: 'aktenfluss_token=nope' })).status).toBe(401)
    // the API token as a cookie is nothing: the cookie carries only a session id
    expect((await api('cases.list', { Cookie: 'aktenfluss_session=test-token' })).status).toBe(401)
    expect(calls.length).toBe(before)
  })

  it('refuses foreign origins and DNS-rebinding Host headers', async () => {
    expect(
      (
        await api('cases.list', {
          Authorization: 'Bearer test-token',
          Origin: 'http://evil.example',
        })
      ).status,
    ).toBe(403)
    expect(
      (
        await api('cases.list', {
          Authorization: 'Bearer test-token',
          'Sec-Fetch-Site': 'cross-site',
        })
      ).status,
    ).toBe(403)
    const rebinding = await raw(bridge.port, {
      method: 'POST',
      path: '/api/cases.list',
      headers: { Host: `evil.example:${bridge.port}`, Authorization: 'Bearer test-token' },
      body: '{}',
    })
    expect(rebinding.status).toBe(403)
  })

  it('rejects malformed JSON and oversized bodies with a German message', async () => {
    const bad = await api('cases.list', { Authorization: 'Bearer test-token' }, '{nope')
    expect(bad.status).toBe(400)
    expect((JSON.parse(bad.body) as { error: { message: string } }).error.message).toMatch(
      /kein gültiges JSON/,
    )
    const big = await api(
      'cases.list',
      { Authorization: 'Bearer test-token' },
      JSON.stringify({ x: 'a'.repeat(33_000_000) }),
    )
    expect(big.status).toBe(413)
  })

  const signIn = async () => {
    const res = await raw(bridge.port, { path: '/?token=test-token', headers: { Host: host() } })
    const cookie = String(res.headers['set-cookie'])
    return { res, cookie, sid: /aktenfluss_session=([^;]+)/.exec(cookie)?.[1] ?? '' }
  }

  it('turns the one-time URL into a random session id cookie, scoped to a per-launch path', async () => {
    const { res, cookie, sid } = await signIn()
    expect(res.status).toBe(302)
    expect(bridge.basePath).toMatch(/^\/s-[0-9a-f]{32}\/$/)
    expect(res.headers.location).toBe(bridge.basePath)
    expect(cookie).toMatch(
      new RegExp(
        `^aktenfluss_session=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=${bridge.basePath}; Max-Age=3600$`,
      ),
    )
    expect(cookie).not.toContain('test-token')
    // a second visit gets a different id
    expect((await signIn()).sid).not.toBe(sid)
    const page = await raw(bridge.port, {
      path: bridge.basePath,
      headers: { Host: host(), Cookie: `aktenfluss_session=${sid}` },
    })
    expect(page.status).toBe(200)
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'/)
    expect(page.headers['content-security-policy']).not.toMatch(/unsafe-(inline|eval)/)
    expect(
      (await raw(bridge.port, { path: bridge.basePath, headers: { Host: host() } })).status,
    ).toBe(401)
    // the app's API lives under the same path and takes the cookie …
    const viaCookie = await raw(bridge.port, {
      method: 'POST',
      path: `${bridge.basePath}api/cases.list`,
      headers: { Host: host(), Cookie: `aktenfluss_session=${sid}` },
      body: '{}',
    })
    expect(viaCookie.status).toBe(200)
    // … the scripts' /api/ only the Bearer token, never the cookie
    expect((await api('cases.list', { Cookie: `aktenfluss_session=${sid}` })).status).toBe(401)
  })

  it('lets an unused browser session expire (sliding) and renews a used one', async () => {
    const { sid } = await signIn()
    const use = () =>
      raw(bridge.port, {
        method: 'POST',
        path: `${bridge.basePath}api/cases.list`,
        headers: { Host: host(), Cookie: `aktenfluss_session=${sid}` },
        body: '{}',
      })
    now += 50 * 60_000
    const renewed = await use()
    expect(renewed.status).toBe(200)
    expect(String(renewed.headers['set-cookie'])).toContain(`aktenfluss_session=${sid}`)
    now += 50 * 60_000 // 100 min after the start, 50 after the last use
    expect((await use()).status).toBe(200)
    now += 61 * 60_000
    expect((await use()).status).toBe(401)
    expect((await use()).status).toBe(401)
  })

  it('takes the identity provider’s redirect back (a cross-site navigation) and hands it to the desk', async () => {
    const before = calls.length
    const res = await raw(bridge.port, {
      path: '/aktenfluss/callback?code=abc&state=xyz',
      headers: { Host: host(), 'Sec-Fetch-Site': 'cross-site' },
    })
    // a page of our own that moves on (a 302 would lose the SameSite=Strict cookie)
    expect(res.status).toBe(200)
    expect(res.body).toContain(`<meta http-equiv="refresh" content="0;url=${bridge.basePath}">`)
    expect(calls.slice(before)).toEqual([
      [
        'session.completeLogin',
        { callbackUrl: `http://${host()}/aktenfluss/callback?code=abc&state=xyz` },
      ],
    ])
    expect(bridge.callbackUrl).toBe(`http://127.0.0.1:${bridge.port}/aktenfluss/callback`)
  })

  it('serves renderer files but never anything outside the renderer folder', async () => {
    expect(
      (
        await raw(bridge.port, {
          path: `${bridge.basePath}assets/app.js`,
          headers: { Host: host() },
        })
      ).status,
    ).toBe(200)
    for (const path of [
      '/assets/app.js', // only under the per-launch path
      `${bridge.basePath}../geheim.txt`,
      `${bridge.basePath}%2e%2e/geheim.txt`,
      '/../geheim.txt',
      '/%2e%2e/geheim.txt',
      '/assets/..%2f..%2fgeheim.txt',
      '/%00',
    ])
      expect(
        (await raw(bridge.port, { path, headers: { Host: host() } })).status,
        path,
      ).toBeGreaterThanOrEqual(400)
  })

  it('streams contract events to authorised listeners', async () => {
    const received = await new Promise<string>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: bridge.port,
          path: '/api/events',
          headers: { Host: host(), Authorization: 'Bearer test-token' },
        },
        (res) => {
          let buf = ''
          res.on('data', (c: Buffer) => {
            buf += c.toString()
            if (buf.includes('event: changed')) {
              req.destroy()
              resolve(buf)
            }
          })
          setImmediate(() => events.emit('changed', { tags: [{ type: 'CaseList' }] }))
        },
      )
      req.on('error', reject)
      req.end()
    })
    expect(received).toContain('data: {"tags":[{"type":"CaseList"}]}')
  })
})
