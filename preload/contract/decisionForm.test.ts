import { describe, expect, it } from 'vitest'
import type { DecisionFieldDef } from './'
import { fromFormValues, initialValues, toFormValues } from './decisionForm'

const monthlyAmount: DecisionFieldDef = {
  name: 'monthlyAmount',
  label: 'Monatliches Wohngeld',
  type: 'money',
  required: true,
}
const conditions: DecisionFieldDef = {
  name: 'conditions',
  label: 'Auflagen',
  type: 'list',
  required: false,
}
const defs = [monthlyAmount, conditions]
const reopenAndSave = (stored: Record<string, number | string | string[]>) =>
  fromFormValues(toFormValues(stored, defs), defs, stored).fields

describe('decision form values', () => {
  it('opening a saved decision and saving it unchanged keeps 187,50 € (not 1.875,00 €)', () => {
    const stored = { monthlyAmount: 187.5 }
    expect(toFormValues(stored, defs)).toEqual({ monthlyAmount: '187,50' })
    expect(reopenAndSave(stored)).toEqual(stored)
  })
  it('opening 99,90 € and saving unchanged keeps 99,90 € (not 999,00 €)', () => {
    expect(reopenAndSave({ monthlyAmount: 99.9 })).toEqual({ monthlyAmount: 99.9 })
  })
  it('the untouched amount is kept even without the original (the shown text parses back)', () => {
    expect(fromFormValues(toFormValues({ monthlyAmount: 1234.5 }, defs), defs).fields).toEqual({
      monthlyAmount: 1234.5,
    })
  })
  it('reads what the user types in German, with or without „€“', () => {
    const typed = (t: string) =>
      fromFormValues({ monthlyAmount: t }, defs, { monthlyAmount: 187.5 })
    expect(typed('190,00 €').fields).toEqual({ monthlyAmount: 190 })
    expect(typed('1.234,56').fields).toEqual({ monthlyAmount: 1234.56 })
    expect(typed('190').fields).toEqual({ monthlyAmount: 190 })
  })
  it('says in German which field holds no amount and stores nothing for it', () => {
    const r = fromFormValues({ monthlyAmount: '12,3,4' }, defs)
    expect(r.fields).toEqual({})
    expect(r.errors).toEqual([
      {
        field: 'monthlyAmount',
        message: expect.stringMatching(/^Monatliches Wohngeld: .*kein Betrag/),
      },
    ])
  })
  it('a list keeps its entries, one per line; a cleared field is removed', () => {
    const stored = { monthlyAmount: 5, conditions: ['Baubeginn anzeigen', ' Gerüst sichern '] }
    expect(reopenAndSave(stored)).toEqual(stored)
    expect(
      fromFormValues({ monthlyAmount: '', conditions: 'a\n\n b \n' }, defs, stored).fields,
    ).toEqual({ conditions: ['a', 'b'] })
  })
  it('only the fields given are stored', () => {
    expect(fromFormValues({ monthlyAmount: '5', other: 'x' }, [monthlyAmount]).fields).toEqual({
      monthlyAmount: 5,
    })
  })
})

describe('what the decision form starts with', () => {
  const outcomes = [
    {
      value: 'stattgegeben',
      fields: [monthlyAmount, { name: 'periodFrom', label: 'von', type: 'date' as const }],
    },
    {
      value: 'eingestellt',
      fields: [{ name: 'withdrawalDate', label: 'Rücknahme', type: 'date' as const }],
    },
  ]
  it('a new decision starts with what the application holds', () => {
    expect(initialValues(null, { periodFrom: '2026-12-01' }, outcomes)).toEqual({
      periodFrom: '2026-12-01',
    })
  })
  it('a saved decision shows its own values, an emptied field stays empty; other outcomes keep the prefill', () => {
    expect(
      initialValues(
        { outcome: 'stattgegeben', fields: { monthlyAmount: 187.5 } },
        { periodFrom: '2026-12-01', withdrawalDate: '2026-11-20' },
        outcomes,
      ),
    ).toEqual({
      monthlyAmount: '187,50',
      withdrawalDate: '2026-11-20',
    })
  })
})
