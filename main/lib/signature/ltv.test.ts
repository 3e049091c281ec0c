import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import * as asn1js from 'asn1js'
import { unzipSync } from 'fflate'
import { PDFArray, PDFDict, PDFDocument, PDFName } from 'pdf-lib'
import type { PDFPage } from 'pdf-lib'
import * as pkijs from 'pkijs'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { DemoTsa } from '../../../hub/tsa/demoTsa'
import { startDemoTsaServer } from '../../../hub/tsa/http'
import type { RunningDemoTsa } from '../../../hub/tsa/http'
import { buildAussonderung0503, primaryDocumentFileName } from '../xdomea'
import type { ArchiveExportInput } from '../xdomea'
import { assetPath } from '../notices/assets'
import { checkTaggedPdf } from '../notices/pdfStructure.testutil'
import { sampleNoticeInput } from '../notices/noticeModel'
import { signNotice } from '../notices/signNotice'
import { OID_SIGNATURE_TIMESTAMP_TOKEN } from './cadesSigner'
import { loadPkcs12 } from './identity'
import type { SigningIdentity } from './identity'
import { verifyPadesLtv } from './ltvVerify'
import { opensslTimestamp, pdfsig, qpdfCheck } from './pdfTools.testutil'
import { cdpRevocationSource, crlDistributionPoints, localRevocationSource } from './revocation'
import type { LtvOptions } from './signPdf'
import {
  buildTimestampRequest,
  httpTimestampSource,
  localTimestampSource,
  parseTimestampToken,
  tokenFromResponse,
} from './timestamp'

const signingTime = new Date('2026-11-27T13:05:00Z')
const YEAR = 365.25 * 24 * 3600 * 1000
let clerk: SigningIdentity
let server: RunningDemoTsa
let ltvHttp: LtvOptions
let demoCa: Uint8Array

function extractCms(pdf: Uint8Array): Uint8Array {
  const s = Buffer.from(pdf).toString('latin1')
  const m = /\/ByteRange \[(\d+) (\d+) (\d+) (\d+)\]/.exec(s)
  if (!m) throw new Error('keine ByteRange')
  return new Uint8Array(Buffer.from(s.slice(Number(m[2]) + 1, Number(m[3]) - 1), 'hex'))
}

function signerInfo(pdf: Uint8Array): pkijs.SignerInfo {
  const ci = new pkijs.ContentInfo({ schema: asn1js.fromBER(extractCms(pdf)).result })
  const si = new pkijs.SignedData({ schema: ci.content }).signerInfos[0]
  if (!si) throw new Error('kein SignerInfo')
  return si
}

beforeAll(async () => {
  clerk = await loadPkcs12(readFileSync(assetPath('certs', 'demo-sachbearbeiter.p12')), 'demo')
  server = await startDemoTsaServer()
  // die Zertifikate nennen den festen Demo-Ort (Port 8790); hier läuft der Dienst auf einem freien Port
  ltvHttp = {
    timestamp: httpTimestampSource(server.tsaUrl),
    revocation: cdpRevocationSource({ rewrite: () => server.crlUrl }),
  }
  demoCa = new Uint8Array(
    Buffer.from(
      readFileSync(assetPath('certs', 'demo-ca.pem'), 'utf8').replace(/-----[^-]+-----|\s/g, ''),
      'base64',
    ),
  )
})

afterAll(async () => {
  await server?.close()
})

describe('Demo-PKI', () => {
  it('Signaturzertifikat mit CRL-Verteilungspunkt; die CRL vom Demo-Dienst ist von der Demo-CA signiert', async () => {
    expect(crlDistributionPoints(clerk.certificate)).toEqual([
      'http://127.0.0.1:8790/pki/demo-ca.crl',
    ])
    const der = new Uint8Array(await (await fetch(server.crlUrl)).arrayBuffer())
    const crl = new pkijs.CertificateRevocationList({ schema: asn1js.fromBER(der).result })
    const ca = new pkijs.Certificate({ schema: asn1js.fromBER(demoCa).result })
    expect(await crl.verify({ issuerCertificate: ca })).toBe(true)
    expect(crl.revokedCertificates ?? []).toEqual([])
  })

  it('Zeitstempel: Antwort passt zu Hash und Nonce; eine fremde Antwort wird abgelehnt', async () => {
    const digest = new Uint8Array(32).fill(7)
    const req = buildTimestampRequest(digest)
    const res = await fetch(server.tsaUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/timestamp-query' },
      body: req.der,
    })
    expect(res.headers.get('content-type')).toBe('application/timestamp-reply')
    const resp = new Uint8Array(await res.arrayBuffer())
    const token = parseTimestampToken(tokenFromResponse(resp, digest, req))
    expect(Math.abs(token.genTime.getTime() - Date.now())).toBeLessThan(60_000)
    expect(token.certificatesDer).toHaveLength(1)
    expect(() => tokenFromResponse(resp, new Uint8Array(32).fill(8), req)).toThrow(/messageImprint/)
    expect(() => tokenFromResponse(resp, digest, buildTimestampRequest(digest))).toThrow(/nonce/)
    const bad = await fetch(server.tsaUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/timestamp-query' },
      body: new Uint8Array([1, 2, 3]),
    })
    const rejected = new Uint8Array(await bad.arrayBuffer())
    expect(() => tokenFromResponse(rejected, digest, req)).toThrow(/abgelehnt \(Status 2/)
  })
})

describe('PAdES B-LT', () => {
  it('Bescheid über HTTP-TSA: Zeitstempel-Attribut, DSS mit Zertifikaten und CRL, pdfsig gültig, qpdf ok', async () => {
    const pdf = await signNotice(sampleNoticeInput('wohngeld'), clerk, {
      signingTime,
      ltv: ltvHttp,
    })
    const attrs = signerInfo(pdf).unsignedAttrs?.attributes.map((a) => a.type)
    expect(attrs).toEqual([OID_SIGNATURE_TIMESTAMP_TOKEN])
    const doc = await PDFDocument.load(pdf)
    const dss = doc.catalog.lookup(PDFName.of('DSS'), PDFDict)
    expect(dss.lookup(PDFName.of('Certs'), PDFArray).size()).toBe(3) // Signatur, Demo-CA, TSA
    expect(dss.lookup(PDFName.of('CRLs'), PDFArray).size()).toBe(1)
    const out = pdfsig(pdf)
    expect(out).toContain('Signature is Valid.')
    expect(out).toContain('Signer Certificate Common Name: Jörg Weiß')
    expect(qpdfCheck(pdf).status).toBe(0)
    const r = await verifyPadesLtv(pdf, { trustAnchors: [demoCa] })
    expect(r.problems).toEqual([])
    expect(r.signer).toBe('Jörg Weiß')
  })

  it('OpenSSL bestätigt den Signaturzeitstempel unabhängig: Hash des Signaturwerts, TSA-Kette, Zeit', async () => {
    const pdf = await signNotice(sampleNoticeInput('wohngeld'), clerk, {
      signingTime,
      ltv: ltvHttp,
    })
    const si = signerInfo(pdf)
    const tokenBlock = si.unsignedAttrs!.attributes[0]!.values[0] as asn1js.BaseBlock
    const token = tokenBlock.toBER()
    const signatureValue = new Uint8Array(si.signature.valueBlock.valueHexView)
    const ca = assetPath('certs', 'demo-ca.pem')
    const ts = opensslTimestamp(new Uint8Array(token), signatureValue, ca)
    expect(ts.verified, ts.out).toBe(true)
    expect(ts.time).toMatch(/ 2026 GMT$/)
    // ein anderer Signaturwert passt nicht zum Zeitstempel
    const other = signatureValue.slice()
    other[0] = other[0]! ^ 0xff
    expect(opensslTimestamp(new Uint8Array(token), other, ca).verified).toBe(false)
  })

  it('Konfiguration aus der Umgebung (AKTENFLUSS_TSA_URL, AKTENFLUSS_CRL_URL): signNotice ohne ltv-Option signiert B-LT', async () => {
    const before = { tsa: process.env.AKTENFLUSS_TSA_URL, crl: process.env.AKTENFLUSS_CRL_URL }
    process.env.AKTENFLUSS_TSA_URL = server.tsaUrl
    process.env.AKTENFLUSS_CRL_URL = server.crlUrl
    try {
      const pdf = await signNotice(sampleNoticeInput('sondernutzung'), clerk, { signingTime })
      expect((await verifyPadesLtv(pdf, { trustAnchors: [demoCa] })).problems).toEqual([])
    } finally {
      if (before.tsa === undefined) delete process.env.AKTENFLUSS_TSA_URL
      else process.env.AKTENFLUSS_TSA_URL = before.tsa
      if (before.crl === undefined) delete process.env.AKTENFLUSS_CRL_URL
      else process.env.AKTENFLUSS_CRL_URL = before.crl
    }
    const plain = await signNotice(sampleNoticeInput('sondernutzung'), clerk, { signingTime })
    expect(signerInfo(plain).unsignedAttrs).toBeUndefined()
  })

  it('archivierter Bescheid aus der 0503 prüft zehn Jahre nach Ablauf des Zertifikats noch gültig (nur eingebettete Daten)', async () => {
    const notice = await signNotice(sampleNoticeInput('baugenehmigung'), clerk, {
      signingTime,
      ltv: ltvHttp,
    })
    const docId = randomUUID()
    const input: ArchiveExportInput = {
      prozessId: randomUUID(),
      createdAt: '2027-02-01T10:00:00+01:00',
      sender: { name: 'Stadtverwaltung Görlitz' },
      receiver: { name: 'Stadtarchiv Görlitz' },
      system: { product: 'Aktenfluss', version: '0.1.0' },
      cases: [
        {
          id: randomUUID(),
          aktenzeichen: '632.1-2026-000042',
          betreff: 'Baugenehmigung',
          fileCode: '632.1',
          fileTitle: 'Baugenehmigungen',
          retentionYears: 30,
          disposal: 'archivwürdig',
          openedAt: '2026-10-01',
          closedAt: '2027-01-15',
          documents: [
            {
              id: docId,
              title: 'Bescheid (signiert)',
              filename: 'Bescheid.pdf',
              mimeType: 'application/pdf',
              createdAt: signingTime.toISOString(),
              bytes: notice,
              signed: true,
            },
          ],
        },
      ],
    }
    const m = buildAussonderung0503(input)
    const files = unzipSync(m.zip)
    const name = Object.keys(files).find((n) =>
      n.endsWith(
        primaryDocumentFileName({
          id: docId,
          filename: 'Bescheid.pdf',
          mimeType: 'application/pdf',
        }),
      ),
    )
    const archived = name ? files[name] : undefined
    expect(archived).toBeDefined()
    if (!archived) return

    const tenYearsAfterExpiry = new Date(clerk.notAfter.getTime() + 10 * YEAR)
    vi.useFakeTimers({ toFake: ['Date'], now: tenYearsAfterExpiry })
    try {
      expect(Date.now()).toBeGreaterThan(clerk.notAfter.getTime() + 9.9 * YEAR)
      const later = await verifyPadesLtv(archived, { trustAnchors: [demoCa] })
      expect(later.problems).toEqual([])
      expect(later.valid).toBe(true)
      expect(later.timestampTime?.getTime()).toBeLessThan(clerk.notAfter.getTime())
      expect(later.crlsInDss).toBe(1)
      // Gegenprobe: „heute“ geprüft ist das Zertifikat abgelaufen – die Prüfung hängt am Zeitstempel
      const today = await verifyPadesLtv(archived, { trustAnchors: [demoCa], at: new Date() })
      expect(today.valid).toBe(false)
      expect(today.problems.join('\n')).toMatch(/expired/)
    } finally {
      vi.useRealTimers()
    }
  })

  it('B-LTA: Dokumentzeitstempel über Signatur und DSS; getaggt (Form + OBJR), gültig, ein späteres Update fällt auf', async () => {
    const pdf = await signNotice(sampleNoticeInput('wohngeld'), clerk, {
      signingTime,
      ltv: { ...ltvHttp, documentTimestamp: true },
    })
    const r = await verifyPadesLtv(pdf, { trustAnchors: [demoCa] })
    expect(r.problems).toEqual([])
    expect(r.documentTimestampTime).toBeInstanceOf(Date)
    const tags = await checkTaggedPdf(pdf)
    expect(tags.problems).toEqual([])
    expect(tags.types.filter((t) => t === 'Form')).toHaveLength(2)
    const out = pdfsig(pdf)
    expect(out).toContain('Signature is Valid.') // Signatur 1; poppler 22.12 prüft Dokumentzeitstempel nicht
    expect(out).toContain('Signature Field Name: Dokumentzeitstempel')
    expect(qpdfCheck(pdf).status).toBe(0)
    // ein Update nach dem Dokumentzeitstempel liegt außerhalb seiner ByteRange
    const later = await verifyPadesLtv(await appendPageChange(pdf), { trustAnchors: [demoCa] })
    expect(later.problems).toContain('Dokumentzeitstempel deckt nicht die ganze Datei')
  })

  it('ein gesperrtes Signaturzertifikat fällt auf (CRL im DSS führt es)', async () => {
    const tsa = await DemoTsa.load()
    tsa.revoke(clerk.certificate, new Date('2026-01-01T00:00:00Z'))
    const pdf = await signNotice(sampleNoticeInput('kfz'), clerk, {
      signingTime,
      ltv: {
        timestamp: localTimestampSource((r) => tsa.respond(r)),
        revocation: localRevocationSource(() => tsa.crl()),
      },
    })
    const r = await verifyPadesLtv(pdf, { trustAnchors: [demoCa] })
    expect(r.valid).toBe(false)
    expect(r.problems).toContain('Signaturzertifikat: gesperrt seit 2026-01-01T00:00:00.000Z')
  })

  it('eine verfälschte CRL, ein fremder Vertrauensanker und eine geänderte Revision fallen auf', async () => {
    const tsa = await DemoTsa.load()
    const crl = await tsa.crl()
    const pdf = await signNotice(sampleNoticeInput('bussgeld'), clerk, {
      signingTime,
      ltv: {
        timestamp: localTimestampSource((r) => tsa.respond(r)),
        revocation: localRevocationSource(() => tsa.crl()),
      },
    })
    expect((await verifyPadesLtv(pdf, { trustAnchors: [demoCa] })).valid).toBe(true)

    const at = Buffer.from(pdf).indexOf(Buffer.from(crl))
    expect(at).toBeGreaterThan(0)
    const forged = new Uint8Array(pdf)
    const last = at + crl.length - 1
    forged[last] = (forged[last] ?? 0) ^ 0xff // letztes Byte des CRL-Signaturwerts
    expect((await verifyPadesLtv(forged, { trustAnchors: [demoCa] })).problems).toEqual([
      'Signaturzertifikat: keine passende, gültige CRL im DSS',
      'TSA-Zertifikat: keine passende, gültige CRL im DSS',
    ])

    const other = await loadPkcs12(readFileSync(assetPath('certs', 'demo-siegel.p12')), 'demo')
    const wrongAnchor = await verifyPadesLtv(pdf, { trustAnchors: [other.certificateDer] })
    expect(wrongAnchor.valid).toBe(false)

    // ein nachträglich angehängtes Update, das die Seite ändert
    const changed = await verifyPadesLtv(await appendPageChange(pdf), { trustAnchors: [demoCa] })
    expect(
      changed.problems.some((p) => /: neuer Eintrag \/Rotate$/.test(p)),
      changed.problems.join('\n'),
    ).toBe(true)
    const moved = await verifyPadesLtv(
      await appendPageChange(pdf, (page) =>
        page.node.set(PDFName.of('MediaBox'), page.doc.context.obj([0, 0, 300, 300])),
      ),
      { trustAnchors: [demoCa] },
    )
    expect(
      moved.problems.some((p) => /MediaBox\[2\] nach der Signatur geändert/.test(p)),
      moved.problems.join('\n'),
    ).toBe(true)
  })
})

/** Hängt eine inkrementelle Aktualisierung an, die Seite 1 dreht (Angriff nach der Signatur). */
async function appendPageChange(
  pdf: Uint8Array,
  change: (page: PDFPage) => void = (p) => p.node.set(PDFName.of('Rotate'), p.doc.context.obj(90)),
): Promise<Uint8Array> {
  const doc = await PDFDocument.load(pdf)
  const page = doc.getPages()[0]
  if (!page) throw new Error('keine Seite')
  change(page)
  const body = new Uint8Array(page.node.sizeInBytes())
  page.node.copyBytesInto(body, 0)
  const prev = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(
    Buffer.from(pdf.subarray(pdf.length - 200)).toString('latin1'),
  )?.[1]
  const offset = pdf.length
  const obj = Buffer.concat([
    Buffer.from(`${page.ref.objectNumber} 0 obj\n`),
    body,
    Buffer.from('\nendobj\n'),
  ])
  const xrefAt = offset + obj.length
  const trailer = `xref\n${page.ref.objectNumber} 1\n${String(offset).padStart(10, '0')} 00000 n \ntrailer\n<< /Size ${doc.context.largestObjectNumber + 1} /Root ${doc.context.trailerInfo.Root?.toString() ?? ''} /Prev ${prev ?? 0} >>\nstartxref\n${xrefAt}\n%%EOF\n`
  return Buffer.concat([pdf, obj, Buffer.from(trailer)])
}
