// The first start of the encrypting version on an older, plaintext data folder (issue #17):
// kill -9 at random points of the migration loses nothing, the next start finishes the job, and
// no plaintext copy is left behind.
import { spawn } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { all, shape, sql } from '../../../db/sql'
import { createRng } from '../../../hub/seed/prng'
import { filesUnder, looseModes, rawHits } from '../../../testing/atRest/files'
import { generateCases } from '../../../testing/demoData'
import { createDesk } from '../../desk'
import { sha256Hex } from '../blobs'
import { isPlainSqlite, readKeysFile } from './keys'

const dirs: string[] = []
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))
const tmp = (p: string) => {
  const d = mkdtempSync(join(tmpdir(), p))
  dirs.push(d)
  return d
}
const NAMES = ['Zacharias Quellenberg', 'Wendelsteinweg 42', 'Ludmila Ödönhofer']
const countShape = shape({ n: 'int' })
let base: string
let cases: number
let docs: string[]

beforeAll(async () => {
  // what an older version left: plaintext database, blobs and secrets.json
  base = tmp('migrate-base-')
  const old = createDesk({ dataDir: base, mode: 'browser', atRest: 'plaintext' })
  generateCases(old.ctx.db, old.ctx.procedures, {
    count: 3_000,
    today: '2026-12-01',
    users: ['u-jweiss'],
  })
  for (let i = 0; i < 30; i++) {
    const r = await old.call('intake.create', {
      procedureId: 'wohngeld',
      applicantName: `${NAMES[0]} ${i}`,
      applicantAddress: `${NAMES[1]}, 01067 Dresden`,
      channel: 'paper',
      attachments: [
        {
          filename: `antrag-${i}.pdf`,
          mimeType: 'application/pdf',
          base64: Buffer.from(`%PDF-1.4\n${NAMES[2]} ${i}\n%%EOF\n`).toString('base64'),
        },
      ],
    })
    expect(r.ok, JSON.stringify(r)).toBe(true)
  }
  old.secrets.set('hub.clientSecret', 'geheim-Quellenberg')
  cases = all(old.ctx.db, sql`SELECT count(*) AS n FROM cases`, countShape)[0]!.n
  docs = all(old.ctx.db, sql`SELECT sha256 FROM documents`, shape({ sha256: 'text' })).map(
    (r) => r.sha256,
  )
  await old.close()
  expect(rawHits(base, NAMES).length).toBeGreaterThan(0)
  expect(isPlainSqlite(join(base, 'aktenfluss.db'))).toBe(true)
  expect(existsSync(join(base, 'secrets.json'))).toBe(true)
}, 120_000)

/** Runs the child; kills it `killAfterMs` after it announced the start (undefined: let it finish). */
function runChild(dir: string, killAfterMs?: number): Promise<{ done: boolean; ms?: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'testing/atRest/migrateChild.ts', dir],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    )
    let out = ''
    let err = ''
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString()
      if (killAfterMs !== undefined && out.includes('start\n') && !child.killed)
        setTimeout(() => child.kill('SIGKILL'), killAfterMs)
    })
    child.stderr.on('data', (b: Buffer) => (err += b.toString()))
    child.on('exit', (code, signal) => {
      const m = /fertig (\d+)/.exec(out)
      if (m) resolve({ done: true, ms: Number(m[1]) })
      else if (signal === 'SIGKILL') resolve({ done: false })
      else reject(new Error(`child exited ${code}: ${err}`))
    })
  })
}

function expectMigrated(dir: string) {
  expect(isPlainSqlite(join(dir, 'aktenfluss.db'))).toBe(false)
  expect(readKeysFile(dir)?.plaintextMigration).toBe('done')
  const left = filesUnder(dir).filter(
    (f) =>
      /secrets\.json|\.encrypting|\.tmp$/.test(f) ||
      (/[0-9a-f]{64}$/.test(f) && sha256Hex(readFileSync(f)) === f.slice(-64)),
  )
  expect(left).toEqual([])
  expect(rawHits(dir, NAMES)).toEqual([])
  expect(looseModes(dir)).toEqual([])
  const d = createDesk({ dataDir: dir, mode: 'browser' })
  try {
    expect(all(d.ctx.db, sql`SELECT count(*) AS n FROM cases`, countShape)[0]!.n).toBe(cases)
    for (const sha of docs) expect(sha256Hex(d.ctx.blobs.get(sha))).toBe(sha)
    expect(d.secrets.get('hub.clientSecret')).toBe('geheim-Quellenberg')
  } finally {
    void d.close()
  }
}

it('migrates a plaintext folder in place when left alone', async () => {
  const dir = tmp('migrate-whole-')
  cpSync(base, dir, { recursive: true })
  const r = await runChild(dir)
  expect(r.done).toBe(true)
  expectMigrated(dir)
}, 120_000)

it('survives kill -9 at random points of the migration, and the next start finishes', async () => {
  const probe = tmp('migrate-probe-')
  cpSync(base, probe, { recursive: true })
  const full = (await runChild(probe)).ms ?? 500
  const rng = createRng('migration-kill')
  let killed = 0
  const midway: string[] = []
  const rounds = Number(process.env.MIGRATION_KILL_ROUNDS ?? 5)
  for (let round = 0; round < rounds; round++) {
    const dir = tmp(`migrate-kill-${round}-`)
    cpSync(base, dir, { recursive: true })
    // up to three kills per round, each at a random moment of the (remaining) migration
    for (let k = 0; k < 3; k++) {
      const r = await runChild(dir, Math.floor(rng.next() * full * 1.1))
      if (r.done) break
      killed++
      // where the kill landed: keys written, database or files not yet encrypted
      const k = readKeysFile(dir)
      if (k?.plaintextMigration === 'pending')
        midway.push(isPlainSqlite(join(dir, 'aktenfluss.db')) ? 'db' : 'files')
    }
    expect((await runChild(dir)).done).toBe(true)
    expectMigrated(dir)
    expect(readdirSync(dir)).not.toContain('secrets.json')
  }
  console.log('[migration kills]', JSON.stringify({ full, killed, midway }))
  expect(killed).toBeGreaterThan(0)
  expect(midway.length).toBeGreaterThan(0) // at least one kill really interrupted a migration
}, 600_000)
