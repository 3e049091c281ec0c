import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { insertCase } from '../../../db/repositories/cases'
import { createDesk } from '../../desk'
import { foldGerman, ftsQuery, reindexCase, searchCases } from './search'

describe('German folding', () => {
  it.each([
    ['Müller', 'muller'],
    ['Mueller', 'muller'],
    ['muller', 'muller'],
    ['Straße', 'strasse'],
    ['STRASSE', 'strasse'],
    ['Renée Bäcker', 'renee backer'],
    ['Görlitz', 'gorlitz'],
    ['Goerlitz', 'gorlitz'],
  ])('%s → %s', (input, folded) => expect(foldGerman(input)).toBe(folded))

  it('quotes words so FTS syntax in user input is inert', () => {
    expect(ftsQuery('Müller" OR x*')).toEqual({ match: '"muller"', short: ['or', 'x'] })
    expect(ftsQuery('Müller" Straße').match).toBe('"muller" AND "strasse"')
    expect(ftsQuery('a b').match).toBeNull()
  })
})

describe('case search', () => {
  const desk = createDesk({ dataDir: mkdtempSync(join(tmpdir(), 'search-')), mode: 'browser' })
  afterAll(() => desk.close())
  const add = (id: string, name: string, address: string, formData: unknown = {}) => {
    insertCase(desk.ctx.db, {
      id,
      aktenzeichen: `632.1-2026-${id}`,
      procedureId: 'wohngeld',
      subject: `Wohngeld – ${name}`,
      applicantName: name,
      applicantAddress: address,
      receivedAt: '2026-11-01T08:00:00Z',
      deadline: '2026-12-01',
      channel: 'online',
      formData,
      updatedAt: '2026-11-01T08:00:00Z',
    })
    reindexCase(desk.ctx.db, id)
  }
  add('000001', 'Käthe Müller', 'Straßburger Straße 4, 02826 Görlitz')
  add('000002', 'Hans Schmidt', 'Am Markt 1, 02826 Görlitz', { hinweis: 'Ehefrau geb. Großmann' })
  add('000003', 'Ömer Öztürk', 'Lößnitzstraße 9, 02827 Görlitz')

  const hits = (q: string) => searchCases(desk.ctx, q, 10).map((r) => r.applicantName)

  it('finds Müller typed as muller, mueller and Müller, and by prefix', () => {
    for (const q of ['muller', 'mueller', 'Müller', 'MÜLL', 'käthe mül'])
      expect(hits(q), q).toEqual(['Käthe Müller'])
  })
  it('searches address, Aktenzeichen and form text with ß/ss folding', () => {
    expect(hits('strassburger')).toEqual(['Käthe Müller'])
    expect(hits('grossmann')).toEqual(['Hans Schmidt'])
    expect(hits('2026-000003')).toEqual(['Ömer Öztürk'])
    expect(hits('oeztuerk')).toEqual(['Ömer Öztürk'])
  })
  it('finds nothing for words that are not there', () => {
    expect(hits('Meier')).toEqual([])
  })
})

describe('search order is total (rank, then newest case first)', () => {
  const desk = createDesk({ dataDir: mkdtempSync(join(tmpdir(), 'search-ties-')), mode: 'browser' })
  afterAll(() => desk.close())
  // 120 cases whose search texts have the same length and the same words: equal BM25 rank
  const ids = Array.from({ length: 120 }, (_, i) => String(100001 + i))
  for (const id of ids) {
    insertCase(desk.ctx.db, {
      id,
      aktenzeichen: `632.1-2026-${id}`,
      procedureId: 'wohngeld',
      subject: 'Wohngeld – Anna Lehmann',
      applicantName: 'Anna Lehmann',
      applicantAddress: 'Bahnhofstraße 1, 02826 Görlitz',
      receivedAt: '2026-11-01T08:00:00Z',
      deadline: '2026-12-01',
      channel: 'online',
      formData: {},
      updatedAt: '2026-11-01T08:00:00Z',
    })
    reindexCase(desk.ctx.db, id)
  }
  const page = (q: string, limit: number) => searchCases(desk.ctx, q, limit).map((r) => r.id)

  it.each(['lehmann', 'ann', 'anna lehmann', 'an'])(
    '"%s": every shorter result is a prefix of the longer one, each hit once, newest first',
    (q) => {
      const full = page(q, 200)
      expect(full).toHaveLength(ids.length)
      expect(new Set(full).size).toBe(ids.length)
      // equal rank everywhere, so the unique key decides: the newest (highest rowid) first
      expect(full).toEqual([...ids].reverse())
      for (const limit of [1, 7, 50, 119])
        expect(page(q, limit), `limit ${limit}`).toEqual(full.slice(0, limit))
    },
  )
})
