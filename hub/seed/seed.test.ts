import { describe, expect, it } from 'vitest'
import { PDFDocument } from 'pdf-lib'
import { createRng, generateApplication, loadProcedures } from './seed'

describe('demo data generation', () => {
  it('is deterministic for a seed and produces real PDFs (one with 2+ pages) and JPEGs', async () => {
    const procs = loadProcedures()
    const ref = new Date('2026-11-27T12:00:00Z')
    const gen = () =>
      Promise.all(procs.map((p, i) => generateApplication(p, createRng(`det:${i}`), ref, i)))
    const [a, b] = await Promise.all([gen(), gen()])
    expect(
      JSON.stringify(a, (_k, v: unknown) =>
        v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v,
      ),
    ).toBe(
      JSON.stringify(b, (_k, v: unknown) =>
        v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v,
      ),
    )
    const bau = a.find((x) => x.procedure.id === 'baugenehmigung')!
    const form = await PDFDocument.load(bau.attachments[0]!.bytes)
    expect(form.getPageCount()).toBeGreaterThanOrEqual(2)
    expect(form.getTitle()).toContain('Baugenehmigung')
    const many = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        generateApplication(procs[i % 5]!, createRng(`mix:${i}`), ref, i),
      ),
    )
    const mimes = new Set(many.flatMap((x) => x.attachments.map((y) => y.mimeType)))
    expect(mimes).toEqual(new Set(['application/pdf', 'image/jpeg']))
    expect(many.every((x) => x.attachments.length >= 1 && x.attachments.length <= 3)).toBe(true)
    expect(JSON.stringify(many.map((x) => x.data))).toMatch(/[äöüß]/)
  })
})
