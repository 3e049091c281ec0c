import { describe, expect, it } from 'vitest'
import { prefillFields } from './prefill'

describe('prefill from the submitted form', () => {
  const form = { fahrzeug: { hersteller: 'Škoda', typ: 'Octavia', fin: 'TMBJJ7NE5L0123456' }, kennzeichenWunsch: '' }
  it('fills a field only when every referenced value exists', () => {
    expect(
      prefillFields({ vehicle: '{{fahrzeug.hersteller}} {{fahrzeug.typ}}, FIN {{fahrzeug.fin}}', owner: '{{halter.name}}', wish: '{{kennzeichenWunsch}}' }, form),
    ).toEqual({ vehicle: 'Škoda Octavia, FIN TMBJJ7NE5L0123456' })
  })
  it('ignores missing mappings and non-object data', () => {
    expect(prefillFields(undefined, form)).toEqual({})
    expect(prefillFields({ a: '{{x.y}}' }, null)).toEqual({})
  })
})
