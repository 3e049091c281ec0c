import { describe, expect, it } from 'vitest'
import { FORM_MAX_BYTES, FORM_MAX_DEPTH, formDataProblem, payloadSchemas } from './payloads'

describe('form data limits at the hub (the same as the desk’s)', () => {
  const register = (formData: unknown) =>
    payloadSchemas['case.register'].safeParse({
      aktenzeichen: '632.1-2026-000001',
      procedureId: 'wohngeld',
      subject: 'Wohngeld',
      applicantName: 'Erika Mustermann',
      applicantAddress: 'Weg 1',
      receivedAt: '2026-12-01',
      deadline: null,
      channel: 'paper',
      formData,
      documents: [],
    })

  it('accepts ordinary form data up to the limits', () => {
    let deep: unknown = 'x'
    for (let i = 0; i < FORM_MAX_DEPTH; i++) deep = { d: deep }
    expect(formDataProblem(deep)).toBeNull()
    expect(register({ antragsteller: { name: 'Müller' }, kinder: [{ name: 'A' }] }).success).toBe(
      true,
    )
  })

  it('refuses reserved keys, hostile nesting and oversize data without overflowing the stack', () => {
    expect(formDataProblem(JSON.parse('{"a":{"__proto__":{"x":1}}}'))).toMatch(
      /reserved key "__proto__"/,
    )
    expect(register({ constructor: { prototype: 1 } }).success).toBe(false)
    let deep: unknown = 'x'
    for (let i = 0; i < 100_000; i++) deep = { d: deep }
    expect(formDataProblem(deep)).toMatch(/deeper than 32/)
    expect(formDataProblem({ blob: 'x'.repeat(FORM_MAX_BYTES) })).toMatch(/larger than/)
  })
})
