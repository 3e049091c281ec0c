/**
 * Demo-Zeitstempeldienst (RFC 3161) und Demo-Sperrlisten (RFC 5280) – NUR ZUM TESTEN.
 *
 * Schlüssel: assets/certs/demo-tsa.p12 (EKU timeStamping) und demo-ca.p12 (stellt die CRL aus),
 * Passwort `demo`. Wird im Referenz-Hub eingehängt (POST /tsa, GET /pki/demo-ca.crl; http.ts),
 * läuft allein (`npx tsx hub/tsa/cli.ts`, Port 8790 wie im CRL-Verteilungspunkt der
 * Demo-Zertifikate) oder im Prozess (notice:sample, Tests): {@link DemoTsa.timestampSource},
 * {@link DemoTsa.revocationSource}.
 *
 * Produktiv ersetzt ein (qualifizierter) Zeitstempeldienst mit eigener URL diesen Dienst; die
 * Sperrinformation kommt dann vom CRL-Verteilungspunkt bzw. OCSP der echten CA.
 */
import { createHash, randomBytes } from 'node:crypto'
import { join } from 'node:path'
import * as asn1js from 'asn1js'
import * as pkijs from 'pkijs'
import { shippedAsset } from '../bootstrap'
import { engine, loadP12 } from './keys'
import type { KeyPairFromP12 } from './keys'
import { grantedResponse, readTimestampRequest } from './tsp'

const OID_SIGNED_DATA = '1.2.840.113549.1.7.2'
const OID_SHA256 = '2.16.840.1.101.3.4.2.1'
const OID_CT_TSTINFO = '1.2.840.113549.1.9.16.1.4'
const OID_CONTENT_TYPE = '1.2.840.113549.1.9.3'
const OID_MESSAGE_DIGEST = '1.2.840.113549.1.9.4'
const OID_SIGNING_CERTIFICATE_V2 = '1.2.840.113549.1.9.16.2.47'
/** Demo-Policy (Beispiel-Arc, keine registrierte Policy) */
export const DEMO_TSA_POLICY = '1.3.6.1.4.1.58888.1.1'
const CRL_VALIDITY_MS = 7 * 24 * 3600 * 1000

function ab(u8: Uint8Array): ArrayBuffer {
  return u8.buffer.slice(u8.byteOffset, u8.byteOffset + u8.byteLength) as ArrayBuffer
}

function sha256(data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(data).digest())
}

function positiveInteger(bytes: Uint8Array): asn1js.Integer {
  const b = new Uint8Array(bytes)
  b[0] = ((b[0] ?? 0) & 0x7f) | 0x01
  return new asn1js.Integer({ valueHex: ab(b) })
}

export interface DemoTsaOptions {
  certsDir?: string
  password?: string
  /** Uhr des Dienstes (Tests) */
  clock?: () => Date
}

export class DemoTsa {
  private readonly revoked: Array<{ serial: asn1js.Integer; date: Date }> = []
  private crlNumber = 1
  private cachedCrl: { der: Uint8Array; until: number } | undefined

  private constructor(
    readonly tsa: KeyPairFromP12,
    readonly ca: KeyPairFromP12,
    private readonly clock: () => Date,
  ) {}

  static async load(opts: DemoTsaOptions = {}): Promise<DemoTsa> {
    const dir = opts.certsDir ?? join(shippedAsset('certs/demo-ca.p12'), '..')
    const password = opts.password ?? 'demo'
    const [tsa, ca] = await Promise.all([
      loadP12(join(dir, 'demo-tsa.p12'), password),
      loadP12(join(dir, 'demo-ca.p12'), password),
    ])
    return new DemoTsa(tsa, ca, opts.clock ?? (() => new Date()))
  }

  get caCertificateDer(): Uint8Array {
    return this.ca.certificateDer
  }

  /** Sperrt ein Zertifikat (Demo/Tests); die nächste CRL führt es auf. */
  revoke(cert: pkijs.Certificate, date: Date): void {
    this.revoked.push({ serial: cert.serialNumber, date })
    this.cachedCrl = undefined
  }

  /** Baut ein TimeStampToken (ContentInfo-DER) für einen SHA-256-Hash. */
  async token(digest: Uint8Array, nonce?: asn1js.Integer, certReq = true): Promise<Uint8Array> {
    const now = this.clock()
    now.setMilliseconds(0)
    const tst = new pkijs.TSTInfo({
      version: 1,
      policy: DEMO_TSA_POLICY,
      messageImprint: new pkijs.MessageImprint({
        hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID_SHA256 }),
        hashedMessage: new asn1js.OctetString({ valueHex: ab(digest) }),
      }),
      serialNumber: positiveInteger(randomBytes(16)),
      genTime: now,
      accuracy: new pkijs.Accuracy({ seconds: 1 }),
      ...(nonce ? { nonce } : {}),
      tsa: new pkijs.GeneralName({ type: 4, value: this.tsa.certificate.subject }),
    })
    const content = new Uint8Array(tst.toSchema().toBER(false))
    const cert = this.tsa.certificate
    // eContent als primitiver OCTET STRING (DER): der Konstruktor von EncapsulatedContentInfo
    // zerlegt ihn sonst in einen konstruierten (BER), den pkijs selbst beim Prüfen nicht liest
    const encap = new pkijs.EncapsulatedContentInfo({ eContentType: OID_CT_TSTINFO })
    encap.eContent = new asn1js.OctetString({ valueHex: ab(content) })
    const signedData = new pkijs.SignedData({
      version: 3,
      encapContentInfo: encap,
      signerInfos: [
        new pkijs.SignerInfo({
          version: 1,
          sid: new pkijs.IssuerAndSerialNumber({
            issuer: cert.issuer,
            serialNumber: cert.serialNumber,
          }),
          signedAttrs: new pkijs.SignedAndUnsignedAttributes({
            type: 0,
            attributes: [
              new pkijs.Attribute({
                type: OID_CONTENT_TYPE,
                values: [new asn1js.ObjectIdentifier({ value: OID_CT_TSTINFO })],
              }),
              new pkijs.Attribute({
                type: OID_MESSAGE_DIGEST,
                values: [new asn1js.OctetString({ valueHex: ab(sha256(content)) })],
              }),
              new pkijs.Attribute({
                type: OID_SIGNING_CERTIFICATE_V2,
                values: [signingCertificateV2(this.tsa)],
              }),
            ],
          }),
        }),
      ],
      certificates: certReq ? [cert] : [],
    })
    await signedData.sign(this.tsa.privateKey, 0, 'SHA-256', undefined, engine)
    const ci = new pkijs.ContentInfo({
      contentType: OID_SIGNED_DATA,
      content: signedData.toSchema(true),
    })
    return new Uint8Array(ci.toSchema().toBER(false))
  }

  /** Beantwortet eine TimeStampReq (DER) mit einer TimeStampResp (DER); Fehler als status rejection. */
  async respond(reqDer: Uint8Array): Promise<Uint8Array> {
    const reject = (text: string, failBit: number) => {
      const bits = new Uint8Array(4)
      bits[failBit >> 3] = 0x80 >> (failBit & 7)
      return new Uint8Array(
        new pkijs.TimeStampResp({
          status: new pkijs.PKIStatusInfo({
            status: 2,
            statusStrings: [new asn1js.Utf8String({ value: text })],
            failInfo: new asn1js.BitString({
              valueHex: ab(bits.subarray(0, (failBit >> 3) + 1)),
              unusedBits: 7 - (failBit & 7),
            }),
          }),
        })
          .toSchema()
          .toBER(false),
      )
    }
    let req: ReturnType<typeof readTimestampRequest>
    try {
      req = readTimestampRequest(reqDer)
    } catch {
      return reject('request is not a TimeStampReq', 5)
    }
    if (req.hashAlgorithm !== OID_SHA256) return reject('only SHA-256 is accepted', 0)
    if (req.digest.length !== 32) return reject('messageImprint has the wrong length', 5)
    if (req.reqPolicy && req.reqPolicy !== DEMO_TSA_POLICY) return reject('policy not accepted', 15)
    return grantedResponse(await this.token(req.digest, req.nonce, req.certReq))
  }

  /** CRL der Demo-CA (DER), gültig 7 Tage; eine Minute lang wird dieselbe ausgeliefert. */
  async crl(): Promise<Uint8Array> {
    const now = this.clock()
    if (this.cachedCrl && now.getTime() < this.cachedCrl.until) return this.cachedCrl.der
    const caCert = this.ca.certificate
    const skiExt = caCert.extensions?.find((e) => e.extnID === '2.5.29.14')
    const ski = skiExt
      ? new Uint8Array(skiExt.extnValue.valueBlock.valueHexView).subarray(2)
      : undefined
    const crl = new pkijs.CertificateRevocationList({
      version: 1,
      issuer: caCert.subject,
      thisUpdate: new pkijs.Time({ type: 0, value: now }),
      nextUpdate: new pkijs.Time({ type: 0, value: new Date(now.getTime() + CRL_VALIDITY_MS) }),
      ...(this.revoked.length
        ? {
            revokedCertificates: this.revoked.map(
              (r) =>
                new pkijs.RevokedCertificate({
                  userCertificate: r.serial,
                  revocationDate: new pkijs.Time({ type: 0, value: r.date }),
                }),
            ),
          }
        : {}),
      crlExtensions: new pkijs.Extensions({
        extensions: [
          ...(ski
            ? [
                new pkijs.Extension({
                  extnID: '2.5.29.35',
                  critical: false,
                  extnValue: new pkijs.AuthorityKeyIdentifier({
                    keyIdentifier: new asn1js.OctetString({ valueHex: ab(ski) }),
                  })
                    .toSchema()
                    .toBER(false),
                }),
              ]
            : []),
          new pkijs.Extension({
            extnID: '2.5.29.20',
            critical: false,
            extnValue: new asn1js.Integer({ value: this.crlNumber++ }).toBER(false),
          }),
        ],
      }),
    })
    await crl.sign(this.ca.privateKey, 'SHA-256', engine)
    const der = new Uint8Array((crl.toSchema(true) as asn1js.Sequence).toBER(false))
    this.cachedCrl = { der, until: now.getTime() + 60_000 }
    return der
  }
}

/** SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 } (RFC 5035; SHA-256 = Vorgabe, weggelassen) */
function signingCertificateV2(k: KeyPairFromP12): asn1js.Sequence {
  const issuerSerial = new asn1js.Sequence({
    value: [
      new asn1js.Sequence({
        value: [
          new asn1js.Constructed({
            idBlock: { tagClass: 3, tagNumber: 4 },
            value: [k.certificate.issuer.toSchema()],
          }),
        ],
      }),
      k.certificate.serialNumber,
    ],
  })
  const id = new asn1js.Sequence({
    value: [new asn1js.OctetString({ valueHex: ab(sha256(k.certificateDer)) }), issuerSerial],
  })
  return new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [id] })] })
}
