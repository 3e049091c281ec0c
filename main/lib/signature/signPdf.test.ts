import { readFileSync } from 'node:fs'
import * as asn1js from 'asn1js'
import * as pkijs from 'pkijs'
import { beforeAll, describe, expect, it } from 'vitest'
import { assetPath } from '../notices/assets'
import { NoticeIncompleteError, listProcedureIds, sampleNoticeInput } from '../notices/noticeModel'
import { renderDocumentRequestLetter } from '../notices/noticePdf'
import { signNotice } from '../notices/signNotice'
import { CertificateError, WrongCertificatePasswordError, loadPkcs12 } from './identity'
import type { SigningIdentity } from './identity'
import { pdfText, pdfsig, qpdfCheck } from './pdfTools.testutil'
import type { SignatureError } from './signPdf'
import { signPdf } from './signPdf'

const signingTime = new Date('2026-11-27T13:05:00Z')
let clerk: SigningIdentity
let seal: SigningIdentity

beforeAll(async () => {
  clerk = await loadPkcs12(readFileSync(assetPath('certs', 'demo-sachbearbeiter.p12')), 'demo')
  seal = await loadPkcs12(readFileSync(assetPath('certs', 'demo-siegel.p12')), 'demo')
})

function extractCms(pdf: Uint8Array): Uint8Array {
  const s = Buffer.from(pdf).toString('latin1')
  const m = /\/ByteRange \[(\d+) (\d+) (\d+) (\d+)\]/.exec(s)
  if (!m) throw new Error('keine ByteRange')
  const hex = s.slice(Number(m[2]) + 1, Number(m[3]) - 1).replace(/(00)+$/, '')
  return new Uint8Array(Buffer.from(hex.length % 2 ? `${hex}0` : hex, 'hex'))
}

describe('loadPkcs12', () => {
  it('liest das Demo-Zertifikat mit UTF-8-Namen', () => {
    expect(clerk.commonName).toBe('Jörg Weiß')
    expect(clerk.subject).toContain('OU=Bürgeramt')
    expect(seal.commonName).toBe('Stadtverwaltung Görlitz — Siegel')
    expect(clerk.chainDer.length).toBe(1)
  })

  it('meldet ein falsches Passwort typisiert und auf Deutsch', async () => {
    const p12 = readFileSync(assetPath('certs', 'demo-sachbearbeiter.p12'))
    const err: unknown = await loadPkcs12(p12, 'falsch').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(WrongCertificatePasswordError)
    expect(err).toBeInstanceOf(CertificateError)
    expect((err as CertificateError).code).toBe('WRONG_PASSWORD')
    expect((err as Error).message).toBe('Das Passwort des Zertifikats ist falsch.')
    const bad: unknown = await loadPkcs12(new Uint8Array([1, 2, 3]), 'demo').catch(
      (e: unknown) => e,
    )
    expect((bad as CertificateError).code).toBe('INVALID_FILE')
  })
})

describe('signNotice / signPdf (PAdES-B)', () => {
  it.each(listProcedureIds())(
    '%s: pdfsig gültig, Umlaut-Name, qpdf --check, sichtbarer Block',
    async (id) => {
      const pdf = await signNotice(sampleNoticeInput(id), clerk, { signingTime })
      const out = pdfsig(pdf)
      expect(out).toContain('Signature is Valid.')
      expect(out).toContain('Signer Certificate Common Name: Jörg Weiß')
      expect(out).toContain('ETSI.CAdES.detached')
      expect(out).toContain('Total document signed')
      const q = qpdfCheck(pdf)
      expect(q.status, q.out).toBe(0)
      const text = pdfText(pdf)
      expect(text).toContain('Elektronisch signiert')
      expect(text).toContain('27.11.2026, 14:05:00 Uhr (MEZ)')
    },
  )

  it('erkennt Manipulation: ein geändertes Byte im signierten Bereich', async () => {
    const pdf = await signNotice(sampleNoticeInput('wohngeld'), clerk, { signingTime })
    const s = Buffer.from(pdf).toString('latin1')
    const m = /\/ByteRange \[(\d+) (\d+) (\d+) (\d+)\]/.exec(s)
    expect(m).not.toBeNull()
    // ein Byte im Inhalt, weit vor dem Signaturwert (erster signierter Bereich)
    const pos = Math.floor(Number(m?.[2]) / 2)
    const tampered = new Uint8Array(pdf)
    tampered[pos] = (tampered[pos] ?? 0) ^ 0x01
    const out = pdfsig(tampered)
    expect(out).not.toContain('Signature is Valid.')
    expect(out).toMatch(/Digest Mismatch|Invalid|not valid/i)
  })

  it('CMS: contentType, messageDigest, signingCertificateV2, kein signingTime, Zertifikat eingebettet', async () => {
    const pdf = await signNotice(sampleNoticeInput('kfz'), clerk, { signingTime })
    const ci = new pkijs.ContentInfo({ schema: asn1js.fromBER(extractCms(pdf)).result })
    const sd = new pkijs.SignedData({ schema: ci.content })
    const attrs = sd.signerInfos[0]?.signedAttrs?.attributes.map((a) => a.type)
    expect(attrs).toEqual([
      '1.2.840.113549.1.9.3',
      '1.2.840.113549.1.9.4',
      '1.2.840.113549.1.9.16.2.47',
    ])
    expect(attrs).not.toContain('1.2.840.113549.1.9.5')
    expect(sd.encapContentInfo.eContent).toBeUndefined()
    const certs = (sd.certificates ?? []).filter(
      (c): c is pkijs.Certificate => c instanceof pkijs.Certificate,
    )
    expect(
      Buffer.from(certs[0]?.toSchema().toBER() ?? new ArrayBuffer(0)).equals(
        Buffer.from(clerk.certificateDer),
      ),
    ).toBe(true)
  })

  it('verweigert unvollständige Bescheide mit der Liste der fehlenden Teile', async () => {
    const input = {
      ...sampleNoticeInput('wohngeld'),
      outcome: 'abgelehnt' as const,
      hearing: undefined,
      reasons: '',
    }
    const err: unknown = await signNotice(input, clerk, { signingTime }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(NoticeIncompleteError)
    expect((err as NoticeIncompleteError).missing.map((m) => m.code)).toEqual([
      'REASONS_MISSING',
      'HEARING_MISSING',
    ])
    expect((err as Error).message).toContain('Anhörung')
  })

  it('signiert beliebige PDFs (Nachforderung) mit dem Siegel; zweite Signatur wird abgelehnt', async () => {
    const s = sampleNoticeInput('sondernutzung')
    const letter = await renderDocumentRequestLetter({
      authority: s.authority,
      addressee: s.addressee,
      aktenzeichen: s.aktenzeichen,
      date: '2026-11-03',
      clerk: s.clerk,
      requestedDocuments: ['Lageplan im Maßstab 1:500'],
      deadline: '2026-11-17',
    })
    const signed = await signPdf(letter, seal, {
      reason: 'Nachforderung',
      location: 'Görlitz',
      signingTime,
    })
    const out = pdfsig(signed)
    expect(out).toContain('Signature is Valid.')
    expect(out).toContain('Stadtverwaltung Görlitz — Siegel')
    expect(qpdfCheck(signed).status).toBe(0)
    const again: unknown = await signPdf(signed, clerk, {
      reason: 'x',
      location: 'Görlitz',
      signingTime,
    }).catch((e: unknown) => e)
    expect((again as SignatureError).code).toBe('ALREADY_SIGNED')
  })
})
