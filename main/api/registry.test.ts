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
    expect(await desk.dispatch('cases.list', { limit: 100000 })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    })
    expect(await desk.dispatch('cases.search', { query: '   ' })).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('Suchbegriff fehlt') },
    })
    expect(await desk.dispatch('shell.exec', { cmd: 'rm -rf /' })).toMatchObject({
      ok: false,
      error: { code: 'unknown_method' },
    })
    expect(await desk.dispatch('__proto__', {})).toMatchObject({
      ok: false,
      error: { code: 'unknown_method' },
    })
  })

  it('answers not_found for a missing case', async () => {
    expect(await desk.dispatch('cases.get', { id: 'gibt-es-nicht' })).toEqual({
      ok: false,
      error: { code: 'not_found', message: 'Der Vorgang wurde nicht gefunden.' },
    })
  })

  it('emits the tags the contract declares after a mutation, none after a query', async () => {
    const desk = createDesk({
      dataDir: mkdtempSync(join(tmpdir(), 'api-events-')),
      mode: 'browser',
    })
    const seen: unknown[] = []
    const off = desk.ctx.events.on('changed', (e) => seen.push(e))
    await desk.call('cases.list', {})
    expect(seen).toEqual([])
    await desk.call('views.save', {
      name: 'Meine Fristen',
      view: 'meine',
      sort: 'deadline',
      direction: 'asc',
    })
    expect(seen).toEqual([{ tags: [{ type: 'Views' }] }])
    off()
    await desk.close()
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

  it('refuses hostile structure and impossible dates in German, and stores canonical text', async () => {
    const desk = createDesk({
      dataDir: mkdtempSync(join(tmpdir(), 'api-hostile-')),
      mode: 'browser',
    })
    const base = {
      procedureId: 'wohngeld',
      applicantName: 'Erika Mustermann',
      applicantAddress: 'Hauptstraße 1, 02826 Görlitz',
      channel: 'paper' as const,
    }
    const proto = await desk.dispatch('intake.create', {
      ...base,
      formData: JSON.parse('{"antrag":{"constructor":{"x":1}}}') as unknown,
    })
    expect(proto).toMatchObject({
      ok: false,
      error: {
        code: 'invalid_input',
        message: expect.stringContaining('„constructor“ ist als Name nicht zulässig'),
      },
    })
    let deep: unknown = 'x'
    for (let i = 0; i < 100_000; i++) deep = { d: deep }
    expect(await desk.dispatch('intake.create', { ...base, formData: { deep } })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: expect.stringContaining('zu tief verschachtelt') },
    })
    expect(await desk.dispatch('cases.list', { deadlineFrom: '2026-02-30' })).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('Dieses Datum gibt es nicht') },
    })
    expect(await desk.dispatch('cases.list', { deadlineFrom: '0000-00-00' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    })
    expect(await desk.dispatch('cases.list', { deadlineFrom: '2028-02-29' })).toMatchObject({
      ok: true,
    })
    const made = await desk.call('intake.create', { ...base, applicantName: 'Mu\u0308ller\ud800' })
    expect(made.ok).toBe(true)
    if (!made.ok) return
    const got = await desk.call('cases.get', { id: made.value.caseId })
    expect(got.ok && got.value.applicantName).toBe('Müller\ufffd')
    await desk.close()
  })
})
