// A throwaway PostgreSQL cluster for tests: Debian's binaries (package postgresql), a temp dir, a
// free port, the Unix socket inside the temp dir, fsync off. initdb refuses root: as root the
// cluster runs as the `postgres` system user (else `nobody`) and the temp dir is chowned to it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface PgCluster {
  /** postgres://…@127.0.0.1:<port>/postgres */
  url: string
  port: number
  user: string
  dir: string
  /** a URL for a database of this cluster */
  urlFor(database: string): string
  stop(): Promise<void>
}

/** The bin directory of the newest installed Debian PostgreSQL, or undefined. */
export function findPgBin(): string | undefined {
  const base = '/usr/lib/postgresql'
  if (!existsSync(base)) return undefined
  const versions = readdirSync(base)
    .filter((v) => existsSync(join(base, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a))
  return versions[0] ? join(base, versions[0], 'bin') : undefined
}

/** uid/gid to run the cluster as: ourselves, or when root the postgres (else nobody) user. */
function runAs(): { uid: number; gid: number; name: string } | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined
  for (const name of ['postgres', 'nobody']) {
    const r = spawnSync('id', ['-u', name], { encoding: 'utf8' })
    const g = spawnSync('id', ['-g', name], { encoding: 'utf8' })
    if (r.status === 0 && g.status === 0)
      return { uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()), name }
  }
  throw new Error('Als root braucht der Test-Cluster den Benutzer „postgres“ oder „nobody“.')
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port
      srv.close(() => resolve(port))
    })
  })
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export async function startPgCluster(): Promise<PgCluster> {
  const bin = findPgBin()
  if (!bin)
    throw new Error(
      'PostgreSQL fehlt: bitte das Debian-Paket installieren (apt-get install postgresql).',
    )
  const dir = mkdtempSync(join(tmpdir(), 'aktenfluss-pg-'))
  const as = runAs()
  const user = as?.name ?? 'postgres'
  if (as) chownSync(dir, as.uid, as.gid)
  const ids = as ? { uid: as.uid, gid: as.gid } : {}
  const data = join(dir, 'data')
  const init = spawnSync(
    join(bin, 'initdb'),
    ['-D', data, '-U', user, '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8', '--no-sync'],
    { ...ids, encoding: 'utf8', cwd: dir },
  )
  if (init.status !== 0) throw new Error(`initdb fehlgeschlagen: ${init.stderr || init.stdout}`)
  const port = await freePort()
  const child: ChildProcess = spawn(
    join(bin, 'postgres'),
    [
      '-D',
      data,
      '-p',
      String(port),
      '-k',
      dir,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
      '-c',
      'max_connections=200',
    ],
    { ...ids, cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
  )
  let log = ''
  child.stderr?.on('data', (b: Buffer) => (log = (log + b.toString()).slice(-4000)))
  const url = `postgres://${user}@127.0.0.1:${port}/postgres`
  // ready when pg_isready says so (at most 30 s)
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`postgres beendet: ${log}`)
    const r = spawnSync(join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port)])
    if (r.status === 0) break
    if (i > 300) throw new Error(`postgres startet nicht: ${log}`)
    await sleep(100)
  }
  return {
    url,
    port,
    user,
    dir,
    urlFor: (database) => `postgres://${user}@127.0.0.1:${port}/${database}`,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r))
        child.kill('SIGINT') // fast shutdown
        await Promise.race([exited, sleep(10_000)])
      }
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
