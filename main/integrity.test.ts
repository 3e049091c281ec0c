// One process per data folder, and never a damaged database (sync resilience: durability and integrity).
import { spawn } from 'node:child_process'
import {
  closeSync,
  mkdtempSync,
  openSync,
  readSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { DatabaseCorruptError, openDatabase } from '../db/open'
import { openDeskKeys } from './core/atRest/keys'
import { DataDirInUseError } from './core/dataLock'
import { createDesk } from './desk'
import { generateCases } from '../testing/demoData'

const dirs: string[] = []
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'integrity-'))
  dirs.push(d)
  return d
}

describe('one process per data folder', () => {
  it('refuses a second desk on the same folder in German, naming the folder; after close it opens again', async () => {
    const dir = tmp()
    const first = createDesk({ dataDir: dir, mode: 'browser' })
    expect(() => createDesk({ dataDir: dir, mode: 'browser' })).toThrow(DataDirInUseError)
    expect(() => createDesk({ dataDir: dir, mode: 'browser' })).toThrow(
      `Der Datenordner „${dir}“ wird bereits von einem anderen Aktenfluss-Prozess verwendet`,
    )
    await first.close()
    const again = createDesk({ dataDir: dir, mode: 'browser' })
    await again.close()
  })

  it('takes over the lock of a process that no longer runs (kill -9)', async () => {
    const dir = tmp()
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'])
    const deadPid = child.pid!
    child.kill('SIGKILL')
    await new Promise((r) => child.once('exit', r))
    writeFileSync(join(dir, 'aktenfluss.lock'), String(deadPid))
    const desk = createDesk({ dataDir: dir, mode: 'browser' })
    await desk.close()
  })
})

describe('a damaged database', () => {
  it('is refused at start with a German message and a recovery path, never used', async () => {
    const dir = tmp()
    const desk = createDesk({ dataDir: dir, mode: 'browser' })
    generateCases(desk.ctx.db, desk.ctx.procedures, {
      count: 2_000,
      today: '2026-12-01',
      users: ['u-jweiss'],
    })
    desk.ctx.db.pragma('wal_checkpoint(TRUNCATE)')
    await desk.close()
    const file = join(dir, 'aktenfluss.db')
    const pages = statSync(file).size / 4096
    expect(pages).toBeGreaterThan(20)
    // overwrite a page in the middle of the file (a b-tree page, not the header)
    const fd = openSync(file, 'r+')
    const probe = Buffer.alloc(4096)
    readSync(fd, probe, 0, 4096, Math.floor(pages / 2) * 4096)
    writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, Math.floor(pages / 2) * 4096)
    closeSync(fd)
    const key = openDeskKeys(dir, { mustExist: true }).dbKeyHex
    expect(() => openDatabase(file, { key })).toThrow(DatabaseCorruptError)
    expect(() => createDesk({ dataDir: dir, mode: 'browser' })).toThrow(
      /ist beschädigt .*Datenordner umbenennen \(nicht löschen\)/s,
    )
  })

  it('a large one is checked in a worker: the desk opens, every call is then refused in German, nothing is written', async () => {
    const dir = tmp()
    const desk = createDesk({ dataDir: dir, mode: 'browser' })
    generateCases(desk.ctx.db, desk.ctx.procedures, {
      count: 2_000,
      today: '2026-12-01',
      users: ['u-jweiss'],
    })
    desk.ctx.db.pragma('wal_checkpoint(TRUNCATE)')
    await desk.close()
    const file = join(dir, 'aktenfluss.db')
    const pages = statSync(file).size / 4096
    const fd = openSync(file, 'r+')
    writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, Math.floor(pages / 2) * 4096)
    closeSync(fd)
    const damaged = createDesk({ dataDir: dir, mode: 'browser', inlineIntegrityCheckMaxBytes: 0 })
    const before = statSync(file).mtimeMs
    const note = await damaged.dispatch('views.save', {
      name: 'x',
      view: 'alle',
      sort: 'deadline',
      direction: 'asc',
    })
    expect(note).toMatchObject({
      ok: false,
      error: { code: 'database_damaged', message: expect.stringMatching(/ist beschädigt/) },
    })
    expect(await damaged.dispatch('cases.counts', {})).toMatchObject({
      ok: false,
      error: { code: 'database_damaged' },
    })
    expect(statSync(file).mtimeMs).toBe(before)
    await damaged.close()
  })

  it('a sound large one opens and works after the background check', async () => {
    const dir = tmp()
    await createDesk({ dataDir: dir, mode: 'browser' }).close()
    const desk = createDesk({ dataDir: dir, mode: 'browser', inlineIntegrityCheckMaxBytes: 0 })
    expect(
      await desk.dispatch('views.save', {
        name: 'Fristen',
        view: 'alle',
        sort: 'deadline',
        direction: 'asc',
      }),
    ).toMatchObject({ ok: true })
    await desk.close()
  })
})
