import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createDesk } from '../desk'
import { defineHandlers } from './registry'

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

  it('emits the tags the contract declares after a mutation, none after a query', async () => {
    const seen: unknown[] = []
    const off = desk.ctx.events.on('changed', (e) => seen.push(e))
    await desk.call('cases.list', {})
    expect(seen).toEqual([])
    await desk.call('views.save', { name: 'Meine Fristen', view: 'meine', sort: 'deadline', direction: 'asc' })
    expect(seen).toEqual([{ tags: [{ type: 'Views' }] }])
    off()
  })

  it('a handler file only accepts the methods of its own namespace (compile time)', () => {
    const h = defineHandlers('records', {
      close: () => ({ mutationId: null }),
      reopen: () => ({ mutationId: null }),
      // @ts-expect-error casework.take belongs to main/features/casework/handler.ts
      take: () => ({ mutationId: null }),
    })
    expect(Object.keys(h)).toContain('close')
    // @ts-expect-error a missing method fails too
    defineHandlers('records', { close: () => ({ mutationId: null }) })
  })
})
