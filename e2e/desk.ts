import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { testIdp } from './idp'

/** who the desks sign in as unless told otherwise (the first clerk of the demo directory) */
export const DEFAULT_USER = 'u-jweiss'

export interface RunningDesk {
  url: string
  origin: string
  token: string
  dataDir: string
  process: ChildProcess
  call<T = unknown>(method: string, input?: unknown): Promise<T>
  /** `session.login {userId, password}` over the API (fast; the login screen has its own test) */
  login(userId: string, password?: string): Promise<void>
  stop(signal?: NodeJS.Signals): Promise<void>
}

const READY = /^Aktenfluss listening on (http:\/\/127\.0\.0\.1:\d+)\/\?token=(\S+)$/

/** Starts browser mode (`npm run serve`'s built entry, out/main/serve.js) as a real process on a fresh data folder and a free port. */
export async function startDesk(
  /** entry: another built entry, e.g. out/main/start-demo.js (`npm start`: the embedded demo hub) */
  opts: {
    dataDir?: string
    args?: string[]
    env?: NodeJS.ProcessEnv
    entry?: string
    /** sign in as this user once started (default DEFAULT_USER); false: nobody is signed in */
    signIn?: string | false
  } = {},
): Promise<RunningDesk> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'aktenfluss-e2e-'))
  // `npm run serve` gets the test IdP unless its hub runs one (idp.json beside hub.json: the hub
  // verifies the tokens); the demo entry (`npm start`) always uses its embedded hub's
  const args = opts.args ?? []
  const hubConfig = args[args.indexOf('--hub-config') + 1]
  const hubIdp =
    args.includes('--hub-config') && hubConfig && existsSync(join(dirname(hubConfig), 'idp.json'))
  const idp = opts.entry || hubIdp ? [] : ['--idp-issuer', (await testIdp()).issuer]
  const child = spawn(
    process.execPath,
    // the built entry of `npm run serve` (test:e2e builds first): no tsx at start-up
    [opts.entry ?? 'out/main/serve.js', '--data-dir', dataDir, '--port', '0', ...idp, ...args],
    { cwd: process.cwd(), env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let stderr = ''
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()))
  const { origin, token } = await new Promise<{ origin: string; token: string }>(
    (resolve, reject) => {
      const lines = createInterface({ input: child.stdout })
      const timer = setTimeout(
        () => reject(new Error(`Desk did not start in time:\n${stderr}`)),
        60_000,
      )
      lines.on('line', (line) => {
        const m = READY.exec(line)
        if (m?.[1] && m[2]) {
          clearTimeout(timer)
          resolve({ origin: m[1], token: m[2] })
        }
      })
      child.once('exit', (code) => {
        clearTimeout(timer)
        reject(new Error(`Desk exited with ${code}:\n${stderr}`))
      })
    },
  )
  const desk: RunningDesk = {
    url: `${origin}/?token=${token}`,
    origin,
    token,
    dataDir,
    process: child,
    async call<T>(method: string, input: unknown = {}): Promise<T> {
      const res = await fetch(`${origin}/api/${method}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(input),
      })
      const body = (await res.json()) as T & { error?: { message: string } }
      if (!res.ok) throw new Error(`${method}: ${res.status} ${body.error?.message ?? ''}`)
      return body
    },
    async login(userId: string, password = 'demo') {
      await desk.call('session.login', { userId, password })
    },
    stop: (signal: NodeJS.Signals = 'SIGTERM') =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill(signal)
      }),
  }
  if (opts.signIn !== false) await desk.login(opts.signIn ?? DEFAULT_USER)
  return desk
}
