import Database from 'better-sqlite3'
import fc from 'fast-check'
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
  for (let i = 0; i < 5; i++)
    appendHistory(db, {
      caseId: 'c1',
      at: `2026-01-0${i + 1}T08:00:00Z`,
      actor: 'u-jweiss',
      action: `Schritt ${i}`,
    })

  it('links every entry to the one before and verifies', () => {
    expect(historyOf(db, 'c1').map((h) => h.action)).toEqual([
      'Schritt 0',
      'Schritt 1',
      'Schritt 2',
      'Schritt 3',
      'Schritt 4',
    ])
    expect(verifyHistoryChain(db)).toEqual({ ok: true, entries: 5 })
  })

  it('reports the first broken link when a row is tampered with', () => {
    db.exec('DROP TRIGGER case_history_no_update') // an attacker with file access
    run(db, sql`UPDATE case_history SET actor = 'u-boese' WHERE seq = 3`)
    const result = verifyHistoryChain(db)
    expect(result).toMatchObject({ ok: false, brokenAt: 3 })
  })

  it('stays verifiable for any text a citizen or clerk can send (lone surrogates, combining marks)', () => {
    const text = fc.string({
      unit: fc.oneof(
        fc.constantFrom('\ud800', '\udc00', 'u\u0308', '€'),
        fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
      ),
      maxLength: 40,
    })
    fc.assert(
      fc.property(text, text, (action, detail) => {
        const fresh = new Database(':memory:') as WriteDb
        migrate(fresh)
        fresh
          .prepare(
            "INSERT INTO cases (id, aktenzeichen, procedure_id, subject, applicant_name, applicant_address, received_at, updated_at) VALUES ('c1', 'AZ-1', 'wohngeld', 'S', 'N', 'A', 'x', 'x')",
          )
          .run()
        appendHistory(fresh, {
          caseId: 'c1',
          at: '2026-01-01T08:00:00Z',
          actor: 'u-jweiss',
          action,
          detail,
        })
        appendHistory(fresh, {
          caseId: 'c1',
          at: '2026-01-01T08:01:00Z',
          actor: 'u-jweiss',
          action: 'danach',
          detail,
        })
        expect(verifyHistoryChain(fresh)).toMatchObject({ ok: true, entries: 2 })
        fresh.close()
      }),
      { numRuns: 200 },
    )
  })
})
