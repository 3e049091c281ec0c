// The data folder going bad: not a folder, read-only at start, disk full during an action.
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statfsSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { countOf } from '../db/repositories/cases'
import { verifyHistoryChain } from '../db/repositories/history'
import { setSetting } from '../db/repositories/settings'
import { scalar, sql } from '../db/sql'
import { createDesk, DataDirError, type Desk } from './desk'
import { BlobStore } from './core/blobs'
import { manualClock } from './core/clock'

const cleanup: (() => void)[] = []
afterAll(() => cleanup.reverse().forEach((f) => f()))
const tmp = (prefix: string) => {
  const d = mkdtempSync(join(tmpdir(), prefix))
  cleanup.push(() => rmSync(d, { recursive: true, force: true }))
  return d
}
const digest = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex')
const GERMAN_DIR_ERROR =
  /^Der Datenordner „.+“ ist nicht beschreibbar \(.+\)\. Bitte Speicherplatz und Berechtigungen prüfen\.$/

const isRoot = process.getuid?.() === 0
const canDropPrivileges =
  isRoot && spawnSync('runuser', ['-u', 'nobody', '--', 'true']).status === 0

/** A minimal valid PDF of about `size` bytes. */
const pdf = (size: number) =>
  Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(size, 0x20), Buffer.from('\n%%EOF\n')])
const newCase = (bytes: Buffer) => ({
  procedureId: 'wohngeld',
  applicantName: 'Erika Mustermann',
  applicantAddress: 'Hauptstraße 1, 01067 Dresden',
  channel: 'paper',
  attachments: [
    { filename: 'antrag.pdf', mimeType: 'application/pdf', base64: bytes.toString('base64') },
  ],
})

describe('data folder at start', () => {
  it('refuses a path that is a file, or lies under a file, with a German DataDirError', () => {
    const base = tmp('datadir-file-')
    const file = join(base, 'kein-ordner')
    writeFileSync(file, 'x')
    for (const dataDir of [file, join(file, 'desk')]) {
      let err: unknown
      try {
        createDesk({ dataDir, mode: 'browser' })
      } catch (e) {
        err = e
      }
      expect(err).toBeInstanceOf(DataDirError)
      expect((err as Error).message).toMatch(GERMAN_DIR_ERROR)
    }
    expect(readFileSync(file, 'utf8')).toBe('x')
  })

  it.skipIf(process.platform === 'win32')(
    'a read-only data folder with an existing database: DataDirError, database untouched',
    () => {
      const dataDir = tmp('datadir-ro-')
      const desk = createDesk({ dataDir, mode: 'browser' })
      void scalar(desk.ctx.db, sql`SELECT 1`)
      return desk.close().then(() => {
        const dbFile = join(dataDir, 'aktenfluss.db')
        const before = digest(dbFile)
        const listing = readdirSync(dataDir).sort()
        chmodSync(dataDir, 0o555)
        cleanup.push(() => chmodSync(dataDir, 0o755))
        let out: { name: string; message: string }
        if (!isRoot) {
          try {
            createDesk({ dataDir, mode: 'browser' })
            out = { name: 'none', message: '' }
          } catch (e) {
            out = { name: (e as Error).name, message: (e as Error).message }
          }
        } else if (canDropPrivileges) {
          // root ignores file modes: run the start as an unprivileged user
          for (const f of readdirSync(dataDir)) chmodSync(join(dataDir, f), 0o444)
          const script = `import { createDesk } from './main/desk.ts'
try { createDesk({ dataDir: ${JSON.stringify(dataDir)}, mode: 'browser' }); console.log(JSON.stringify({ name: 'none', message: '' })) }
catch (e) { console.log(JSON.stringify({ name: e.name, message: e.message })) }`
          const r = spawnSync(
            'runuser',
            [
              '-u',
              'nobody',
              '--',
              process.execPath,
              '--import',
              'tsx',
              '--input-type=module',
              '-e',
              script,
            ],
            {
              encoding: 'utf8',
              cwd: process.cwd(),
              env: {
                ...process.env,
                HOME: '/tmp',
                TSX_TSCONFIG_PATH: join(process.cwd(), 'tsconfig.json'),
              },
            },
          )
          expect(r.status, r.stderr).toBe(0)
          out = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as typeof out
        } else {
          return // neither a non-root user nor runuser: nothing to simulate with
        }
        expect(out.name).toBe('DataDirError')
        expect(out.message).toMatch(GERMAN_DIR_ERROR)
        expect(digest(dbFile)).toBe(before)
        expect(readdirSync(dataDir).sort()).toEqual(listing)
      })
    },
  )
})

/** Mounts a small tmpfs (needs root in the sandbox); undefined when that is not possible. */
function smallDisk(bytes: number): string | undefined {
  if (!isRoot) return undefined
  const dir = tmp('datadir-tmpfs-')
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes}`, 'tmpfs', dir])
  if (r.status !== 0) return undefined
  cleanup.push(() => void spawnSync('umount', ['-l', dir]))
  return dir
}

function fill(dir: string): () => void {
  const filler = join(dir, 'fueller.bin')
  const chunk = Buffer.alloc(64 * 1024, 1)
  const parts: Buffer[] = []
  const { bavail, bsize } = statfsSync(dir)
  for (let left = bavail * bsize; left > 0; left -= chunk.length) parts.push(chunk)
  try {
    writeFileSync(filler, Buffer.concat(parts))
  } catch {
    /* ENOSPC once the disk is full: exactly what we want */
  }
  return () => rmSync(filler, { force: true })
}

describe('disk full during an action', () => {
  const check = (desk: Desk, cases: number, outbox = cases) => {
    expect(desk.ctx.db.pragma('integrity_check', { simple: true })).toBe('ok')
    expect(verifyHistoryChain(desk.ctx.db).ok).toBe(true)
    expect(countOf(desk.ctx.db, sql`SELECT count(*) AS n FROM cases`)).toBe(cases)
    expect(countOf(desk.ctx.db, sql`SELECT count(*) AS n FROM outbox`)).toBe(outbox)
  }

  it('fails with a German disk-full message and leaves the database consistent (real tmpfs, or an injected ENOSPC)', async () => {
    // the dispatcher logs the ENOSPC with its stack for the protocol; keep the test output quiet
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    cleanup.push(() => logged.mockRestore())
    const disk = smallDisk(4 * 1024 * 1024)
    const dataDir = disk ? join(disk, 'desk') : tmp('datadir-enospc-')
    const desk = createDesk({
      dataDir,
      mode: 'browser',
      clock: manualClock('2026-11-27T09:00:00Z'),
    })
    cleanup.unshift(() => void desk.close())
    // the Wohngeld lead may note on the unassigned case below (main/core/rights.ts)
    setSetting(desk.ctx.db, 'user', 'u-sbaeumer')
    const first = await desk.dispatch('intake.create', newCase(pdf(2_000)))
    expect(first.ok, JSON.stringify(first)).toBe(true)
    check(desk, 1)

    let free: () => void
    if (disk) {
      free = fill(disk)
    } else {
      // no tmpfs here: a blob store whose writes fail like a full disk
      const real = desk.ctx.blobs
      const full = Object.assign(new Error('ENOSPC: no space left on device, write'), {
        code: 'ENOSPC',
      })
      desk.ctx.blobs = Object.assign(Object.create(BlobStore.prototype) as BlobStore, {
        put: () => {
          throw full
        },
        has: (s: string) => real.has(s),
        get: (s: string) => real.get(s),
      })
      free = () => {
        desk.ctx.blobs = real
      }
    }
    const failed = await desk.dispatch('intake.create', newCase(pdf(300_000)))
    expect(failed.ok).toBe(false)
    if (!failed.ok) {
      expect(failed.error.code).toBe('disk_full')
      expect(failed.error.message).toMatch(/^Der Speicherplatz im Datenordner ist erschöpft\./)
    }
    check(desk, 1)
    let notes = 0
    if (disk) {
      // a database-only action on the full disk: SQLite reports SQLITE_FULL, the transaction rolls back
      const caseId = (first as { value: { caseId: string } }).value.caseId
      const notesBefore = countOf(desk.ctx.db, sql`SELECT count(*) AS n FROM case_history`)
      const note = await desk.dispatch('casework.addNote', {
        id: caseId,
        text: 'Rückruf vereinbart. '.repeat(450),
      })
      if (!note.ok) expect(note.error.code).toBe('disk_full')
      const notesAfter = countOf(desk.ctx.db, sql`SELECT count(*) AS n FROM case_history`)
      expect(notesAfter).toBe(note.ok ? notesBefore + 1 : notesBefore)
      if (note.ok) notes++
      check(desk, 1, 1 + notes)
    }
    // no half-written blob is left behind
    const leftovers = (dir: string): string[] =>
      existsSync(dir)
        ? readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
            e.isDirectory()
              ? leftovers(join(dir, e.name))
              : e.name.endsWith('.tmp')
                ? [e.name]
                : [],
          )
        : []
    expect(leftovers(join(dataDir, 'blobs'))).toEqual([])

    // the disk has room again: the same action works and everything is consistent
    free()
    const retry = await desk.dispatch('intake.create', newCase(pdf(300_000)))
    expect(retry.ok, JSON.stringify(retry)).toBe(true)
    check(desk, 2, 2 + notes)
  })
})
