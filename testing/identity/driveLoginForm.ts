// The "system browser" of redirect sign-in tests (tests only): opens an authorization URL, fills
// the provider's login form (username/password) and follows the redirects until the one to
// `redirectUri`; resolves with that callback URL (code, state).
export async function driveLoginForm(
  authorizeUrl: string,
  redirectUri: string,
  username: string,
  password: string,
): Promise<string> {
  const cookies = new Map<string, string>()
  const go = async (url: string, init: RequestInit = {}) => {
    const res = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: {
        ...(init.headers as Record<string, string>),
        cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      },
    })
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';')
      const eq = pair.indexOf('=')
      if (eq > 0) cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim())
    }
    return res
  }
  let url = authorizeUrl
  let res = await go(url)
  let posted = false
  for (let hop = 0; hop < 12; hop++) {
    const location = res.headers.get('location')
    if (res.status >= 300 && res.status < 400 && location) {
      await res.body?.cancel()
      const next = new URL(location, url).href
      if (next.startsWith(redirectUri)) return next
      url = next
      res = await go(url)
      continue
    }
    const html = await res.text()
    if (posted || !/name="password"/.test(html))
      throw new Error(`login form not accepted (HTTP ${res.status})`)
    posted = true
    const action = /<form[^>]*\baction="([^"]*)"/i.exec(html)?.[1]?.replace(/&amp;/g, '&')
    const target = new URL(action || url, url).href
    res = await go(target, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username, password }).toString(),
    })
    url = target
  }
  throw new Error('too many redirects')
}
