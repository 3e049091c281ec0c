import { describe, expect, it } from 'vitest'
import type { DecisionFieldDef } from '../../preload/contract'
import { fromFormValues, toFormValues } from './decisionForm'

const monthlyAmount: DecisionFieldDef = { name: 'monthlyAmount', label: 'Monatliches Wohngeld', type: 'money', required: true }

describe('decision form values', () => {
  it('opening a saved decision and saving it unchanged keeps 187,50 € (not 1.875,00 €)', () => {
    const stored = { monthlyAmount: 187.5 }
    expect(fromFormValues(toFormValues(stored), [monthlyAmount])).toEqual(stored)
  })
  it('opening 99,90 € and saving unchanged keeps 99,90 € (not 999,00 €)', () => {
    const stored = { monthlyAmount: 99.9 }
    expect(fromFormValues(toFormValues(stored), [monthlyAmount])).toEqual(stored)
  })
})
