import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { migrate } from '../migrate'
import { run, sql, type WriteDb } from '../sql'
import { appendHistory, historyOf, verifyHistoryChain } from './history'

describe('hash-chained history', () => {
  const db = new Database(':memory:') as WriteDb
  migrate(db)
  run(
    db,
    sql`INSERT INTO cases (id, aktenzeichen, procedure_id, subject, applicant_name, applicant_address, received_at, updated_at) VALUES ('c1', 'AZ-1', 'wohngeld', 'S', 'N', 'A', 'x', 'x')`,
  )
  for (let i = 0; i < 5; i++) appendHistory(db, { caseId: 'c1', at: `2026-01-0${i + 1}T08:00:00Z`, actor: 'u-jweiss', action: `Schritt ${i}` })

  it('links every entry to the one before and verifies', () => {
    expect(historyOf(db, 'c1').map((h) => h.action)).toEqual(['Schritt 0', 'Schritt 1', 'Schritt 2', 'Schritt 3', 'Schritt 4'])
    expect(verifyHistoryChain(db)).toEqual({ ok: true, entries: 5 })
  })

  it('reports the first broken link when a row is tampered with', () => {
    db.exec('DROP TRIGGER case_history_no_update') // an attacker with file access
    run(db, sql`UPDATE case_history SET actor = 'u-boese' WHERE seq = 3`)
    const result = verifyHistoryChain(db)
    expect(result).toMatchObject({ ok: false, brokenAt: 3 })
  })
})
