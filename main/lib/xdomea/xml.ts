// Small helpers over xmlbuilder2 for xdomea documents. No XML is ever built by string
// concatenation: text goes through xmlbuilder2, which escapes it.

import { create } from 'xmlbuilder2'
import {
  NACHRICHTENTYP,
  XDOMEA_NS,
  XDOMEA_PREFIX,
  messageElementName,
  type NachrichtentypCode,
} from './codes'
import type { ArchiveContact } from './input'

// XML 1.0 Char production: everything else (NUL, most C0 controls, lone surrogates, U+FFFE/F)
// cannot be represented and is removed.
// eslint-disable-next-line no-control-regex -- the point is to name the allowed control characters
const INVALID_XML_CHARS = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu

/** Text as it may appear in an XML 1.0 document: NFC-normalised, invalid characters removed. */
export function xmlText(value: string): string {
  return value.normalize('NFC').replace(INVALID_XML_CHARS, '')
}

export type El = ReturnType<typeof create>

/** Appends `<xdomea:name>` (optionally with text) and returns it. */
export function x(parent: El, name: string, value?: string | number): El {
  const e = parent.ele(XDOMEA_NS, `${XDOMEA_PREFIX}:${name}`)
  if (value !== undefined) e.txt(xmlText(String(value)))
  return e
}

/** Appends an element only when the value is present. */
export function xOpt(parent: El, name: string, value: string | number | undefined): void {
  if (value !== undefined && value !== '') x(parent, name, value)
}

export function xBool(parent: El, name: string, value: boolean): void {
  x(parent, name, value ? '1' : '0')
}

/**
 * A code element (xoev-code:Code restriction). Its children `code` and `name` are declared
 * form="unqualified" in xoev-code.xsd, so they carry no namespace.
 */
export function xCode(
  parent: El,
  name: string,
  list: { listURI?: string; listVersionID?: string } | undefined,
  code: string,
  codeName?: string,
): void {
  const e = x(parent, name)
  if (list?.listURI) e.att('listURI', list.listURI)
  if (list?.listVersionID) e.att('listVersionID', list.listVersionID)
  e.ele('code').txt(xmlText(code))
  if (codeName !== undefined) e.ele('name').txt(xmlText(codeName))
}

/** A new xdomea message document with its root element. */
export function newMessage(code: NachrichtentypCode): { root: El; end: () => string } {
  const doc = create({ version: '1.0', encoding: 'UTF-8' })
  const root = doc.ele(XDOMEA_NS, `${XDOMEA_PREFIX}:${messageElementName(code)}`)
  return { root, end: () => doc.end({ prettyPrint: true }) + '\n' }
}

export interface KopfBase {
  prozessId: string
  createdAt: string
  sender: ArchiveContact
  receiver: ArchiveContact
  system?: { product: string; version: string; instanceId?: string | undefined } | undefined
  note?: string | undefined
}

/** NkBasisType: ProzessID, Nachrichtentyp, Erstellungszeitpunkt, Absender, Empfaenger, SendendesSystem, Hinweis. */
export function kopfBasis(root: El, code: NachrichtentypCode, k: KopfBase): El {
  const kopf = x(root, 'Kopf')
  x(kopf, 'ProzessID', k.prozessId.toLowerCase())
  xCode(kopf, 'Nachrichtentyp', NACHRICHTENTYP, code, NACHRICHTENTYP.codes[code])
  x(kopf, 'Erstellungszeitpunkt', k.createdAt)
  kontakt(x(kopf, 'Absender'), k.sender)
  kontakt(x(kopf, 'Empfaenger'), k.receiver)
  if (k.system) {
    const s = x(kopf, 'SendendesSystem')
    xOpt(s, 'InstanzID', k.system.instanceId)
    x(s, 'Produktname', k.system.product)
    x(s, 'Version', k.system.version)
  }
  xOpt(kopf, 'Hinweis', k.note)
  return kopf
}

/** KontaktType, in schema order. */
export function kontakt(e: El, c: ArchiveContact): void {
  if (c.behoerdenkennung) {
    const bk = x(e, 'Behoerdenkennung')
    xCode(bk, 'Behoerdenschluessel', undefined, c.behoerdenkennung.kennung)
    if (c.behoerdenkennung.praefix) xCode(bk, 'Praefix', undefined, c.behoerdenkennung.praefix)
  }
  x(x(e, 'Institution'), 'Name', c.name)
  if (c.department) x(x(e, 'Organisationseinheit'), 'Name', c.department)
  if (c.street || c.houseNumber || c.postalCode || c.city) {
    const a = x(e, 'Anschrift')
    xOpt(a, 'Strasse', c.street)
    xOpt(a, 'Hausnummer', c.houseNumber)
    xOpt(a, 'Postleitzahl', c.postalCode)
    xOpt(a, 'Ort', c.city)
  }
}
