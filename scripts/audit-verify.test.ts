import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../db/open'
import { get, run, shape, sql } from '../db/sql'
import { appendHistory, historyHash } from '../db/repositories/history'
import { createDesk } from '../main/desk'

/** `npm run audit:verify -- --data-dir DIR` as a real process. */
function auditVerify(dataDir: string) {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'scripts/audit-verify.ts', '--data-dir', dataDir],
    { encoding: 'utf8', timeout: 30_000 },
  )
  return { status: r.status, out: r.stdout.trim(), err: r.stderr.trim() }
}

const dirs: string[] = []
function deskWithHistory(entries: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'audit-verify-'))
  dirs.push(dir)
  const db = openDatabase(join(dir, 'aktenfluss.db'))
  run(
    db,
    sql`INSERT INTO cases (id, aktenzeichen, procedure_id, subject, applicant_name, applicant_address, received_at, updated_at) VALUES ('c1', 'AZ-1', 'wohngeld', 'S', 'N', 'A', 'x', 'x')`,
  )
  for (let i = 0; i < entries; i++)
    appendHistory(db, {
      caseId: 'c1',
      at: `2026-01-0${i + 1}T08:00:00Z`,
      actor: 'u-jweiss',
      action: `Schritt ${i}`,
      detail: `Notiz ${i}`,
    })
  db.close()
  return dir
}

/** What an attacker with write access to the file does: drop the append-only triggers, then edit. */
function tamper(dir: string, sql: string): void {
  const db = openDatabase(join(dir, 'aktenfluss.db'))
  db.exec(
    'DROP TRIGGER IF EXISTS case_history_no_update; DROP TRIGGER IF EXISTS case_history_no_delete;',
  )
  db.exec(sql)
  db.close()
}

const digest = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex')

afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))

describe('npm run audit:verify', () => {
  it('reports an intact chain with its length and exits 0, without touching the database', () => {
    const dir = deskWithHistory(6)
    const before = digest(join(dir, 'aktenfluss.db'))
    const r = auditVerify(dir)
    expect(r).toMatchObject({ status: 0, out: 'Prüfkette intakt: 6 Einträge' })
    expect(digest(join(dir, 'aktenfluss.db'))).toBe(before)
  })

  it('reports the first broken link after a row was edited behind the triggers, exit 1', () => {
    const dir = deskWithHistory(6)
    tamper(dir, "UPDATE case_history SET detail = 'nachträglich geändert' WHERE seq = 4")
    const r = auditVerify(dir)
    expect(r.status).toBe(1)
    expect(r.out).toBe('Prüfkette gebrochen bei Eintrag #4: Inhalt verändert (hash)')
  })

  it('notices a deleted entry (the next one no longer links) and a recomputed hash (the next link breaks)', () => {
    const deleted = deskWithHistory(5)
    tamper(deleted, 'DELETE FROM case_history WHERE seq = 2')
    expect(auditVerify(deleted)).toMatchObject({
      status: 1,
      out: 'Prüfkette gebrochen bei Eintrag #3: Verkettung unterbrochen (prev_hash)',
    })

    // a careful attacker recomputes the edited row's hash too – the following entry still points at the old one
    const rehashed = deskWithHistory(5)
    const db = openDatabase(join(rehashed, 'aktenfluss.db'))
    const row = get(
      db,
      sql`SELECT * FROM case_history WHERE seq = 2`,
      shape({ case_id: 'text', at: 'text', action: 'text', detail: 'text', prev_hash: 'text' }),
    )!
    const forged = historyHash(row.prev_hash, {
      caseId: row.case_id,
      at: row.at,
      actor: 'u-boese',
      action: row.action,
      detail: row.detail,
    })
    db.close()
    tamper(rehashed, `UPDATE case_history SET actor = 'u-boese', hash = '${forged}' WHERE seq = 2`)
    expect(auditVerify(rehashed)).toMatchObject({
      status: 1,
      out: 'Prüfkette gebrochen bei Eintrag #3: Verkettung unterbrochen (prev_hash)',
    })
  })

  it('reads an encrypted desk folder with its key file (and its passphrase)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'audit-verify-enc-'))
    dirs.push(dir)
    const desk = createDesk({ dataDir: dir, mode: 'browser', passphrase: 'Prüfung 1' })
    const created = await desk.dispatch('intake.create', {
      procedureId: 'wohngeld',
      applicantName: 'Erika Mustermann',
      applicantAddress: 'Hauptstraße 1, 01067 Dresden',
      channel: 'paper',
      attachments: [],
    })
    expect(created.ok).toBe(true)
    await desk.close()
    const pass = join(dir, '..', `${dir.split('/').pop()}.pass`)
    writeFileSync(pass, 'Prüfung 1\n')
    dirs.push(pass)
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'scripts/audit-verify.ts', '--data-dir', dir, '--passphrase-file', pass],
      { encoding: 'utf8', timeout: 30_000 },
    )
    expect(r.stdout.trim()).toMatch(/^Prüfkette intakt: [1-9]\d* Einträge$/)
    expect(r.status).toBe(0)
    const without = auditVerify(dir)
    expect(without.status).toBe(2)
    expect(without.err).toMatch(/Passphrase/)
  })

  it('explains a missing database or missing argument in German, exit 2', () => {
    const empty = mkdtempSync(join(tmpdir(), 'audit-verify-empty-'))
    dirs.push(empty)
    const r = auditVerify(empty)
    expect(r.status).toBe(2)
    expect(r.err).toContain('Keine Datenbank gefunden')
    const usage = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/audit-verify.ts'], {
      encoding: 'utf8',
    })
    expect(usage.status).toBe(2)
    expect(usage.stderr).toContain('Aufruf: npm run audit:verify -- --data-dir ORDNER')
  })
})
