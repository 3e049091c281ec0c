import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'

export interface RunningDesk {
  url: string
  origin: string
  token: string
  dataDir: string
  process: ChildProcess
  call<T = unknown>(method: string, input?: unknown): Promise<T>
  stop(signal?: NodeJS.Signals): Promise<void>
}

const READY = /^Aktenfluss listening on (http:\/\/127\.0\.0\.1:\d+)\/\?token=(\S+)$/

/** Starts browser mode (`npm run serve`'s built entry, out/main/serve.js) as a real process on a fresh data folder and a free port. */
export async function startDesk(
  /** entry: another built entry, e.g. out/main/start-demo.js (`npm start`: the embedded demo hub) */
  opts: { dataDir?: string; args?: string[]; env?: NodeJS.ProcessEnv; entry?: string } = {},
): Promise<RunningDesk> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'aktenfluss-e2e-'))
  const child = spawn(
    process.execPath,
    // the built entry of `npm run serve` (test:e2e builds first): no tsx at start-up
    [opts.entry ?? 'out/main/serve.js', '--data-dir', dataDir, '--port', '0', ...(opts.args ?? [])],
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
  return {
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
    stop: (signal: NodeJS.Signals = 'SIGTERM') =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill(signal)
      }),
  }
}
