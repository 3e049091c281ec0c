import { describe, expect, it } from 'vitest'
import { fillPlaceholders } from '../../../preload/contract/decisionForm'
import { prefillFields, reasonsDataValues } from './prefill'

describe('prefill from the submitted form', () => {
  const form = {
    fahrzeug: { hersteller: 'Škoda', typ: 'Octavia', fin: 'TMBJJ7NE5L0123456' },
    kennzeichenWunsch: '',
  }
  it('fills a field only when every referenced value exists', () => {
    expect(
      prefillFields(
        {
          vehicle: '{{fahrzeug.hersteller}} {{fahrzeug.typ}}, FIN {{fahrzeug.fin}}',
          owner: '{{halter.name}}',
          wish: '{{kennzeichenWunsch}}',
        },
        form,
      ),
    ).toEqual({ vehicle: 'Škoda Octavia, FIN TMBJJ7NE5L0123456' })
  })
  it('ignores missing mappings and non-object data', () => {
    expect(prefillFields(undefined, form)).toEqual({})
    expect(prefillFields({ a: '{{x.y}}' }, null)).toEqual({})
  })
})

describe('values the Begründung names, from the submitted form', () => {
  const form = {
    haushaltsmitglieder: [{}, {}, {}],
    monatlicheMiete: 612,
    monatlichesEinkommen: 1384.2,
    leer: '',
  }
  it('counts, amounts and texts the form holds; nothing for what it lacks', () => {
    expect(
      reasonsDataValues(
        {
          householdSize: { from: 'haushaltsmitglieder', type: 'count' },
          rent: { from: 'monatlicheMiete', type: 'money' },
          income: { from: 'monatlichesEinkommen', type: 'money' },
          missing: { from: 'gibtEsNicht', type: 'money' },
          empty: { from: 'leer', type: 'text' },
        },
        form,
      ),
    ).toEqual({
      householdSize: { type: 'count', value: 3 },
      rent: { type: 'money', value: 612 },
      income: { type: 'money', value: 1384.2 },
    })
  })
  it('fills them into the skeleton in German; unknown placeholders and [Stellen] stay open', () => {
    const values = reasonsDataValues(
      {
        n: { from: 'haushaltsmitglieder', type: 'count' },
        rent: { from: 'monatlicheMiete', type: 'money' },
      },
      form,
    )
    expect(
      fillPlaceholders(
        'Haushalt ({{n}}), Miete {{ rent }}, Betrag {{monthlyAmount}}, weil [Begründung].',
        values,
      ),
    ).toBe('Haushalt (3), Miete 612,00\u00a0€, Betrag {{monthlyAmount}}, weil [Begründung].')
    expect(fillPlaceholders('am {{d}}', { d: { type: 'date', value: '2026-11-02' } })).toBe(
      'am 02.11.2026',
    )
  })
})

describe('day and time of a timestamp', () => {
  it('prefills the Berlin day and time of the offence from the form timestamp', () => {
    expect(
      prefillFields(
        {
          offenceDate: '{{tatzeit|date}}',
          offenceTime: '{{tatzeit|time}}',
          bad: '{{kaputt|date}}',
        },
        { tatzeit: '2026-10-31T23:30:00Z', kaputt: 'gestern' },
      ),
    ).toEqual({
      offenceDate: '2026-11-01',
      offenceTime: '00:30 Uhr',
    })
  })
})
