// Hub processes for the load figure and the scale-out tests: a data folder prepared through the
// hub's own parts (bootstrap, desk registry, hub.json), then real child processes started like
// `npm run hub -- --data-dir D [--database URL]`, each on its own free port.
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..')

export interface DeskCredential {
  deskId: string
  secret: string
}

export interface HubProcess {
  url: string
  /** what the process wrote to stderr (the last 8 KiB) */
  log(): string
  stop(): Promise<void>
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Does this hub's CLI take `--database` (the PostgreSQL backend, issue #18)? */
export function hubSupportsDatabase(): boolean {
  // the parseArgs option of hub/cli.ts (`database: { type: 'string' }`, quoted or not)
  return /['"]?database['"]?\s*:\s*\{\s*type/.test(
    readFileSync(join(ROOT, 'hub', 'cli.ts'), 'utf8'),
  )
}

/**
 * Registers `ids` as desks of the hub in `dataDir` (bootstrapping an empty folder; with `database`
 * in that PostgreSQL database) with the function behind `npm run hub -- --register-desk`
 * (hub/identity/register.ts), in this process: one CLI start per desk would cost seconds each.
 */
export async function registerDesks(
  dataDir: string,
  ids: string[],
  database?: string,
): Promise<DeskCredential[]> {
  const { registerDeskInFolder } = await import('../../hub/identity/register')
  if (database && !hubSupportsDatabase()) throw new Error('the hub has no --database option')
  const out: DeskCredential[] = []
  for (const id of ids) out.push(await registerDeskInFolder(dataDir, id, database))
  return out
}

/** Points hub.json's `identity` at an external IdP (the regional set-up; see bench/hub/idp.ts). */
export async function useExternalIdentity(dataDir: string, issuer: string): Promise<void> {
  const { writeHubConfig } = await import('../../hub/bootstrap')
  const file = join(dataDir, 'hub.json')
  const config = JSON.parse(readFileSync(file, 'utf8')) as Parameters<typeof writeHubConfig>[1]
  writeHubConfig(dataDir, { ...config, identity: { issuer, audience: 'aktenfluss-office' } })
}

/** One hub process on a free port; resolves once it prints `Hub listening on …`. */
export function startHubProcess(opts: { dataDir: string; database?: string }): Promise<HubProcess> {
  const args = ['--import', 'tsx', 'hub/cli.ts', '--data-dir', opts.dataDir, '--port', '0']
  if (opts.database) args.push('--database', opts.database)
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let log = ''
  child.stderr!.on('data', (b: Buffer) => (log = (log + b.toString()).slice(-8192)))
  return new Promise((resolvePromise, reject) => {
    let out = ''
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`hub did not start within 60 s: ${log}`))
    }, 60_000)
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString()
      const m = /Hub listening on (http:\/\/\S+)/.exec(out)
      if (!m?.[1]) return
      clearTimeout(timer)
      resolvePromise({
        url: m[1],
        log: () => log,
        stop: async () => {
          if (child.exitCode !== null || child.signalCode !== null) return
          const exited = new Promise((r) => child.once('exit', r))
          child.kill('SIGTERM')
          await Promise.race([exited, sleep(10_000)])
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
        },
      })
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`hub exited with ${code} before listening: ${log}`))
    })
  })
}

/** n processes on the same data folder and database; the first alone (it migrates the schema). */
export async function startHubProcesses(
  n: number,
  opts: { dataDir: string; database?: string },
): Promise<HubProcess[]> {
  const first = await startHubProcess(opts)
  try {
    const rest = await Promise.all(Array.from({ length: n - 1 }, () => startHubProcess(opts)))
    return [first, ...rest]
  } catch (e) {
    await first.stop()
    throw e
  }
}
