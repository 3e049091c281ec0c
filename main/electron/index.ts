/**
 * The Electron shell: one window, the renderer from a custom protocol, IPC wired to the same
 * handler table browser mode uses. The only place that imports 'electron' (docs/architecture.md).
 */
import {
  app,
  dialog,
  BrowserWindow,
  ipcMain,
  net,
  protocol,
  session,
  shell,
  type IpcMainInvokeEvent,
} from 'electron'
import { join, resolve, sep } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { IPC_CALL, IPC_EVENT } from '../../preload/contract/index'
import { CONTENT_SECURITY_POLICY } from '../csp'
import { createDesk, type Desk } from '../desk'
import type { RunningHub } from '../../hub/server'
import { runStartup } from '../startup'
import { startLoopbackRedirect } from '../features/session/loopback'
import { migrateSafeStorageSecrets, safeStorageKeyStore } from './osKeyStore'

const SCHEME = 'app'
const ORIGIN = `${SCHEME}://aktenfluss`
const rendererDir = resolve(import.meta.dirname, '../renderer')

// Never a roaming or network profile: on Windows the data lives under LOCALAPPDATA.
if (process.platform === 'win32' && process.env.LOCALAPPDATA) {
  app.setPath('userData', join(process.env.LOCALAPPDATA, 'Aktenfluss'))
}
if (process.env.AKTENFLUSS_DATA_DIR)
  app.setPath('userData', resolve(process.env.AKTENFLUSS_DATA_DIR))

protocol.registerSchemesAsPrivileged([
  { scheme: SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
])

let desk: Desk | undefined
let demoHub: RunningHub | undefined

/** `--config FILE` and `--import-secret NAME=FILE`, as in browser mode (Chromium's own switches pass) */
const { values: args } = parseArgs({
  args: process.argv.slice(app.isPackaged ? 1 : 2),
  options: {
    config: { type: 'string' },
    'import-secret': { type: 'string', multiple: true },
  },
  strict: false,
  allowPositionals: true,
})
const stringArg = (v: unknown) => (typeof v === 'string' ? v : undefined)
const stringList = (v: unknown) =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined

function isTrustedSender(e: IpcMainInvokeEvent): boolean {
  const frame = e.senderFrame
  return Boolean(frame && frame === e.sender.mainFrame && new URL(frame.url).origin === ORIGIN)
}

function serveRenderer(): void {
  protocol.handle(SCHEME, async (request) => {
    const url = new URL(request.url)
    const rel = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname)
    const file = resolve(join(rendererDir, rel))
    if (url.host !== 'aktenfluss' || !file.startsWith(rendererDir + sep))
      return new Response('Nicht gefunden', { status: 404 })
    const res = await net.fetch(pathToFileURL(file).toString())
    const headers = new Headers(res.headers)
    headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY)
    headers.set('X-Content-Type-Options', 'nosniff')
    return new Response(res.body, { status: res.status, headers })
  })
}

function lockDown(): void {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) =>
    callback(false),
  )
  session.defaultSession.setPermissionCheckHandler(() => false)
  app.on('web-contents-created', (_e, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }))
    contents.on('will-navigate', (event, url) => {
      if (new URL(url).origin !== ORIGIN) event.preventDefault()
    })
    contents.on('will-redirect', (event, url) => {
      if (new URL(url).origin !== ORIGIN) event.preventDefault()
    })
    contents.on('will-attach-webview', (event) => event.preventDefault())
  })
}

function createWindow(d: Desk): BrowserWindow {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    title: 'Aktenfluss',
    show: false,
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      // middle-click (auxclick) would open links in a new window without a click handler seeing it
      disableBlinkFeatures: 'Auxclick',
      spellcheck: false,
    },
  })
  win.once('ready-to-show', () => win.show())
  const off = d.ctx.events.onAny((name, payload) => {
    if (!win.isDestroyed()) win.webContents.send(IPC_EVENT, name, payload)
  })
  win.on('closed', off)
  void win.loadURL(`${ORIGIN}/index.html`)
  return win
}

app.enableSandbox()
app
  .whenReady()
  .then(() => {
    lockDown()
    serveRenderer()
    const dataDir = app.getPath('userData')
    desk = createDesk({
      dataDir,
      mode: 'electron',
      // IPC is an untrusted entry: nothing but the sign-in before someone is signed in
      requireSignIn: true,
      // the redirect sign-in: system browser + a one-shot loopback listener (RFC 8252)
      loginRedirect: {
        start: async () => {
          const loop = await startLoopbackRedirect()
          return {
            redirectUri: loop.redirectUri,
            external: {
              callback: loop.callback,
              close: () => loop.close(),
              // only the identity provider's web page, never a file or another scheme
              open: (url) =>
                /^https?:\/\//.test(url)
                  ? shell.openExternal(url)
                  : Promise.reject(new Error('Ungültige Anmeldeadresse.')),
            },
          }
        },
      },
      osKeyStore: safeStorageKeyStore,
      allowBasicText: process.env.AKTENFLUSS_ALLOW_BASIC_TEXT === '1',
    })
    const d = desk
    migrateSafeStorageSecrets(dataDir, d.secrets)
    ipcMain.handle(IPC_CALL, (e, method: unknown, input: unknown) => {
      if (!isTrustedSender(e) || typeof method !== 'string')
        return {
          ok: false,
          error: {
            code: 'forbidden',
            message: 'Aufruf aus nicht vertrauenswürdigem Fenster abgelehnt.',
          },
        }
      return d.dispatch(method, input)
    })
    createWindow(d)
    // the configuration file, an earlier configuration, or (nothing configured) the demo hub
    return runStartup(d, {
      configPath: stringArg(args.config),
      importSecrets: stringList(args['import-secret']),
      demoAllowed: true,
    }).then((started) => {
      for (const w of started.warnings) console.warn(`Warnung: ${w}`)
      demoHub = started.demoHub
      d.sync.start(30_000)
    })
  })
  .catch((err: unknown) => {
    console.error('Aktenfluss konnte nicht starten:', err)
    // a locked-out desk (keyring changed, key missing) must say so in German, not just exit
    dialog.showErrorBox(
      'Aktenfluss kann nicht starten',
      err instanceof Error ? err.message : String(err),
    )
    app.exit(1)
  })

app.on('window-all-closed', () => {
  void Promise.all([desk?.close(), demoHub?.close()]).finally(() => app.quit())
})
