// Encryption at rest (issue #17): after an intake nothing readable or loosely permitted on disk;
// a changed keyring, a wrong passphrase, a lost keys file or another machine never lock anyone
// out for good and never start on an empty database.
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { all, shape, sql } from '../../../db/sql'
import { seedSubmissions } from '../../../hub/seed/seed'
import type { RunningHub } from '../../../hub/server'
import {
  DEMO_RECOVERY_PRIVATE_KEY,
  fakeOsKeyStore,
  looseModes,
  rawHits,
} from '../../../testing/atRest/files'
import { makeTestDesk, startTestHub, type TestDesk } from '../../../testing/sync/testHarness'
import { createDesk, type DeskOptions } from '../../desk'
import { isPlainSqlite, KEYS_FILE, KeyAccessError, readKeysFile } from './keys'

const cleanup: (() => void)[] = []
afterAll(() => cleanup.reverse().forEach((f) => f()))
const tmp = (prefix: string) => {
  const d = mkdtempSync(join(tmpdir(), prefix))
  cleanup.push(() => rmSync(d, { recursive: true, force: true }))
  return d
}
const applicantShape = shape({ applicant_name: 'text', applicant_address: 'text' })
const countShape = shape({ n: 'int' })
const digest = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex')

let hub: RunningHub
let t: TestDesk
let deskDir: string
let needles: string[]
let plainDir: string
let plainNeedles: string[]

/** `npm run recover` as IT runs it, a real process. */
function recover(dataDir: string, extra: string[] = []) {
  const r = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      'scripts/recover.ts',
      '--data-dir',
      dataDir,
      '--recovery-key',
      DEMO_RECOVERY_PRIVATE_KEY,
      ...extra,
    ],
    { encoding: 'utf8', timeout: 60_000 },
  )
  return { status: r.status, out: r.stdout.trim(), err: r.stderr.trim() }
}

function applicants(desk: TestDesk): string[] {
  const rows = all(
    desk.desk.ctx.db,
    sql`SELECT applicant_name, applicant_address FROM cases`,
    applicantShape,
  )
  // the name and the street (the address's first part, "Hauptstraße 12")
  return rows.flatMap((r) => [r.applicant_name, r.applicant_address.split(',')[0]!.trim()])
}

beforeAll(async () => {
  hub = await startTestHub(tmp('atrest-hub-'))
  await seedSubmissions({ hubUrl: hub.url, hubConfig: hub.config, count: 6, seed: 'at-rest' })
  deskDir = tmp('atrest-desk-')
  t = makeTestDesk(hub, { dataDir: deskDir })
  await t.desk.sync.retryNow()
  needles = applicants(t)
  await t.desk.close()
  // the same intake on a plaintext desk: proves the search finds what it looks for
  plainDir = tmp('atrest-plain-')
  const p = makeTestDesk(hub, { dataDir: plainDir, atRest: 'plaintext' })
  await p.desk.sync.retryNow()
  plainNeedles = applicants(p)
  await p.desk.close()
}, 120_000)
afterAll(async () => {
  await hub?.close()
})

describe('after an intake', () => {
  it('took in real applications (the check below has something to find)', () => {
    expect(needles.length).toBeGreaterThanOrEqual(12)
    expect(needles.every((n) => n.length >= 4)).toBe(true)
    // a plaintext desk holds them in the clear: the raw-byte search does find them
    expect(rawHits(plainDir, plainNeedles).length).toBeGreaterThan(0)
  })

  it('no file under the data folder contains an applicant name or street (UTF-8, UTF-16)', () => {
    expect(rawHits(deskDir, needles)).toEqual([])
    expect(isPlainSqlite(join(deskDir, 'aktenfluss.db'))).toBe(false)
  })

  it('nothing under the desk folder or the hub folder is group- or world-accessible', () => {
    expect(looseModes(deskDir)).toEqual([])
    expect(looseModes(hub.dataDir)).toEqual([])
  })

  it('reopens with the same data and readable, hash-checked documents', async () => {
    const again = makeTestDesk(hub, { dataDir: deskDir })
    try {
      const rows = all(
        again.desk.ctx.db,
        sql`SELECT sha256 FROM documents`,
        shape({ sha256: 'text' }),
      )
      expect(rows.length).toBeGreaterThan(0)
      for (const r of rows) expect(again.desk.ctx.blobs.get(r.sha256).length).toBeGreaterThan(0)
      expect(again.desk.secrets.get('hub.clientSecret')).toBeTruthy()
      expect(applicants(again).sort()).toEqual([...needles].sort())
    } finally {
      await again.desk.close()
    }
  })
})

const open = (dataDir: string, extra: Partial<DeskOptions> = {}) =>
  createDesk({ dataDir, mode: 'browser', ...extra })
const caseCount = (d: ReturnType<typeof open>) =>
  all(d.ctx.db, sql`SELECT count(*) AS n FROM cases`, countShape)[0]!.n
const expectRefused = (f: () => unknown, code: KeyAccessError['code'], text: RegExp) => {
  let err: unknown
  try {
    f()
  } catch (e) {
    err = e
  }
  expect(err).toBeInstanceOf(KeyAccessError)
  expect((err as KeyAccessError).code).toBe(code)
  expect((err as Error).message).toMatch(text)
}

/** A desk of the desktop app: its key wrapped by the (fake) OS keyring. */
async function electronDesk(backend: string) {
  const dir = tmp('atrest-os-')
  const os = fakeOsKeyStore(backend)
  const d = createDesk({ dataDir: dir, mode: 'electron', osKeyStore: os })
  const r = await d.call('intake.create', {
    procedureId: 'wohngeld',
    applicantName: 'Erika Mustermann',
    applicantAddress: 'Heidestraße 17, 01067 Dresden',
    channel: 'paper',
    attachments: [
      {
        filename: 'antrag.pdf',
        mimeType: 'application/pdf',
        base64: Buffer.from('%PDF-1.4\nHeidestraße 17\n%%EOF\n').toString('base64'),
      },
    ],
  })
  expect(r.ok, JSON.stringify(r)).toBe(true)
  d.secrets.set('signing.password.u-jweiss.demo', 'demo')
  expect(d.unlockedBy).toBe(`os:${backend}`)
  await d.close()
  return { dir, os }
}

describe('keyring backend changed', () => {
  it('refuses in German without touching the data, and the office key brings it back', async () => {
    const { dir, os } = await electronDesk('gnome_libsecret')
    const before = digest(join(dir, 'aktenfluss.db'))
    expect(readKeysFile(dir)?.os?.backend).toBe('gnome_libsecret')
    const kwallet = fakeOsKeyStore('kwallet6')
    expectRefused(
      () => createDesk({ dataDir: dir, mode: 'electron', osKeyStore: kwallet }),
      'keyring_changed',
      /„gnome_libsecret“ geschützt, jetzt meldet das Betriebssystem „kwallet6“.*nicht durch eine leere Datenbank ersetzt.*npm run recover/s,
    )
    // same backend, but the keyring lost its secret (new login keyring)
    expectRefused(
      () =>
        createDesk({
          dataDir: dir,
          mode: 'electron',
          osKeyStore: fakeOsKeyStore('gnome_libsecret'),
        }),
      'keyring_failed',
      /gibt den Schlüssel dieses Arbeitsplatzes nicht heraus.*IT/s,
    )
    expect(digest(join(dir, 'aktenfluss.db'))).toBe(before)
    // IT recovers with the office's private key; the next start moves the key into kwallet
    const r = recover(dir)
    expect(r.err).toBe('')
    expect(r.status).toBe(0)
    expect(r.out).toMatch(/^Zugang wiederhergestellt/)
    const d = createDesk({ dataDir: dir, mode: 'electron', osKeyStore: kwallet })
    try {
      expect(caseCount(d)).toBe(1)
      expect(d.secrets.get('signing.password.u-jweiss.demo')).toBe('demo')
      expect(d.unlockedBy).toBe('os:kwallet6')
    } finally {
      await d.close()
    }
    const k = readKeysFile(dir)
    expect(k?.os?.backend).toBe('kwallet6')
    expect(k?.file).toBeUndefined() // no key left in the clear in the keys file
    expect(os.backend()).toBe('gnome_libsecret')
  })

  it('refuses basic_text unless the office policy allows it', () => {
    const dir = tmp('atrest-basic-')
    expectRefused(
      () =>
        createDesk({ dataDir: dir, mode: 'electron', osKeyStore: fakeOsKeyStore('basic_text') }),
      'basic_text_refused',
      /basic_text.*fest eingebauten Schlüssel.*Richtlinie/s,
    )
    const d = createDesk({
      dataDir: dir,
      mode: 'electron',
      osKeyStore: fakeOsKeyStore('basic_text'),
      allowBasicText: true,
    })
    expect(d.unlockedBy).toBe('os:basic_text')
    return d.close()
  })
})

describe('browser mode key file', () => {
  it('a wrong or missing passphrase is refused in German; the right one opens', async () => {
    const dir = tmp('atrest-pass-')
    const d = open(dir, { passphrase: 'Amtsstube 2026!' })
    expect(d.unlockedBy).toBe('file+passphrase')
    await d.close()
    const k = readFileSync(join(dir, KEYS_FILE), 'utf8')
    expect(k).toMatch(/"kdf": "scrypt"/)
    expect(k).not.toMatch(/"key":/)
    expectRefused(
      () => open(dir, { passphrase: 'amtsstube 2026!' }),
      'wrong_passphrase',
      /Die Passphrase ist falsch/,
    )
    expectRefused(
      () => open(dir),
      'passphrase_required',
      /AKTENFLUSS_PASSPHRASE oder --passphrase-file/,
    )
    const again = open(dir, { passphrase: 'Amtsstube 2026!' })
    expect(caseCount(again)).toBe(0)
    await again.close()
  })

  it('a lost keys file is refused (never an empty database) and recovered from the recovery JWE', async () => {
    const dir = tmp('atrest-lost-')
    const d = open(dir)
    const created = await d.call('intake.create', {
      procedureId: 'wohngeld',
      applicantName: 'Paul Beispiel',
      applicantAddress: 'Am Markt 3, 01067 Dresden',
      channel: 'paper',
      attachments: [],
    })
    expect(created.ok, JSON.stringify(created)).toBe(true)
    await d.close()
    rmSync(join(dir, KEYS_FILE))
    expectRefused(() => open(dir), 'keys_missing', /Schlüsseldatei .* fehlt.*nicht verloren/s)
    const r = recover(dir)
    expect(r.status).toBe(0)
    const back = open(dir)
    expect(caseCount(back)).toBe(1)
    await back.close()
  })
})

describe('another machine', () => {
  it('a desktop folder copied to another machine opens only after recovery, with a new passphrase', async () => {
    const { dir } = await electronDesk('dpapi')
    const copy = tmp('atrest-copy-')
    cpSync(dir, copy, { recursive: true })
    expectRefused(
      () => open(copy),
      'keyring_missing',
      /Schlüsselbund des Betriebssystems.*npm run recover/s,
    )
    const pass = join(tmp('atrest-passfile-'), 'passphrase.txt')
    writeFileSync(pass, 'Neue Passphrase 1\n', { mode: 0o600 })
    // the wrong private key is refused
    const wrongKey = join(tmp('atrest-wrongkey-'), 'other.jwk')
    const { generateKeyPairSync } = await import('node:crypto')
    writeFileSync(
      wrongKey,
      JSON.stringify(
        generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }),
      ),
    )
    const wrong = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'scripts/recover.ts', '--data-dir', copy, '--recovery-key', wrongKey],
      { encoding: 'utf8', timeout: 60_000 },
    )
    expect(wrong.status).toBe(1)
    expect(wrong.stderr).toMatch(/passt nicht zu diesem Arbeitsplatz/)
    expect(recover(copy, ['--passphrase-file', pass]).status).toBe(0)
    expectRefused(() => open(copy), 'passphrase_required', /Passphrase/)
    const d = open(copy, { passphrase: 'Neue Passphrase 1' })
    try {
      expect(caseCount(d)).toBe(1)
      const docs = all(d.ctx.db, sql`SELECT sha256 FROM documents`, shape({ sha256: 'text' }))
      expect(d.ctx.blobs.get(docs[0]!.sha256).toString('utf8')).toMatch(/Heidestraße 17/)
      expect(d.secrets.get('signing.password.u-jweiss.demo')).toBe('demo')
    } finally {
      await d.close()
    }
  })
})
