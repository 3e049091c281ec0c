import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createDesk } from '../desk'

describe('dispatcher', () => {
  const desk = createDesk({ dataDir: mkdtempSync(join(tmpdir(), 'api-')), mode: 'browser' })
  afterAll(() => desk.close())

  it('parses input by the method schema and fills defaults', async () => {
    const res = await desk.dispatch('cases.list', {})
    expect(res).toEqual({ ok: true, value: { total: 0, rows: [] } })
  })

  it('refuses unknown fields, wrong types and unknown methods in German', async () => {
    expect(await desk.dispatch('cases.list', { limit: 5, evil: true })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: expect.stringMatching(/Ungültige Eingabe/) },
    })
    expect(await desk.dispatch('cases.list', { limit: 100000 })).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
    expect(await desk.dispatch('cases.search', { query: '   ' })).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('Suchbegriff fehlt') },
    })
    expect(await desk.dispatch('shell.exec', { cmd: 'rm -rf /' })).toMatchObject({ ok: false, error: { code: 'unknown_method' } })
    expect(await desk.dispatch('__proto__', {})).toMatchObject({ ok: false, error: { code: 'unknown_method' } })
  })

  it('answers not_found for a missing case', async () => {
    expect(await desk.dispatch('cases.get', { id: 'gibt-es-nicht' })).toEqual({
      ok: false,
      error: { code: 'not_found', message: 'Der Vorgang wurde nicht gefunden.' },
    })
  })
})
