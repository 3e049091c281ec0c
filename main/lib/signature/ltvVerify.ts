/**
 * Langzeitprüfung einer PAdES-B-LT-Signatur NUR aus den Daten im PDF (CMS, Signaturzeitstempel,
 * DSS) – ohne Netz, ohne „jetzt“: geprüft wird zum Zeitpunkt des Zeitstempels (genTime).
 *
 * So wird geprüft (auch als Anleitung für die Archivprüfung eines Bescheids aus der 0503):
 *  1. ByteRange lesen; die signierte Revision ist pdf[0 … b2+b3). Spätere Bytes dürfen nur den
 *     DSS nachtragen: jedes Objekt der signierten Revision ist in der letzten Fassung unverändert,
 *     einzig der Katalog bekommt /DSS.
 *  2. CMS: messageDigest = SHA-256 der ByteRange; Signatur mathematisch gültig.
 *  3. Zeitstempel (unsigniertes Attribut 1.2.840.113549.1.9.16.2.14): messageImprint = SHA-256 des
 *     Signaturwerts; Token-Signatur gültig; TSA-Zertifikat mit EKU timeStamping.
 *  4. Ketten von Signatur- und TSA-Zertifikat bis zu einem vorgegebenen Vertrauensanker, gültig zum
 *     genTime (pkijs `checkDate`) – nicht „heute“, deshalb bleibt die Prüfung nach Ablauf gültig.
 *  5. Sperrstatus aus den CRLs im DSS: CRL vom Aussteller signiert, deckt genTime ab
 *     (nextUpdate ≥ genTime), das Zertifikat ist darin nicht vor genTime gesperrt.
 *  6. Dokumentzeitstempel (B-LTA, falls vorhanden): Token über seine ByteRange, die bis zum
 *     Dateiende reicht; spätere Revisionen ändern nichts, sie hängen nur an (Annots, Fields,
 *     Strukturbaum, DSS) – neue Felder dürfen nur Dokumentzeitstempel sein.
 * Der Vertrauensanker (Wurzel-CA) kommt von außen (Vertrauensliste), nicht aus dem PDF.
 */
import { createHash } from 'node:crypto'
import * as asn1js from 'asn1js'
import {
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFName,
  PDFNumber,
  PDFRawStream,
  PDFRef,
  decodePDFRawStream,
} from 'pdf-lib'
import type { PDFObject } from 'pdf-lib'
import * as pkijs from 'pkijs'
import { OID_SIGNATURE_TIMESTAMP_TOKEN, engine } from './cadesSigner'
import { readTstInfo } from './timestamp'

const OID_MESSAGE_DIGEST = '1.2.840.113549.1.9.4'
const OID_EKU = '2.5.29.37'
const OID_KP_TIMESTAMPING = '1.3.6.1.5.5.7.3.8'

export interface LtvVerification {
  valid: boolean
  problems: string[]
  signer?: string
  /** genTime des Signaturzeitstempels */
  timestampTime?: Date
  /** Prüfzeitpunkt (Standard: genTime) */
  checkedAt?: Date
  /** genTime des Dokumentzeitstempels (PAdES B-LTA), falls vorhanden */
  documentTimestampTime?: Date
  certificatesInDss: number
  crlsInDss: number
}

export interface LtvVerifyOptions {
  /** Vertrauensanker (DER), z. B. die Wurzel-CA aus der Vertrauensliste */
  trustAnchors: Uint8Array[]
  /** Prüfzeitpunkt statt genTime (nur zum Vergleich, z. B. „heute“) */
  at?: Date
}

function ab(u8: Uint8Array): ArrayBuffer {
  return u8.buffer.slice(u8.byteOffset, u8.byteOffset + u8.byteLength) as ArrayBuffer
}

function sha256(b: Uint8Array | ArrayBuffer): Buffer {
  return createHash('sha256')
    .update(b instanceof Uint8Array ? b : new Uint8Array(b))
    .digest()
}

function parseCert(der: Uint8Array): pkijs.Certificate {
  return new pkijs.Certificate({ schema: asn1js.fromBER(ab(der)).result })
}

function nameKey(n: pkijs.RelativeDistinguishedNames): string {
  return Buffer.from(n.toSchema().toBER(false)).toString('base64')
}

function streamBytes(doc: PDFDocument, ref: unknown): Uint8Array | undefined {
  const s = ref instanceof PDFRef ? doc.context.lookup(ref) : ref
  return s instanceof PDFRawStream ? decodePDFRawStream(s).decode() : undefined
}

function dssValues(doc: PDFDocument): { certs: Uint8Array[]; crls: Uint8Array[] } {
  const dss = doc.catalog.lookupMaybe(PDFName.of('DSS'), PDFDict)
  const list = (key: string) =>
    (dss?.lookupMaybe(PDFName.of(key), PDFArray)?.asArray() ?? [])
      .map((r) => streamBytes(doc, r))
      .filter((b): b is Uint8Array => !!b)
  return { certs: list('Certs'), crls: list('CRLs') }
}

/** Neue Schlüssel, die spätere Revisionen anlegen dürfen (DSS, Dokumentzeitstempel). */
const ADDABLE_KEYS = new Set(['/DSS', '/Annots', '/Fields'])

/**
 * Nur anhängende Änderung: jeder Eintrag von `before` ist in `after` gleich; Arrays dürfen nur
 * hinten wachsen (Annots, Fields, Kinder im Strukturbaum, ParentTree), ParentTreeNextKey nur steigen.
 */
function appendOnly(
  before: PDFObject,
  after: PDFObject | undefined,
  path: string,
  problems: string[],
): void {
  if (!after) {
    problems.push(`${path} fehlt in der letzten Fassung`)
    return
  }
  if (before instanceof PDFDict && after instanceof PDFDict) {
    for (const [k, v] of before.entries()) {
      const key = k.toString()
      const w = after.get(k)
      if (
        key === '/ParentTreeNextKey' &&
        v instanceof PDFNumber &&
        w instanceof PDFNumber &&
        w.asNumber() >= v.asNumber()
      )
        continue
      appendOnly(v, w, `${path} ${key}`, problems)
    }
    for (const k of after.keys())
      if (!before.has(k) && !ADDABLE_KEYS.has(k.toString()))
        problems.push(`${path}: neuer Eintrag ${k.toString()}`)
    return
  }
  if (before instanceof PDFArray && after instanceof PDFArray) {
    if (after.size() < before.size()) problems.push(`${path}: Einträge entfernt`)
    before.asArray().forEach((v, i) => appendOnly(v, after.get(i), `${path}[${i}]`, problems))
    return
  }
  if (before instanceof PDFRawStream && after instanceof PDFRawStream) {
    if (!Buffer.from(before.getContents()).equals(Buffer.from(after.getContents())))
      problems.push(`${path}: Inhalt geändert`)
    appendOnly(before.dict, after.dict, path, problems)
    return
  }
  if (before.toString() !== after.toString()) problems.push(`${path} nach der Signatur geändert`)
}

/** Neu hinzugekommene Annotationen/Felder dürfen nur Dokumentzeitstempel sein. */
function checkAddedWidgets(signedRev: PDFDocument, full: PDFDocument, problems: string[]): void {
  const known = new Set<string>()
  for (const [ref] of signedRev.context.enumerateIndirectObjects()) known.add(ref.toString())
  const added = (arr: PDFArray | undefined) =>
    (arr?.asArray() ?? []).filter((r) => r instanceof PDFRef && !known.has(r.toString()))
  const fields = full.catalog
    .lookupMaybe(PDFName.of('AcroForm'), PDFDict)
    ?.lookupMaybe(PDFName.of('Fields'), PDFArray)
  const annots = full
    .getPages()
    .flatMap((p) => added(p.node.lookupMaybe(PDFName.of('Annots'), PDFArray)))
  for (const r of [...added(fields), ...annots]) {
    const w = full.context.lookup(r)
    const v = w instanceof PDFDict ? w.lookupMaybe(PDFName.of('V'), PDFDict) : undefined
    if (v?.get(PDFName.of('Type'))?.toString() !== '/DocTimeStamp')
      problems.push(
        `nach der Signatur ein neues Feld/Annotation ${r.toString()}, das kein Dokumentzeitstempel ist`,
      )
  }
}

/** Prüft, dass nach der signierten Revision nur DSS und Dokumentzeitstempel hinzugekommen sind. */
async function checkIncrement(
  pdf: Uint8Array,
  revisionEnd: number,
  full: PDFDocument,
  problems: string[],
): Promise<void> {
  if (revisionEnd === pdf.length) return
  const signedRev = await PDFDocument.load(pdf.subarray(0, revisionEnd), { updateMetadata: false })
  for (const [ref, obj] of signedRev.context.enumerateIndirectObjects()) {
    appendOnly(obj, full.context.lookup(ref), `Objekt ${ref.toString()}`, problems)
  }
  checkAddedWidgets(signedRev, full, problems)
}

function hasTimestampingEku(cert: pkijs.Certificate): boolean {
  const ext = cert.extensions?.find((e) => e.extnID === OID_EKU)
  const eku = ext?.parsedValue as pkijs.ExtKeyUsage | undefined
  return !!eku?.keyPurposes.includes(OID_KP_TIMESTAMPING)
}

async function verifySignedData(
  sd: pkijs.SignedData,
  data: ArrayBuffer | undefined,
  anchors: pkijs.Certificate[],
  extra: pkijs.Certificate[],
  at: Date,
): Promise<{ ok: boolean; message: string; signer?: pkijs.Certificate }> {
  sd.certificates = [...(sd.certificates ?? []), ...extra]
  try {
    const r = await sd.verify(
      {
        signer: 0,
        ...(data ? { data } : {}),
        checkChain: true,
        trustedCerts: anchors,
        checkDate: at,
        extendedMode: true,
      },
      engine,
    )
    return {
      ok: r.signatureVerified === true && r.signerCertificateVerified === true,
      message: r.message ?? '',
      ...(r.signerCertificate ? { signer: r.signerCertificate } : {}),
    }
  } catch (e) {
    const err = e as pkijs.SignedDataVerifyError
    return {
      ok: false,
      message: err.message,
      ...(err.signerCertificate ? { signer: err.signerCertificate } : {}),
    }
  }
}

async function checkRevocation(
  cert: pkijs.Certificate,
  what: string,
  crls: pkijs.CertificateRevocationList[],
  pool: pkijs.Certificate[],
  at: Date,
  problems: string[],
): Promise<void> {
  const issuer = pool.find((c) => nameKey(c.subject) === nameKey(cert.issuer))
  if (!issuer) {
    problems.push(`${what}: Ausstellerzertifikat fehlt`)
    return
  }
  const candidates = crls.filter((c) => nameKey(c.issuer) === nameKey(cert.issuer))
  for (const crl of candidates) {
    if (!(await crl.verify({ issuerCertificate: issuer }, engine))) continue
    if (crl.nextUpdate && crl.nextUpdate.value < at) continue
    const entry = crl.revokedCertificates?.find((r) => r.userCertificate.isEqual(cert.serialNumber))
    if (entry && entry.revocationDate.value <= at) {
      problems.push(`${what}: gesperrt seit ${entry.revocationDate.value.toISOString()}`)
    }
    return
  }
  problems.push(`${what}: keine passende, gültige CRL im DSS`)
}

export async function verifyPadesLtv(
  pdf: Uint8Array,
  opts: LtvVerifyOptions,
): Promise<LtvVerification> {
  const problems: string[] = []
  const text = Buffer.from(pdf).toString('latin1')
  const m = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(text)
  if (!m)
    return {
      valid: false,
      problems: ['keine Signatur (ByteRange)'],
      certificatesInDss: 0,
      crlsInDss: 0,
    }
  const [b0, b1, b2, b3] = m.slice(1).map(Number) as [number, number, number, number]
  if (b0 !== 0 || b2 + b3 > pdf.length) problems.push('ByteRange ungültig')
  const signed = Buffer.concat([pdf.subarray(0, b1), pdf.subarray(b2, b2 + b3)])
  const contentsHex = text.slice(b1 + 1, b2 - 1)
  const cms = new Uint8Array(Buffer.from(contentsHex, 'hex'))

  const full = await PDFDocument.load(pdf, { updateMetadata: false })
  await checkIncrement(pdf, b2 + b3, full, problems)
  const dss = dssValues(full)
  const dssCerts = dss.certs.map(parseCert)
  const crls = dss.crls.map(
    (d) => new pkijs.CertificateRevocationList({ schema: asn1js.fromBER(ab(d)).result }),
  )
  const anchors = opts.trustAnchors.map(parseCert)

  const ci = new pkijs.ContentInfo({ schema: asn1js.fromBER(ab(cms)).result })
  const sd = new pkijs.SignedData({ schema: ci.content })
  const si = sd.signerInfos[0]
  if (!si)
    return {
      valid: false,
      problems: ['CMS ohne SignerInfo'],
      certificatesInDss: dss.certs.length,
      crlsInDss: dss.crls.length,
    }
  const md = si.signedAttrs?.attributes.find((a) => a.type === OID_MESSAGE_DIGEST)?.values[0] as
    asn1js.OctetString | undefined
  if (!md || !sha256(signed).equals(Buffer.from(md.valueBlock.valueHexView)))
    problems.push('messageDigest passt nicht zur ByteRange')

  // Zeitstempel
  const tsAttr = si.unsignedAttrs?.attributes.find((a) => a.type === OID_SIGNATURE_TIMESTAMP_TOKEN)
  const tokenAsn = tsAttr?.values[0] as asn1js.Sequence | undefined
  if (!tokenAsn) {
    problems.push('kein Signaturzeitstempel')
    return {
      valid: false,
      problems,
      certificatesInDss: dss.certs.length,
      crlsInDss: dss.crls.length,
    }
  }
  const tokenSd = new pkijs.SignedData({
    schema: new pkijs.ContentInfo({ schema: tokenAsn }).content,
  })
  const eContent = tokenSd.encapContentInfo.eContent
  if (!eContent) {
    problems.push('Zeitstempel ohne TSTInfo')
    return {
      valid: false,
      problems,
      certificatesInDss: dss.certs.length,
      crlsInDss: dss.crls.length,
    }
  }
  const tst = readTstInfo(new Uint8Array(eContent.getValue()))
  if (
    !sha256(new Uint8Array(si.signature.valueBlock.valueHexView)).equals(
      Buffer.from(tst.hashedMessage),
    )
  ) {
    problems.push('Zeitstempel gehört nicht zu diesem Signaturwert')
  }
  const at = opts.at ?? tst.genTime
  const tsa = await verifySignedData(
    tokenSd,
    ab(new Uint8Array(si.signature.valueBlock.valueHexView)),
    anchors,
    dssCerts,
    at,
  )
  if (!tsa.ok) problems.push(`Zeitstempel ungültig: ${tsa.message}`)
  if (tsa.signer && !hasTimestampingEku(tsa.signer))
    problems.push('TSA-Zertifikat ohne EKU timeStamping')

  const sig = await verifySignedData(sd, ab(signed), anchors, dssCerts, at)
  if (!sig.ok) problems.push(`Signatur ungültig: ${sig.message}`)

  // Sperrstatus aus dem DSS
  const pool = [
    ...anchors,
    ...dssCerts,
    ...(sd.certificates ?? []).filter(
      (c): c is pkijs.Certificate => c instanceof pkijs.Certificate,
    ),
  ]
  if (sig.signer) await checkRevocation(sig.signer, 'Signaturzertifikat', crls, pool, at, problems)
  if (tsa.signer) await checkRevocation(tsa.signer, 'TSA-Zertifikat', crls, pool, at, problems)
  // Dokumentzeitstempel (B-LTA)
  let documentTimestampTime: Date | undefined
  const ranges = [...text.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)].slice(
    1,
  )
  for (const r of ranges) {
    const [d0, d1, d2, d3] = r.slice(1).map(Number) as [number, number, number, number]
    if (!/\/DocTimeStamp/.test(text.slice(Math.max(0, (r.index ?? 0) - 400), (r.index ?? 0) + 400)))
      continue
    if (d0 !== 0 || d2 + d3 !== pdf.length)
      problems.push('Dokumentzeitstempel deckt nicht die ganze Datei')
    const covered = Buffer.concat([pdf.subarray(0, d1), pdf.subarray(d2, d2 + d3)])
    const dtsDer = new Uint8Array(Buffer.from(text.slice(d1 + 1, d2 - 1), 'hex'))
    const dtsSd = new pkijs.SignedData({
      schema: new pkijs.ContentInfo({ schema: asn1js.fromBER(ab(dtsDer)).result }).content,
    })
    const dtsInfo = dtsSd.encapContentInfo.eContent
      ? readTstInfo(new Uint8Array(dtsSd.encapContentInfo.eContent.getValue()))
      : undefined
    if (!dtsInfo || !sha256(covered).equals(Buffer.from(dtsInfo.hashedMessage)))
      problems.push('Dokumentzeitstempel passt nicht zum Dokument')
    const v = await verifySignedData(dtsSd, ab(covered), anchors, dssCerts, dtsInfo?.genTime ?? at)
    if (!v.ok) problems.push(`Dokumentzeitstempel ungültig: ${v.message}`)
    documentTimestampTime = dtsInfo?.genTime
  }

  const cn = sig.signer?.subject.typesAndValues.find((t) => t.type === '2.5.4.3')?.value
    .valueBlock as { value?: string } | undefined

  return {
    valid: problems.length === 0,
    problems,
    ...(cn?.value ? { signer: cn.value } : {}),
    timestampTime: tst.genTime,
    checkedAt: at,
    ...(documentTimestampTime ? { documentTimestampTime } : {}),
    certificatesInDss: dss.certs.length,
    crlsInDss: dss.crls.length,
  }
}
