// Messages the archive sends back (xdomea 3.0.0, Aussonderung):
//   0502 Aussonderung.Bewertungsverzeichnis        – evaluation of the 0501 offer (A/V per object)
//   0504 Aussonderung.AnbietungEmpfangBestaetigen  – "0501 received" (header only)
//   (0505 Aussonderung.BewertungEmpfangBestaetigen is ours – "0502 received" – and not accepted here)
//   0506 Aussonderung.AussonderungImportBestaetigen – per object: imported (Erfolgreich) or not
//   0507 Aussonderung.AussonderungEmpfangBestaetigen – "0503 received" (header only)
// Only a 0506 with Erfolgreich = 1 confirms that the archive has taken over an object. A 0504
// or 0507 only says that a message arrived; it never allows deleting anything.

import { create } from 'xmlbuilder2'
import { AUSSONDERUNGSART, NACHRICHTENTYP, XDOMEA_NS, type NachrichtentypCode } from './codes'
import { UUID_RE, parseArchiveExport, type ArchiveContact } from './input'
import { kopfBasis, newMessage, x, xBool, xCode, xOpt } from './xml'

export type ReceiptType = '0502' | '0504' | '0506' | '0507'

export interface ArchiveReceipt {
  messageType: ReceiptType
  /** e.g. 'Aussonderung.AussonderungImportBestaetigen.0506' */
  messageName: string
  prozessId: string
  createdAt: string
  /** Absender/Institution/Name */
  sender?: string
  /** 0506: ids of all Schriftgutobjekte the archive reports as imported. */
  archivedIds: string[]
  /**
   * Case ids confirmed as archived: archivedIds restricted to `expect.caseIds` when given
   * (in the caller's spelling), otherwise all archivedIds. Only these may be deleted.
   */
  confirmedCaseIds: string[]
  /** 0506: objects the archive could not import. */
  failed: Array<{ id: string; errors: string[]; errorCodes: string[] }>
  /** 0506: archive identifier per object id (when RueckmeldungArchivkennung was requested). */
  archiveIds: Record<string, string>
  /** 0502: the archive's evaluation per offered object. */
  evaluations: Array<{ id: string; aussonderungsart: string }>
  /** Expected case ids that the 0506 does not mention at all. */
  missingCaseIds: string[]
}

export class ArchiveReceiptError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ArchiveReceiptError'
  }
}

interface DomNode {
  nodeType: number
  namespaceURI: string | null
  localName: string | null
  textContent: string | null
  childNodes: ArrayLike<DomNode>
}

const ELEMENT_NODE = 1

function children(node: DomNode, localName: string): DomNode[] {
  const out: DomNode[] = []
  for (let i = 0; i < node.childNodes.length; i++) {
    const c = node.childNodes[i]
    if (c && c.nodeType === ELEMENT_NODE && c.localName === localName) out.push(c)
  }
  return out
}

function child(node: DomNode, localName: string): DomNode | undefined {
  return children(node, localName)[0]
}

function textOf(node: DomNode | undefined): string | undefined {
  const t = node?.textContent?.trim()
  return t === undefined || t === '' ? undefined : t
}

function required(node: DomNode, path: string[]): string {
  let n: DomNode | undefined = node
  for (const p of path) n = n ? child(n, p) : undefined
  const t = textOf(n)
  if (t === undefined) throw new ArchiveReceiptError(`Pflichtelement fehlt: ${path.join('/')}`)
  return t
}

function xsBoolean(value: string | undefined, path: string): boolean {
  if (value === '1' || value === 'true') return true
  if (value === '0' || value === 'false') return false
  throw new ArchiveReceiptError(`Kein xs:boolean in ${path}: "${value ?? ''}"`)
}

const RECEIPT_TYPES: readonly ReceiptType[] = ['0502', '0504', '0506', '0507']

/**
 * Parses an archive's answer. Throws ArchiveReceiptError for anything that is not a
 * well-formed xdomea 3.0.0 Aussonderung answer, or (with `expect.prozessId`) belongs to
 * another process. DOCTYPEs are rejected (no entity expansion of untrusted input).
 */
export function parseArchiveReceipt(
  xml: string | Uint8Array,
  expect: { prozessId?: string; caseIds?: readonly string[] } = {},
): ArchiveReceipt {
  const source =
    typeof xml === 'string' ? xml : new TextDecoder('utf-8', { fatal: true }).decode(xml)
  if (/<!DOCTYPE/i.test(source))
    throw new ArchiveReceiptError('DOCTYPE ist in xdomea-Nachrichten nicht zulässig')

  let root: DomNode | undefined
  try {
    const doc = create(source).node as unknown as { documentElement: DomNode | null }
    root = doc.documentElement ?? undefined
  } catch (e) {
    throw new ArchiveReceiptError(`Kein wohlgeformtes XML: ${(e as Error).message}`)
  }
  if (!root) throw new ArchiveReceiptError('Leeres Dokument')
  if (root.namespaceURI !== XDOMEA_NS) {
    throw new ArchiveReceiptError(
      `Falscher Namensraum "${root.namespaceURI ?? ''}", erwartet ${XDOMEA_NS}`,
    )
  }
  const m = /^(Aussonderung\.\w+)\.(\d{4})$/.exec(root.localName ?? '')
  const code = m?.[2] as ReceiptType | undefined
  if (!m || !code || !RECEIPT_TYPES.includes(code) || NACHRICHTENTYP.codes[code] !== m[1]) {
    throw new ArchiveReceiptError(`Keine Rückmeldung des Archivs: ${root.localName ?? ''}`)
  }

  const kopf = child(root, 'Kopf')
  if (!kopf) throw new ArchiveReceiptError('Pflichtelement fehlt: Kopf')
  const prozessId = required(kopf, ['ProzessID']).toLowerCase()
  if (!UUID_RE.test(prozessId))
    throw new ArchiveReceiptError(`ProzessID ist keine UUID: ${prozessId}`)
  const typeCode = required(kopf, ['Nachrichtentyp', 'code'])
  if (typeCode !== code)
    throw new ArchiveReceiptError(
      `Nachrichtentyp ${typeCode} passt nicht zu ${root.localName ?? ''}`,
    )
  if (expect.prozessId && expect.prozessId.toLowerCase() !== prozessId) {
    throw new ArchiveReceiptError(
      `Rückmeldung gehört zu Prozess ${prozessId}, erwartet ${expect.prozessId.toLowerCase()}`,
    )
  }

  const receipt: ArchiveReceipt = {
    messageType: code,
    messageName: root.localName ?? '',
    prozessId,
    createdAt: required(kopf, ['Erstellungszeitpunkt']),
    archivedIds: [],
    confirmedCaseIds: [],
    failed: [],
    archiveIds: {},
    evaluations: [],
    missingCaseIds: [],
  }
  const absender = child(kopf, 'Absender')
  const institution = absender && child(absender, 'Institution')
  const senderName = textOf(institution && child(institution, 'Name'))
  if (senderName) receipt.sender = senderName

  if (code === '0506') {
    const mentioned = new Set<string>()
    for (const sgo of children(root, 'AusgesondertesSGO')) {
      const id = required(sgo, ['IDSGO']).toLowerCase()
      mentioned.add(id)
      const ok = xsBoolean(textOf(child(sgo, 'Erfolgreich')), 'AusgesondertesSGO/Erfolgreich')
      const archiveId = textOf(child(sgo, 'Archivkennung'))
      if (archiveId) receipt.archiveIds[id] = archiveId
      if (ok) receipt.archivedIds.push(id)
      else {
        receipt.failed.push({
          id,
          errors: children(sgo, 'Fehlermeldung').map((n) => textOf(n) ?? ''),
          errorCodes: children(sgo, 'FehlermeldungCode').map((n) => textOf(child(n, 'code')) ?? ''),
        })
      }
    }
    const archived = new Set(receipt.archivedIds)
    if (expect.caseIds) {
      receipt.confirmedCaseIds = expect.caseIds.filter((id) => archived.has(id.toLowerCase()))
      receipt.missingCaseIds = expect.caseIds.filter((id) => !mentioned.has(id.toLowerCase()))
    } else {
      receipt.confirmedCaseIds = [...receipt.archivedIds]
    }
  } else if (code === '0502') {
    for (const o of children(root, 'BewertetesObjekt')) {
      const id = required(o, ['ID']).toLowerCase()
      const art = child(o, 'Aussonderungsart')
      const coded = art && child(art, 'Aussonderungsart')
      const configurable = art && child(art, 'AussonderungsartKonfigurierbar')
      const value = textOf(coded && child(coded, 'code')) ?? textOf(configurable)
      if (!value) throw new ArchiveReceiptError(`Aussonderungsart fehlt für ${id}`)
      receipt.evaluations.push({ id, aussonderungsart: value })
    }
  }
  return receipt
}

// ---------------------------------------------------------------------------------------------
// Builders for the archive side. The desk never sends these; they exist for the reference
// setup, the demo and the tests (a receipt round trip validated against the XSD).
// ---------------------------------------------------------------------------------------------

export interface ImportResult {
  id: string
  success: boolean
  errors?: string[]
  archiveId?: string
}

export interface ArchiveAnswerInput {
  prozessId: string
  createdAt: string
  /** The archive */
  sender: ArchiveContact
  /** The authority */
  receiver: ArchiveContact
  system?: { product: string; version: string; instanceId?: string }
}

function checkHeader(input: ArchiveAnswerInput): void {
  // Reuse the export schema for ids, timestamps and contacts.
  parseArchiveExport({
    prozessId: input.prozessId,
    createdAt: input.createdAt,
    sender: input.sender,
    receiver: input.receiver,
    system: input.system ?? { product: '-', version: '-' },
    cases: [
      {
        id: '00000000-0000-0000-0000-000000000000',
        aktenzeichen: '-',
        betreff: '-',
        fileCode: '-',
        fileTitle: '-',
        retentionYears: 0,
        disposal: 'prüfen',
        openedAt: '2000-01-01',
        closedAt: '2000-01-01',
      },
    ],
  })
}

/** Aussonderung.AussonderungImportBestaetigen.0506 */
export function buildAussonderungImportBestaetigen0506(
  input: ArchiveAnswerInput & { results: ImportResult[] },
): string {
  checkHeader(input)
  if (input.results.length === 0)
    throw new ArchiveReceiptError('0506 braucht mindestens ein AusgesondertesSGO')
  const { root, end } = newMessage('0506')
  kopfBasis(root, '0506', input)
  for (const r of input.results) {
    if (!UUID_RE.test(r.id)) throw new ArchiveReceiptError(`IDSGO ist keine UUID: ${r.id}`)
    const sgo = x(root, 'AusgesondertesSGO')
    x(sgo, 'IDSGO', r.id.toLowerCase())
    xBool(sgo, 'Erfolgreich', r.success)
    for (const e of r.errors ?? []) x(sgo, 'Fehlermeldung', e)
    xOpt(sgo, 'Archivkennung', r.archiveId)
  }
  return end()
}

/** Header-only confirmations: 0504 (0501 received), 0507 (0503 received). */
export function buildEmpfangBestaetigung(
  code: Extract<NachrichtentypCode, '0504' | '0507'>,
  input: ArchiveAnswerInput,
): string {
  checkHeader(input)
  const { root, end } = newMessage(code)
  kopfBasis(root, code, input)
  return end()
}

/** Aussonderung.Bewertungsverzeichnis.0502 */
export function buildBewertungsverzeichnis0502(
  input: ArchiveAnswerInput & {
    evaluations: Array<{ id: string; aussonderungsart: 'A' | 'V' | 'B' }>
  },
): string {
  checkHeader(input)
  const { root, end } = newMessage('0502')
  const kopf = kopfBasis(root, '0502', input)
  xBool(kopf, 'Empfangsbestaetigung', false)
  for (const ev of input.evaluations) {
    const o = x(root, 'BewertetesObjekt')
    x(o, 'ID', ev.id.toLowerCase())
    xCode(x(o, 'Aussonderungsart'), 'Aussonderungsart', AUSSONDERUNGSART, ev.aussonderungsart)
  }
  return end()
}
