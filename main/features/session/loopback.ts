/**
 * The Electron sign-in's redirect target (RFC 8252 §7.3): a temporary listener on 127.0.0.1 and a
 * random port that takes exactly one callback, answers the system browser with a short German
 * page and closes. Plain Node; the system browser is opened by the caller.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

export const LOOPBACK_CALLBACK_PATH = '/aktenfluss/callback'

export interface LoopbackRedirect {
  redirectUri: string
  /** resolves with the full callback URL (code, state) */
  callback: Promise<string>
  close(): void
}

const PAGE = (text: string) =>
  `<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Aktenfluss – Anmeldung</title></head><body><main><h1>Aktenfluss</h1><p>${text}</p></main></body></html>`

export async function startLoopbackRedirect(timeoutMs = 10 * 60_000): Promise<LoopbackRedirect> {
  // a fixed path, any port: what an IdP registers for a native app (RFC 8252 §7.3); state binds the flow
  const path = LOOPBACK_CALLBACK_PATH
  let settle: { resolve(url: string): void; reject(err: Error): void } | undefined
  const callback = new Promise<string>((resolve, reject) => (settle = { resolve, reject }))
  const server = createServer((req, res) => {
    const url = new URL(
      req.url ?? '/',
      `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    )
    if (req.method !== 'GET' || url.pathname !== path) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' })
      res.end('Nicht gefunden.')
      return
    }
    res.writeHead(200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': "default-src 'none'",
      'Cache-Control': 'no-store',
    })
    res.end(
      PAGE(
        'Die Anmeldung ist abgeschlossen. Sie können dieses Fenster schließen und zu Aktenfluss zurückkehren.',
      ),
    )
    settle?.resolve(url.href)
    close()
  })
  const timer = setTimeout(() => {
    settle?.reject(new Error('Die Anmeldung wurde nicht rechtzeitig abgeschlossen.'))
    close()
  }, timeoutMs)
  timer.unref()
  const close = () => {
    clearTimeout(timer)
    server.close()
    server.closeAllConnections()
  }
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const port = (server.address() as AddressInfo).port
  return { redirectUri: `http://127.0.0.1:${port}${path}`, callback, close }
}
