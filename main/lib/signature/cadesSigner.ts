/**
 * CMS-Signer für PAdES Baseline B (ETSI EN 319 142-1) auf pkijs.
 *
 * SignedData, detached (kein eContent), ein SignerInfo mit den signierten Attributen
 *   contentType (id-data), messageDigest (SHA-256 über die ByteRange) und
 *   signingCertificateV2 (ESS, RFC 5035: SHA-256-Hash des Zertifikats + IssuerSerial).
 * KEIN signingTime-Attribut: bei PAdES steht die Zeit im Signaturwörterbuch (/M).
 * Das Signaturzertifikat (und die Kette aus der .p12) wird eingebettet.
 *
 * PAdES B-T: mit einer {@link TimestampSource} kommt ein RFC-3161-Zeitstempel über den
 * Signaturwert als unsigniertes Attribut id-aa-signatureTimeStampToken hinzu (RFC 3161 Anhang A).
 */
import { createHash, webcrypto } from 'node:crypto'
import { Signer } from '@signpdf/utils'
import * as asn1js from 'asn1js'
import * as pkijs from 'pkijs'
import type { SigningIdentity } from './identity'
import type { TimestampSource } from './timestamp'

const OID_DATA = '1.2.840.113549.1.7.1'
const OID_SIGNED_DATA = '1.2.840.113549.1.7.2'
const OID_CONTENT_TYPE = '1.2.840.113549.1.9.3'
const OID_MESSAGE_DIGEST = '1.2.840.113549.1.9.4'
const OID_SIGNING_CERTIFICATE_V2 = '1.2.840.113549.1.9.16.2.47'
export const OID_SIGNATURE_TIMESTAMP_TOKEN = '1.2.840.113549.1.9.16.2.14'

export const engine = new pkijs.CryptoEngine({ name: 'node-webcrypto', crypto: webcrypto as never }) // Node-WebCrypto; der DOM-Typ Crypto fehlt in lib ES2023

function sha256(data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(data).digest())
}

function toArrayBuffer(u8: Uint8Array): ArrayBuffer {
  return u8.buffer.slice(u8.byteOffset, u8.byteOffset + u8.byteLength) as ArrayBuffer
}

/** SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 } (hashAlgorithm = SHA-256, DEFAULT → weggelassen) */
export function signingCertificateV2(
  identity: Pick<SigningIdentity, 'certificate' | 'certificateDer'>,
): asn1js.Sequence {
  const cert = identity.certificate
  const issuerSerial = new asn1js.Sequence({
    value: [
      // GeneralNames ::= SEQUENCE OF GeneralName; directoryName [4] EXPLICIT Name
      new asn1js.Sequence({
        value: [
          new asn1js.Constructed({
            idBlock: { tagClass: 3, tagNumber: 4 },
            value: [cert.issuer.toSchema()],
          }),
        ],
      }),
      cert.serialNumber,
    ],
  })
  const essCertIdV2 = new asn1js.Sequence({
    value: [
      new asn1js.OctetString({ valueHex: toArrayBuffer(sha256(identity.certificateDer)) }),
      issuerSerial,
    ],
  })
  return new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertIdV2] })] })
}

const parsedCerts = new Map<string, pkijs.Certificate>()

/**
 * Zertifikat aus DER, zwischengespeichert (der Schema-Abgleich von pkijs kostet je Zertifikat
 * 1–3 ms; Kette und TSA-Zertifikat sind bei jeder Signatur dieselben). Höchstens 64 Einträge.
 */
export function parseCertificateCached(der: Uint8Array): pkijs.Certificate {
  const key = createHash('sha256').update(der).digest('base64')
  let cert = parsedCerts.get(key)
  if (!cert) {
    if (parsedCerts.size >= 64) parsedCerts.clear()
    cert = new pkijs.Certificate({ schema: asn1js.fromBER(toArrayBuffer(der)).result })
    parsedCerts.set(key, cert)
  }
  return cert
}

/** Erzeugt die CMS-Struktur (DER) für die übergebenen, zu signierenden Bytes. */
export async function createCadesDetachedSignature(
  content: Uint8Array,
  identity: SigningIdentity,
  timestamp?: TimestampSource,
): Promise<Uint8Array> {
  const cert = identity.certificate
  const chain = identity.chainDer.map(parseCertificateCached)

  // DER-Reihenfolge des SET OF (nach Kodierung sortiert): contentType < messageDigest < signingCertificateV2
  const signedAttrs = new pkijs.SignedAndUnsignedAttributes({
    type: 0,
    attributes: [
      new pkijs.Attribute({
        type: OID_CONTENT_TYPE,
        values: [new asn1js.ObjectIdentifier({ value: OID_DATA })],
      }),
      new pkijs.Attribute({
        type: OID_MESSAGE_DIGEST,
        values: [new asn1js.OctetString({ valueHex: toArrayBuffer(sha256(content)) })],
      }),
      new pkijs.Attribute({
        type: OID_SIGNING_CERTIFICATE_V2,
        values: [signingCertificateV2(identity)],
      }),
    ],
  })

  const signedData = new pkijs.SignedData({
    version: 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID_DATA }),
    signerInfos: [
      new pkijs.SignerInfo({
        version: 1,
        sid: new pkijs.IssuerAndSerialNumber({
          issuer: cert.issuer,
          serialNumber: cert.serialNumber,
        }),
        signedAttrs,
      }),
    ],
    certificates: [cert, ...chain],
  })
  await signedData.sign(identity.privateKey, 0, 'SHA-256', undefined, engine)
  const signerInfo = signedData.signerInfos[0]
  if (timestamp && signerInfo) {
    // Zeitstempel über den Wert des Feldes signature (ohne Tag und Länge)
    const token = await timestamp(sha256(signerInfo.signature.valueBlock.valueHexView))
    signerInfo.unsignedAttrs = new pkijs.SignedAndUnsignedAttributes({
      type: 1,
      attributes: [
        new pkijs.Attribute({
          type: OID_SIGNATURE_TIMESTAMP_TOKEN,
          values: [asn1js.fromBER(toArrayBuffer(token)).result],
        }),
      ],
    })
  }

  const contentInfo = new pkijs.ContentInfo({
    contentType: OID_SIGNED_DATA,
    content: signedData.toSchema(true),
  })
  return new Uint8Array(contentInfo.toSchema().toBER(false))
}

/** @signpdf-Signer: bekommt die PDF-Bytes ohne /Contents-Platzhalter (= ByteRange) und liefert CMS-DER. */
export class PadesCmsSigner extends Signer {
  constructor(
    private readonly identity: SigningIdentity,
    private readonly timestamp?: TimestampSource,
  ) {
    super()
  }

  override async sign(pdfBuffer: Buffer): Promise<Buffer> {
    return Buffer.from(await createCadesDetachedSignature(pdfBuffer, this.identity, this.timestamp))
  }
}
