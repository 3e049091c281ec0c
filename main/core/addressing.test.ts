import { describe, expect, it } from 'vitest'
import { addresseeOf, salutationOf } from './addressing'

describe('addressee and salutation from the application', () => {
  const person = {
    anrede: 'Frau',
    vorname: 'Zoë',
    nachname: 'Hähnel',
    strasse: 'Schillerstraße',
    hausnummer: '96',
    plz: '01067',
    ort: 'Dresden',
  }
  it('addresses a named person personally, a business or an unknown Anrede generally', () => {
    expect(
      addresseeOf({
        applicantName: 'Zoë Hähnel',
        applicantAddress: '',
        formData: { antragsteller: person },
      }),
    ).toEqual({
      name: 'Zoë Hähnel',
      street: 'Schillerstraße 96',
      postalCode: '01067',
      city: 'Dresden',
      salutation: 'Sehr geehrte Frau Hähnel,',
    })
    expect(salutationOf({ anrede: 'Herr', nachname: 'Weiß' })).toBe('Sehr geehrter Herr Weiß,')
    expect(salutationOf({ anrede: 'divers', nachname: 'Weiß' })).toBeUndefined()
    expect(
      addresseeOf({
        applicantName: 'Bau GmbH',
        applicantAddress: '',
        formData: { firma: { ...person } },
      }).salutation,
    ).toBeUndefined()
    expect(
      addresseeOf({
        applicantName: 'Erika Mustermann',
        applicantAddress: 'Weg 1, 02826 Görlitz',
        formData: {},
      }),
    ).toEqual({ name: 'Erika Mustermann', street: 'Weg 1', postalCode: '02826', city: 'Görlitz' })
  })
})
