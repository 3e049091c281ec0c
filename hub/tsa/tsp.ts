/**
 * Serverseite des Time-Stamp Protocol (RFC 3161): Anfrage lesen, Antwort verpacken – ohne
 * Schema-Abgleich (asn1js direkt; der pkijs-Schemaabgleich kostet mehrere Millisekunden).
 */
import * as asn1js from 'asn1js'

function ab(u8: Uint8Array): ArrayBuffer {
  return u8.buffer.slice(u8.byteOffset, u8.byteOffset + u8.byteLength) as ArrayBuffer
}

function children(b: asn1js.AsnType | undefined): asn1js.AsnType[] {
  const v = (b as asn1js.Constructed | undefined)?.valueBlock?.value
  return Array.isArray(v) ? v : []
}

/** TimeStampResp ::= SEQUENCE { status PKIStatusInfo (granted), timeStampToken } */
export function grantedResponse(tokenDer: Uint8Array): Uint8Array {
  const status = Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x00)
  const len = status.length + tokenDer.length
  const lenBytes =
    len < 0x80
      ? [len]
      : len < 0x100
        ? [0x81, len]
        : len < 0x10000
          ? [0x82, len >> 8, len & 0xff]
          : [0x83, len >> 16, (len >> 8) & 0xff, len & 0xff]
  return Buffer.concat([Uint8Array.of(0x30, ...lenBytes), status, tokenDer])
}

/** Liest eine TimeStampReq (RFC 3161, 2.4.1) ohne Schema-Abgleich. */
export function readTimestampRequest(der: Uint8Array): {
  hashAlgorithm: string
  digest: Uint8Array
  reqPolicy?: string
  nonce?: asn1js.Integer
  certReq: boolean
} {
  const asn = asn1js.fromBER(ab(der))
  if (asn.offset === -1 || !(asn.result instanceof asn1js.Sequence))
    throw new Error('TimeStampReq: kein DER.')
  const [version, imprint, ...opt] = children(asn.result)
  if (!(version instanceof asn1js.Integer) || version.valueBlock.valueDec !== 1)
    throw new Error('TimeStampReq: Version 1 erwartet.')
  const [alg, hashed] = children(imprint)
  const oid = children(alg)[0]
  if (!(oid instanceof asn1js.ObjectIdentifier) || !(hashed instanceof asn1js.OctetString))
    throw new Error('TimeStampReq: messageImprint fehlerhaft.')
  const out: ReturnType<typeof readTimestampRequest> = {
    hashAlgorithm: oid.valueBlock.toString(),
    digest: new Uint8Array(hashed.valueBlock.valueHexView),
    certReq: false,
  }
  for (const o of opt) {
    if (o instanceof asn1js.ObjectIdentifier) out.reqPolicy = o.valueBlock.toString()
    else if (o instanceof asn1js.Integer) out.nonce = o
    else if (o instanceof asn1js.Boolean) out.certReq = o.valueBlock.value
  }
  return out
}
