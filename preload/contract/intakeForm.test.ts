import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { applicantFrom, intakeFields, toFormData, type SchemaNode } from './intakeForm'

const schema = (id: string) =>
  JSON.parse(readFileSync(`assets/procedures/schemas/${id}.schema.json`, 'utf8')) as SchemaNode

describe('intake form from the procedure schema', () => {
  it('offers the schema fields with their German titles, grouped', () => {
    const fields = intakeFields(schema('kfz'))
    expect(fields.find((f) => f.path === 'fahrzeug')).toMatchObject({
      kind: 'group',
      label: 'Fahrzeug',
      depth: 0,
    })
    expect(fields.find((f) => f.path === 'fahrzeug.fin')).toMatchObject({
      kind: 'text',
      label: 'Fahrzeug-Identifizierungsnummer (FIN)',
      required: true,
      depth: 1,
    })
    expect(fields.find((f) => f.path === 'fahrzeug.erstzulassung')).toMatchObject({
      kind: 'date',
      required: false,
    })
    expect(fields.find((f) => f.path === 'antragsteller.anrede')).toMatchObject({
      kind: 'enum',
      options: ['Frau', 'Herr', 'Divers', 'keine Angabe'],
    })
    expect(fields.find((f) => f.path === 'erklaerung')).toMatchObject({ kind: 'boolean' })
    const wohngeld = intakeFields(schema('wohngeld'))
    expect(wohngeld.find((f) => f.path === 'monatlicheMiete')).toMatchObject({
      kind: 'number',
      label: 'Monatliche Miete ohne Heizkosten (EUR)',
    })
    expect(wohngeld.some((f) => f.path.startsWith('haushaltsmitglieder'))).toBe(false) // arrays are not offered
  })
  it('turns typed values into form data of the schema shape; German numbers; bad numbers refused', () => {
    const fields = intakeFields(schema('wohngeld'))
    const { data, errors } = toFormData(fields, {
      'antragsteller.vorname': 'Gerda',
      'antragsteller.nachname': ' Nüßlein ',
      monatlicheMiete: '1.234,50',
      wohnflaeche: '62',
      'beantragterZeitraum.von': '2027-01-01',
      erklaerung: true,
      iban: '',
    })
    expect(errors).toEqual([])
    expect(data).toEqual({
      antragsteller: { vorname: 'Gerda', nachname: 'Nüßlein' },
      monatlicheMiete: 1234.5,
      wohnflaeche: 62,
      beantragterZeitraum: { von: '2027-01-01' },
      erklaerung: true,
    })
    expect(toFormData(fields, { monatlicheMiete: 'viel' }).errors).toEqual([
      expect.stringContaining('Monatliche Miete ohne Heizkosten (EUR): „viel“ ist kein'),
    ])
  })
  it('derives name and address from the applicant group', () => {
    expect(
      applicantFrom({
        'antragsteller.vorname': 'Gerda',
        'antragsteller.nachname': 'Nüßlein',
        'antragsteller.strasse': 'Lutherstraße',
        'antragsteller.hausnummer': '7',
        'antragsteller.plz': '02826',
        'antragsteller.ort': 'Görlitz',
      }),
    ).toEqual({
      name: 'Gerda Nüßlein',
      address: 'Lutherstraße 7, 02826 Görlitz',
    })
    expect(applicantFrom({})).toEqual({ name: '', address: '' })
  })
})
