/**
 * The desk as a real process: `node out/main/serve.js` (what `npm run serve` runs,
 * without npm's own start-up) on a prepared data folder, plus a keep-alive HTTP client for
 * `POST /api/<method>` with the bearer token (./httpClient.ts: survives the bench's own long
 * synchronous references).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { jsonClient } from './httpClient'
import { loadDemoDirectory } from '../../main/core/directory'
import { startTestProvider, type TestProvider } from '../../testing/identity/testProvider'

/** the identity provider the bench desks sign in with (the test OpenID Provider, password demo) */
let idp: Promise<TestProvider> | undefined
const benchIdp = () =>
  (idp ??= startTestProvider({
    users: loadDemoDirectory().users,
    redirectUris: ['http://127.0.0.1/aktenfluss/callback'],
  }))

const READY = /^Aktenfluss listening on (http:\/\/127\.0\.0\.1:(\d+))\/\?token=(\S+)$/

export interface DeskProcess {
  origin: string
  port: number
  token: string
  url: string
  child: ChildProcess
  /** performance.now() when spawn() was called */
  spawnedAt: number
  /** performance.now() when the ready line arrived */
  readyAt: number
  call<T = unknown>(method: string, input?: unknown): Promise<T>
  stop(): Promise<void>
}

export async function startDeskProcess(opts: {
  root: string
  dataDir: string
  extraArgs?: string[]
  timeoutMs?: number
  /** signed in as this user before the desk is handed out (default u-jweiss); false: nobody */
  signIn?: string | false
  env?: Record<string, string>
}): Promise<DeskProcess> {
  // the test IdP, unless the desk's hub runs one (idp.json beside hub.json verifies the tokens)
  const extra = opts.extraArgs ?? []
  const hubConfig = extra[extra.indexOf('--hub-config') + 1]
  const hubIdp =
    extra.includes('--hub-config') && hubConfig && existsSync(join(dirname(hubConfig), 'idp.json'))
  const idpArgs = hubIdp ? [] : ['--idp-issuer', (await benchIdp()).issuer]
  const token = randomBytes(18).toString('base64url')
  const spawnedAt = performance.now()
  const child = spawn(
    process.execPath,
    [
      'out/main/serve.js',
      '--data-dir',
      opts.dataDir,
      '--port',
      '0',
      '--no-sync',
      ...idpArgs,
      ...extra,
    ],
    {
      cwd: opts.root,
      env: { ...process.env, ...opts.env, AKTENFLUSS_TOKEN: token },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let stderr = ''
  child.stderr?.on('data', (c: Buffer) => {
    if (stderr.length < 20_000) stderr += c.toString()
  })
  const { origin, port, readyAt } = await new Promise<{
    origin: string
    port: number
    readyAt: number
  }>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout })
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`desk did not start within ${opts.timeoutMs ?? 60_000} ms:\n${stderr}`))
    }, opts.timeoutMs ?? 60_000)
    lines.on('line', (line) => {
      const m = READY.exec(line)
      if (m?.[1] && m[2]) {
        clearTimeout(timer)
        resolve({ origin: m[1], port: Number(m[2]), readyAt: performance.now() })
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`desk exited with ${code}:\n${stderr}`))
    })
  })
  // a failure at the socket level says whether the desk process is still there (crash vs. client)
  const client = jsonClient({
    port,
    token,
    explainFailure: () =>
      child.exitCode !== null || child.signalCode !== null
        ? `the desk process ended (exit ${child.exitCode ?? child.signalCode}):\n${stderr.slice(-2000)}`
        : 'the desk process is still running',
  })
  const call = <T>(method: string, input?: unknown) => client.call<T>(method, input)
  // the desk answers nothing but the sign-in before someone is signed in
  if (opts.signIn !== false)
    await call('session.login', { userId: opts.signIn ?? 'u-jweiss', password: 'demo' })
  return {
    origin,
    port,
    token,
    url: `${origin}/?token=${token}`,
    child,
    spawnedAt,
    readyAt,
    call,
    stop: () =>
      new Promise<void>((resolve) => {
        client.close()
        if (child.exitCode !== null || child.signalCode !== null) return resolve()
        const killer = setTimeout(() => child.kill('SIGKILL'), 5000)
        child.once('exit', () => {
          clearTimeout(killer)
          resolve()
        })
        child.kill('SIGTERM')
      }),
  }
}
