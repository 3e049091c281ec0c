// Security behaviour of browser mode, seen from outside: headers, CSP in a real Chromium, the
// bridge's checks over real HTTP against a spawned desk, the session cookie, inert case data.
import { request as httpRequest } from 'node:http'
import { expect, test } from './fixtures'

/** Raw HTTP (fetch() would not let us set Host). */
function raw(
  origin: string,
  opts: { method?: string; path: string; headers?: Record<string, string>; body?: string },
) {
  const { hostname, port } = new URL(origin)
  return new Promise<{
    status: number
    headers: Record<string, string | string[] | undefined>
    body: string
  }>((resolve, reject) => {
    const req = httpRequest(
      {
        host: hostname,
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

const HOSTILE_NAME = '<img src=x onerror=alert(1)>'
const HOSTILE_SUBJECT = '<script>alert("xss")</script> Sondernutzung'
const HOSTILE_NOTE = '<svg onload=alert(2)><a href="javascript:alert(3)">klick</a>'

test.describe('Browsermodus: Sicherheit', () => {
  test('CSP-Kopfzeile ist gesetzt und streng, auch die übrigen Schutzkopfzeilen', async ({
    desk,
  }) => {
    // the app lives under the per-launch path the one-time URL redirects to
    const entry = await raw(desk.origin, {
      path: `/?token=${desk.token}`,
      headers: { Host: new URL(desk.origin).host },
    })
    const index = await raw(desk.origin, {
      path: String(entry.headers.location),
      headers: { Host: new URL(desk.origin).host, Authorization: `Bearer ${desk.token}` },
    })
    expect(index.status).toBe(200)
    const csp = String(index.headers['content-security-policy'])
    const directives: Record<string, string[]> = Object.fromEntries(
      csp
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .map(([k, ...v]): [string, string[]] => [k ?? '', v]),
    )
    expect(directives['default-src']).toEqual(["'none'"])
    expect(directives['script-src']).toEqual(["'self'"])
    expect(directives['style-src']).toEqual(["'self'"])
    expect(directives['object-src']).toEqual(["'none'"])
    expect(directives['base-uri']).toEqual(["'none'"])
    expect(directives['frame-ancestors']).toEqual(["'none'"])
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|unsafe-hashes|\*|https?:/)
    expect(index.headers['x-content-type-options']).toBe('nosniff')
    expect(index.headers['x-frame-options']).toBe('DENY')
    expect(index.headers['referrer-policy']).toBe('no-referrer')
    // the API answers carry the same headers
    const api = await raw(desk.origin, {
      method: 'POST',
      path: '/api/app.info',
      headers: { Host: new URL(desk.origin).host, Authorization: `Bearer ${desk.token}` },
      body: '{}',
    })
    expect(api.headers['content-security-policy']).toBe(csp)
  })

  test('eingeschleuste Inline-Skripte, Inline-Handler und eval laufen nicht (CSP im echten Chromium)', async ({
    app,
  }) => {
    const violations: string[] = []
    await app.exposeFunction('__reportViolation', (d: string) => violations.push(d))
    await app.evaluate(() => {
      document.addEventListener(
        'securitypolicyviolation',
        (e) =>
          void (window as unknown as { __reportViolation(d: string): void }).__reportViolation(
            `${e.violatedDirective} ${e.blockedURI}`,
          ),
      )
    })
    const ran = await app.evaluate(async () => {
      const w = window as unknown as Record<string, unknown>
      const s = document.createElement('script')
      s.textContent = 'window.__inlineRan = true'
      document.body.appendChild(s)
      const img = document.createElement('img')
      img.setAttribute('src', 'data:,x')
      img.setAttribute('onerror', 'window.__handlerRan = true')
      document.body.appendChild(img)
      const div = document.createElement('div')
      div.innerHTML = '<img src="x" onerror="window.__innerHtmlRan = true">'
      // the inline handler would run in the same dispatch as this listener: once it ran, we know
      const failed = new Promise((r) =>
        div.querySelector('img')?.addEventListener('error', r, { once: true }),
      )
      document.body.appendChild(div)
      // Code Playwright evaluates bypasses CSP; a blob worker inherits the page's policy, so eval is tried there
      const source = `let e = 'blocked', f = 'blocked'
try { e = eval('"ran"') } catch {}
try { f = new Function('return "ran"')() } catch {}
postMessage([e, f])`
      const worker = new Worker(
        URL.createObjectURL(new Blob([source], { type: 'text/javascript' })),
      )
      const [evalIn, fnIn] = await new Promise<[string, string]>((resolve) => {
        worker.onmessage = (m: MessageEvent<[string, string]>) => resolve(m.data)
        worker.onerror = () => resolve(['worker-error', 'worker-error'])
      })
      worker.terminate()
      await failed
      return {
        inline: w.__inlineRan === true,
        handler: w.__handlerRan === true,
        innerHtml: w.__innerHtmlRan === true,
        eval: evalIn,
        newFunction: fnIn,
      }
    })
    expect(ran).toEqual({
      inline: false,
      handler: false,
      innerHtml: false,
      eval: 'blocked',
      newFunction: 'blocked',
    })
    await expect.poll(() => violations.some((v) => v.startsWith('script-src'))).toBe(true)
  })

  test('ohne Token, mit falschem Token, fremdem Origin, fremdem Host oder DNS-Rebinding: abgelehnt', async ({
    desk,
  }) => {
    const host = new URL(desk.origin).host
    const port = new URL(desk.origin).port
    const call = (headers: Record<string, string>) =>
      raw(desk.origin, {
        method: 'POST',
        path: '/api/cases.list',
        headers: { Host: host, 'Content-Type': 'application/json', ...headers },
        body: '{}',
      })
    const auth = { Authorization: `Bearer ${desk.token}` }
    expect((await call(auth)).status).toBe(200)

    const refused = [
      ['ohne Token', await call({}), 401],
      // last character replaced by a different one (appending a fixed 'x' equalled the token 1 in 64 times)
      [
        'falsches Token',
        await call({
          Authorization: `Bearer ${desk.token.slice(0, -1)}${desk.token.endsWith('x') ? 'y' : 'x'}`,
        }),
        401,
      ],
      ['Token als Cookie gefälscht', await call({ Cookie: 'aktenfluss_token=geraten' }), 401],
      [
        'API-Token als Sitzungs-Cookie',
        await call({ Cookie: `aktenfluss_session=${desk.token}` }),
        401,
      ],
      [
        'Token in der Query statt Kopfzeile',
        await raw(desk.origin, {
          method: 'POST',
          path: `/api/cases.list?token=${desk.token}`,
          headers: { Host: host },
          body: '{}',
        }),
        401,
      ],
      ['fremder Origin', await call({ ...auth, Origin: 'http://evil.example' }), 403],
      ['Origin null (Sandbox-iframe, file://)', await call({ ...auth, Origin: 'null' }), 403],
      [
        'Origin anderer Port',
        await call({ ...auth, Origin: `http://127.0.0.1:${Number(port) + 1}` }),
        403,
      ],
      ['cross-site laut Browser', await call({ ...auth, 'Sec-Fetch-Site': 'cross-site' }), 403],
      ['DNS-Rebinding-Host', await call({ ...auth, Host: `evil.example:${port}` }), 403],
      ['Host ohne Port', await call({ ...auth, Host: '127.0.0.1' }), 403],
      ['Host 0.0.0.0', await call({ ...auth, Host: `0.0.0.0:${port}` }), 403],
    ] as const
    for (const [what, res, status] of refused) {
      expect({ what, status: res.status }).toEqual({ what, status })
      const body = JSON.parse(res.body) as { error: { code: string; message: string } }
      expect(body.error.message, what).toMatch(/[äöüÄÖÜß]|nicht|Unzulässig|Anmeldung/)
      expect(res.body, what).not.toContain(desk.token)
    }
    // the renderer's page itself is not served without the session
    expect((await raw(desk.origin, { path: '/', headers: { Host: host } })).status).toBe(401)
    // and the one-time URL with a wrong token does not set a cookie
    const wrong = await raw(desk.origin, { path: '/?token=falsch', headers: { Host: host } })
    expect(wrong.status).toBe(401)
    expect(wrong.headers['set-cookie']).toBeUndefined()
  })

  test('das Sitzungs-Cookie ist HttpOnly und SameSite=Strict und für Skripte unsichtbar', async ({
    desk,
    app,
    context,
  }) => {
    const res = await raw(desk.origin, {
      path: `/?token=${desk.token}`,
      headers: { Host: new URL(desk.origin).host },
    })
    expect(res.status).toBe(302)
    const setCookie = ([] as string[]).concat(res.headers['set-cookie'] ?? [])
    expect(setCookie).toHaveLength(1)
    const attrs = setCookie[0]!.split(';').map((a) => a.trim().toLowerCase())
    expect(attrs).toContain('httponly')
    expect(attrs).toContain('samesite=strict')
    // scoped to the per-launch path the app lives under, a random session id, never the token
    const location = String(res.headers.location)
    expect(location).toMatch(/^\/s-[0-9a-f]{32}\/$/)
    expect(attrs).toContain(`path=${location}`)
    expect(attrs.some((a) => a.startsWith('max-age='))).toBe(true)
    expect(setCookie[0]).not.toContain(desk.token)
    expect(attrs.some((a) => a.startsWith('domain='))).toBe(false)
    const cookies = await context.cookies(`${desk.origin}${new URL(app.url()).pathname}`)
    const session = cookies.find((c) => c.name === 'aktenfluss_session')
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict' })
    expect(session?.value).not.toBe(desk.token)
    expect(await app.evaluate(() => document.cookie)).not.toContain('aktenfluss_session')
    // the page's own API calls work with the cookie, and the token never sits in the URL afterwards
    expect(new URL(app.url()).searchParams.get('token')).toBeNull()
  })

  test('HTML und Skript in Vorgangsdaten erscheinen als Text und werden nie ausgeführt', async ({
    desk,
    page,
  }) => {
    const dialogs: string[] = []
    page.on('dialog', (d) => {
      dialogs.push(d.message())
      void d.dismiss()
    })
    // a Sondernutzung belongs to team-ordnung: Lukas Köhler records and works on it
    await desk.call('session.login', { userId: 'u-lkoehler', password: 'demo' })
    const created = await desk.call<{ caseId: string }>('intake.create', {
      assignToMe: true,
      procedureId: 'sondernutzung',
      applicantName: HOSTILE_NAME,
      applicantAddress: '<b>Hauptstraße</b> 1, 01067 Dresden',
      subject: HOSTILE_SUBJECT,
      channel: 'paper',
      attachments: [],
    })
    await desk.call('casework.addNote', { id: created.caseId, text: HOSTILE_NOTE })
    await page.goto(desk.url)
    await expect(page.getByRole('navigation', { name: 'Hauptnavigation' })).toBeVisible()
    await page.getByRole('link', { name: 'Suche' }).click()
    await page.getByLabel('Aktenzeichen, Name, Adresse oder Text').fill('Sondernutzung')
    await page.getByRole('button', { name: 'Suchen' }).click()
    const hit = page.getByTestId('search-hit').filter({ hasText: HOSTILE_NAME })
    await expect(hit.first()).toBeVisible()
    await hit.first().click()
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Sondernutzungserlaubnis')
    await expect(page.getByText('<b>Hauptstraße</b> 1, 01067 Dresden')).toBeVisible()
    await expect(page.getByText(HOSTILE_NAME).first()).toBeVisible()
    // the note, wherever the case view shows it
    for (const tab of await page.getByRole('tab').all()) {
      await tab.click()
      if ((await page.getByText(HOSTILE_NOTE).count()) > 0) break
    }
    await expect(page.getByText(HOSTILE_NOTE).first()).toBeVisible()
    // none of it became markup
    expect(
      await page
        .locator('img[src="x"], svg[onload], a[href^="javascript:"], script:not([src])')
        .count(),
    ).toBe(0)
    // every request the page started (images, documents) has ended: nothing left that could open a dialog
    await page.waitForLoadState('networkidle')
    expect(dialogs).toEqual([])
  })
})
