// Realistic demo applications for the five demo procedures (data valid against
// assets/procedures/schemas/<id>.schema.json).
import { shippedAsset } from '../bootstrap'
import { readFileSync } from 'node:fs'
import type { Rng } from './prng'
import { makeJpeg, makePdf } from './files'
import type { Application, ApplicationAttachment, ProcedureRef } from './sender'
import {
  FIRMS,
  FIRST_NAMES,
  GEMARKUNGEN,
  LAST_NAMES,
  PLACES,
  STREETS,
  TATORTE,
  TATVORWUERFE,
  VEHICLES,
  VORHABEN,
} from './names'

export interface ProcedureDef extends ProcedureRef {
  checklist: string[]
}

export function loadProcedures(file = shippedAsset('procedures.json')): ProcedureDef[] {
  return (JSON.parse(readFileSync(file, 'utf8')) as { procedures: ProcedureDef[] }).procedures
}

const DAY = 86_400_000
const isoDate = (d: Date) => d.toISOString().slice(0, 10)
const ascii = (s: string) =>
  s
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/Ä/g, 'Ae')
    .replace(/Ö/g, 'Oe')
    .replace(/Ü/g, 'Ue')
    .replace(/ß/g, 'ss')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9.-]/g, '')

interface Person {
  anrede: string
  vorname: string
  nachname: string
  strasse: string
  hausnummer: string
  plz: string
  ort: string
  email?: string
  telefon?: string
  geburtsdatum?: string
}

function person(rng: Rng, ref: Date): Person {
  const vorname = rng.pick(FIRST_NAMES)
  const nachname = rng.pick(LAST_NAMES)
  const [plz, ort] = rng.pick(PLACES)
  const p: Person = {
    anrede: rng.pick(['Frau', 'Herr', 'keine Angabe']),
    vorname,
    nachname,
    strasse: rng.pick(STREETS),
    hausnummer: `${rng.int(1, 120)}${rng.chance(0.15) ? rng.pick(['a', 'b', 'c']) : ''}`,
    plz,
    ort,
  }
  if (rng.chance(0.8))
    p.email = `${ascii(vorname).toLowerCase()}.${ascii(nachname).toLowerCase()}${rng.int(1, 99)}@example.org`
  if (rng.chance(0.6))
    p.telefon = `0${rng.pick(['3581', '3591', '351', '3583'])} ${rng.int(100000, 999999)}`
  if (rng.chance(0.9))
    p.geburtsdatum = isoDate(new Date(ref.getTime() - rng.int(18 * 365, 85 * 365) * DAY))
  return p
}

function firma(rng: Rng, contact: Person) {
  const [name, rechtsform] = rng.pick(FIRMS)
  return {
    name: `${name} ${rechtsform}`.replace(' Einzelunternehmen', ''),
    rechtsform,
    ...(rechtsform.includes('GmbH') || rechtsform === 'KG'
      ? { handelsregisternummer: `HRB ${rng.int(1000, 39999)}` }
      : {}),
    ansprechpartner: `${contact.vorname} ${contact.nachname}`,
    strasse: contact.strasse,
    hausnummer: contact.hausnummer,
    plz: contact.plz,
    ort: contact.ort,
    email: `info@${ascii(name)
      .toLowerCase()
      .replace(/[^a-z]/g, '')}.example`,
    ...(contact.telefon ? { telefon: contact.telefon } : {}),
  }
}

const money = (rng: Rng, min: number, max: number) =>
  Math.round(rng.int(min * 100, max * 100)) / 100
const FIN_CHARS = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789'

function procedureData(
  id: string,
  rng: Rng,
  ref: Date,
  applicant: Person,
): { data: Record<string, unknown>; summary: string[]; business: boolean } {
  const summary: string[] = []
  switch (id) {
    case 'wohngeld': {
      const n = rng.int(1, 5)
      const members = [
        {
          vorname: applicant.vorname,
          nachname: applicant.nachname,
          geburtsdatum: applicant.geburtsdatum ?? '1980-05-17',
          verwandtschaft: 'antragstellende Person',
          monatlichesEinkommen: money(rng, 0, 2400),
        },
      ]
      for (let i = 1; i < n; i++) {
        const child = rng.chance(0.6)
        members.push({
          vorname: rng.pick(FIRST_NAMES),
          nachname: applicant.nachname,
          geburtsdatum: isoDate(
            new Date(
              ref.getTime() - rng.int(child ? 365 : 20 * 365, child ? 17 * 365 : 70 * 365) * DAY,
            ),
          ),
          verwandtschaft: child ? 'Kind' : 'Ehegatte/Lebenspartner',
          monatlichesEinkommen: child ? 0 : money(rng, 0, 1800),
        })
      }
      const von = new Date(Date.UTC(ref.getUTCFullYear(), ref.getUTCMonth() + 1, 1))
      const bis = new Date(Date.UTC(von.getUTCFullYear() + 1, von.getUTCMonth(), 0))
      const einkommen =
        Math.round(members.reduce((s, m) => s + m.monatlichesEinkommen, 0) * 100) / 100
      const data = {
        antragsteller: applicant,
        wohngeldart: rng.chance(0.9) ? 'Mietzuschuss' : 'Lastenzuschuss',
        haushaltsmitglieder: members,
        monatlicheMiete: money(rng, 280, 950),
        monatlichesEinkommen: einkommen,
        wohnflaeche: rng.int(28, 110),
        beantragterZeitraum: { von: isoDate(von), bis: isoDate(bis) },
        iban: `DE${String(rng.int(10, 99))}${Array.from({ length: 18 }, () => rng.int(0, 9)).join('')}`,
        erklaerung: true,
      }
      summary.push(
        `Haushaltsmitglieder: ${n}`,
        `Miete: ${data.monatlicheMiete.toFixed(2)} €`,
        `Einkommen: ${einkommen.toFixed(2)} €`,
      )
      return { data, summary, business: false }
    }
    case 'sondernutzung': {
      const business = rng.chance(0.7)
      const von = new Date(ref.getTime() + rng.int(10, 40) * DAY)
      const data: Record<string, unknown> = {
        ...(business ? { firma: firma(rng, applicant) } : { antragsteller: applicant }),
        lage: {
          strasse: rng.pick(STREETS),
          hausnummer: String(rng.int(1, 80)),
          beschreibung: 'Gehweg vor dem Grundstück, ca. 2 m breit',
        },
        zweck: rng.pick([
          'Baugerüst',
          'Container/Mulde',
          'Außengastronomie',
          'Verkaufsstand',
          'Umzug/Halteverbot',
          'Veranstaltung',
        ]),
        zweckBeschreibung:
          'Aufstellung für die Dauer der Arbeiten; Durchgang für Fußgänger bleibt frei (mind. 1,30 m).',
        zeitraum: {
          von: isoDate(von),
          bis: isoDate(new Date(von.getTime() + rng.int(1, 90) * DAY)),
        },
        flaecheQm: rng.int(2, 60),
        gehwegBetroffen: rng.chance(0.8),
        fahrbahnBetroffen: rng.chance(0.3),
        erklaerung: true,
      }
      summary.push(`Zweck: ${String(data['zweck'])}`, `Fläche: ${String(data['flaecheQm'])} m²`)
      return { data, summary, business }
    }
    case 'kfz': {
      const [hersteller, typ] = rng.pick(VEHICLES)
      const neu = rng.chance(0.5)
      const data = {
        antragsteller: applicant,
        vorgang: neu ? 'Neuzulassung' : 'Umschreibung',
        fahrzeug: {
          fin: Array.from({ length: 17 }, () => rng.pick(FIN_CHARS.split(''))).join(''),
          hersteller,
          typ,
          ...(neu
            ? {}
            : {
                erstzulassung: isoDate(new Date(ref.getTime() - rng.int(365, 12 * 365) * DAY)),
                bisherigesKennzeichen: `${rng.pick(['DD', 'BZ', 'B', 'L'])}-${rng.pick(['AB', 'K', 'XY'])} ${rng.int(1, 9999)}`,
              }),
        },
        ...(rng.chance(0.5)
          ? {
              kennzeichenWunsch: `GR-${rng.pick(['A', 'JM', 'SK', 'Ö', 'LU']).replace('Ö', 'OE').slice(0, 2)} ${rng.int(1, 999)}`,
            }
          : {}),
        evbNummer: Array.from({ length: 7 }, () =>
          rng.pick('ABCDEFGHJKLMNPRSTUVWXYZ0123456789'.split('')),
        ).join(''),
        sepaMandatErteilt: true,
        erklaerung: true,
      }
      summary.push(
        `Vorgang: ${data.vorgang}`,
        `Fahrzeug: ${hersteller} ${typ}`,
        `FIN: ${data.fahrzeug.fin}`,
      )
      return { data, summary, business: false }
    }
    case 'bussgeld': {
      const einlassung = rng.pick([
        'Verstoß wird eingeräumt',
        'Verstoß wird bestritten',
        'Fahrer wird benannt',
        'keine Angaben',
      ])
      const data: Record<string, unknown> = {
        antragsteller: applicant,
        aktenzeichenBehoerde: `OWi-${ref.getUTCFullYear()}-${String(rng.int(1, 99999)).padStart(5, '0')}`,
        tatvorwurf: rng.pick(TATVORWUERFE),
        tatzeit: new Date(ref.getTime() - rng.int(3, 40) * DAY - rng.int(0, 86_399) * 1000)
          .toISOString()
          .replace(/\.\d{3}Z$/, 'Z'),
        tatort: rng.pick(TATORTE),
        kennzeichen: `GR-${rng.pick(['AB', 'K', 'MT', 'ZT'])} ${rng.int(1, 9999)}`,
        einlassung,
        ...(einlassung === 'Fahrer wird benannt'
          ? {
              fahrer: (({ vorname, nachname, strasse, hausnummer, plz, ort }) => ({
                vorname,
                nachname,
                strasse,
                hausnummer,
                plz,
                ort,
              }))(person(rng, ref)),
            }
          : {}),
        ...(einlassung !== 'keine Angaben'
          ? {
              stellungnahme: rng.pick([
                'Ich war zur fraglichen Zeit nicht in Görlitz.',
                'Das Verkehrszeichen war durch einen Baum verdeckt.',
                'Ich räume den Verstoß ein und bitte um Ratenzahlung.',
                'Das Fahrzeug wurde von meinem Sohn geführt.',
              ]),
            }
          : {}),
      }
      summary.push(`Tatvorwurf: ${String(data['tatvorwurf'])}`, `Einlassung: ${einlassung}`)
      return { data, summary, business: false }
    }
    case 'baugenehmigung': {
      const business = rng.chance(0.3)
      const geschosse = rng.int(1, 4)
      const data: Record<string, unknown> = {
        ...(business ? { firma: firma(rng, applicant) } : { antragsteller: applicant }),
        grundstueck: {
          gemarkung: rng.pick(GEMARKUNGEN),
          flur: String(rng.int(1, 30)),
          flurstueck: rng.chance(0.5)
            ? `${rng.int(1, 999)}/${rng.int(1, 30)}`
            : String(rng.int(1, 2999)),
          adresse: `${rng.pick(STREETS)} ${rng.int(1, 99)}, 0282${rng.int(6, 8)} Görlitz`,
        },
        vorhaben: rng.pick(VORHABEN),
        verfahren: rng.pick(['vereinfachtes Baugenehmigungsverfahren', 'Baugenehmigungsverfahren']),
        bauart: rng.pick(['Neubau', 'Anbau', 'Umbau', 'Nutzungsänderung']),
        gebaeudeklasse: rng.int(1, 4),
        geschosse,
        bruttoRauminhalt: rng.int(200, 900) * geschosse,
        entwurfsverfasser: `Dipl.-Ing. ${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}, Architektin/Architekt`,
        erklaerung: true,
      }
      summary.push(`Vorhaben: ${String(data['vorhaben'])}`, `Geschosse: ${geschosse}`)
      return { data, summary, business }
    }
    default:
      throw new Error(`no generator for procedure ${id}`)
  }
}

/** Deterministic: the same rng state gives the same application (ids included). */
export async function generateApplication(
  proc: ProcedureDef,
  rng: Rng,
  ref: Date,
  index: number,
): Promise<Application> {
  const applicant = person(rng, ref)
  const { data, summary } = procedureData(proc.id, rng, ref, applicant)
  const applicationDate = isoDate(new Date(ref.getTime() - rng.int(0, 3) * DAY))
  const created = new Date(
    `${applicationDate}T${String(rng.int(7, 21)).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}:00Z`,
  )
  const formLines = [
    `Antragsteller/in: ${applicant.vorname} ${applicant.nachname}`,
    `Anschrift: ${applicant.strasse} ${applicant.hausnummer}, ${applicant.plz} ${applicant.ort}`,
    `Eingang über: Amt24 Demo-Portal, ${applicationDate}`,
    '',
    ...summary,
    '',
    ...JSON.stringify(data, null, 1)
      .split('\n')
      .map((l) => l.replace(/["{}[\],]/g, '').trimEnd())
      .filter((l) => l.trim() !== ''),
  ]
  const attachments: ApplicationAttachment[] = [
    {
      attachmentId: rng.uuid(),
      bytes: await makePdf({
        title: `Antrag ${proc.name}`,
        lines: formLines,
        pages: proc.id === 'baugenehmigung' || rng.chance(0.3) ? 2 : 1,
        date: created,
      }),
      mimeType: 'application/pdf',
      filename: `Antrag_${ascii(proc.name.split(' ')[0]!)}_${ascii(applicant.nachname)}.pdf`,
      purpose: 'form',
      description: `PDF-Darstellung des Antrags ${proc.name}`,
    },
  ]
  const extra = rng.int(0, 2)
  for (let i = 0; i < extra; i++) {
    const doc = proc.checklist[(index + i) % proc.checklist.length] ?? 'Nachweis'
    if (rng.chance(0.5)) {
      attachments.push({
        attachmentId: rng.uuid(),
        bytes: makeJpeg(rng),
        mimeType: 'image/jpeg',
        filename: `Foto ${doc}.jpg`,
        purpose: 'attachment',
        description: doc,
      })
    } else {
      attachments.push({
        attachmentId: rng.uuid(),
        bytes: await makePdf({
          title: doc,
          lines: [
            `${doc} für ${applicant.vorname} ${applicant.nachname}`,
            `Stand: ${applicationDate}`,
          ],
          pages: rng.int(1, 2),
          date: created,
        }),
        mimeType: 'application/pdf',
        filename: `${doc}.pdf`,
        purpose: 'attachment',
        description: doc,
      })
    }
  }
  return {
    procedure: { id: proc.id, name: proc.name, leika: proc.leika, schemaUri: proc.schemaUri },
    data,
    attachments,
    senderReference: `AMT24-${applicationDate.slice(0, 4)}-${String(index + 1).padStart(6, '0')}-${rng.uuid().slice(0, 8)}`,
    applicationDate,
    ...(applicant.email ? { replyEmail: applicant.email } : {}),
  }
}
