/**
 * RFC-3161-Zeitstempel (Time-Stamp Protocol) auf pkijs: Anfrage bauen, Antwort prüfen, Token lesen.
 *
 * Eine {@link TimestampSource} bekommt den SHA-256-Hash der zu stempelnden Daten und liefert das
 * TimeStampToken (ContentInfo/SignedData mit TSTInfo, DER). Produktiv: {@link httpTimestampSource}
 * mit der URL eines (qualifizierten) Zeitstempeldienstes; Demo/Tests: hub/tsa (per HTTP auf
 * loopback oder im Prozess).
 */
import { randomBytes } from 'node:crypto'
import * as asn1js from 'asn1js'
import * as pkijs from 'pkijs'

export const OID_SHA256 = '2.16.840.1.101.3.4.2.1'
export const OID_CT_TSTINFO = '1.2.840.113549.1.9.16.1.4'
const OID_SIGNED_DATA = '1.2.840.113549.1.7.2'

export type TimestampSource = (sha256Digest: Uint8Array) => Promise<Uint8Array>

export class TimestampError extends Error {
  override readonly name = 'TimestampError'
}

function ab(u8: Uint8Array): ArrayBuffer {
  return u8.buffer.slice(u8.byteOffset, u8.byteOffset + u8.byteLength) as ArrayBuffer
}

export interface TimestampRequest {
  der: Uint8Array
  nonce: Uint8Array
}

export function buildTimestampRequest(sha256Digest: Uint8Array, nonce: Uint8Array = randomBytes(8)): TimestampRequest {
  const n = new Uint8Array(nonce)
  n[0] = ((n[0] ?? 0) & 0x7f) | 0x01 // positiv, minimal kodiert
  const req = new pkijs.TimeStampReq({
    version: 1,
    messageImprint: new pkijs.MessageImprint({
      hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID_SHA256 }),
      hashedMessage: new asn1js.OctetString({ valueHex: ab(sha256Digest) }),
    }),
    nonce: new asn1js.Integer({ valueHex: ab(n) }),
    certReq: true,
  })
  return { der: new Uint8Array(req.toSchema().toBER(false)), nonce: n }
}

export interface TstInfoLite {
  policy: string
  hashAlgorithm: string
  hashedMessage: Uint8Array
  serialNumber: Uint8Array
  genTime: Date
  nonce?: Uint8Array
}

export interface TimestampToken {
  /** ContentInfo-DER, so wie er als Attribut eingebettet wird */
  der: Uint8Array
  /** DER des TSTInfo (eContent) */
  tstInfoDer: Uint8Array
  tstInfo: TstInfoLite
  genTime: Date
  /** Zertifikate im Token (DER), i. d. R. das TSA-Zertifikat */
  certificatesDer: Uint8Array[]
}

// Die Struktur wird von Hand durchlaufen (asn1js ohne Schema): der Schema-Abgleich von pkijs für
// SignedData kostet hier mehrere Millisekunden je Zeitstempel; geprüft wird die Signatur des Tokens
// ohnehin erst in der Validierung (ltvVerify.ts).
function children(b: asn1js.AsnType | undefined): asn1js.AsnType[] {
  const v = (b as asn1js.Constructed | undefined)?.valueBlock?.value
  return Array.isArray(v) ? (v) : []
}

function isContext(b: asn1js.AsnType | undefined, n: number): boolean {
  return !!b && b.idBlock.tagClass === 3 && b.idBlock.tagNumber === n
}

function bytesOf(b: asn1js.AsnType): Uint8Array {
  return new Uint8Array(b.valueBeforeDecodeView)
}

export function parseTimestampToken(der: Uint8Array): TimestampToken {
  const asn = asn1js.fromBER(ab(der))
  if (asn.offset === -1) throw new TimestampError('Zeitstempel: kein gültiges ASN.1.')
  const [type, content] = children(asn.result)
  if (!(type instanceof asn1js.ObjectIdentifier) || type.valueBlock.toString() !== OID_SIGNED_DATA) throw new TimestampError('Zeitstempel: kein SignedData.')
  const sd = children(children(content)[0])
  const encap = children(sd[2])
  if (!(encap[0] instanceof asn1js.ObjectIdentifier) || encap[0].valueBlock.toString() !== OID_CT_TSTINFO) {
    throw new TimestampError('Zeitstempel: Inhalt ist kein TSTInfo.')
  }
  const octets = children(encap[1])[0]
  if (!(octets instanceof asn1js.OctetString)) throw new TimestampError('Zeitstempel: TSTInfo fehlt.')
  const tstInfoDer = new Uint8Array(octets.getValue())
  const tstInfo = readTstInfo(tstInfoDer)
  const certs = sd.find((b, i) => i > 2 && isContext(b, 0))
  const certificatesDer = children(certs).filter((c) => c instanceof asn1js.Sequence).map(bytesOf)
  return { der, tstInfoDer, tstInfo, genTime: tstInfo.genTime, certificatesDer }
}

/** TSTInfo (RFC 3161, 2.4.2) ohne Schema-Abgleich. */
export function readTstInfo(der: Uint8Array): TstInfoLite {
  const [version, policy, imprint, serial, genTime, ...opt] = children(asn1js.fromBER(ab(der)).result)
  const [alg, hashed] = children(imprint)
  const oid = children(alg)[0]
  if (
    !(version instanceof asn1js.Integer) ||
    !(policy instanceof asn1js.ObjectIdentifier) ||
    !(oid instanceof asn1js.ObjectIdentifier) ||
    !(hashed instanceof asn1js.OctetString) ||
    !(serial instanceof asn1js.Integer) ||
    !(genTime instanceof asn1js.GeneralizedTime)
  ) {
    throw new TimestampError('Zeitstempel: TSTInfo fehlerhaft.')
  }
  const nonce = opt.find((o) => o instanceof asn1js.Integer)
  return {
    policy: policy.valueBlock.toString(),
    hashAlgorithm: oid.valueBlock.toString(),
    hashedMessage: new Uint8Array(hashed.valueBlock.valueHexView),
    serialNumber: new Uint8Array(serial.valueBlock.valueHexView),
    genTime: genTime.toDate(),
    ...(nonce ? { nonce: new Uint8Array(nonce.valueBlock.valueHexView) } : {}),
  }
}

/** Prüft eine TimeStampResp gegen die Anfrage (Status, Hash, Nonce) und gibt das Token-DER zurück. */
export function tokenFromResponse(respDer: Uint8Array, sha256Digest: Uint8Array, req: TimestampRequest): Uint8Array {
  const asn = asn1js.fromBER(ab(respDer))
  if (asn.offset === -1) throw new TimestampError('Zeitstempeldienst: Antwort ist kein ASN.1.')
  const [statusInfo, tokenAsn] = children(asn.result)
  const [statusInt, ...rest] = children(statusInfo)
  const status = statusInt instanceof asn1js.Integer ? statusInt.valueBlock.valueDec : -1
  if (status !== 0 && status !== 1) {
    const text = children(rest[0]).map((t) => (t instanceof asn1js.Utf8String ? t.valueBlock.value : '')).join('; ')
    throw new TimestampError(`Zeitstempeldienst hat abgelehnt (Status ${status}${text ? `: ${text}` : ''}).`)
  }
  if (!tokenAsn) throw new TimestampError('Zeitstempeldienst: Antwort ohne Token.')
  const der = bytesOf(tokenAsn)
  const { tstInfo } = parseTimestampToken(der)
  if (tstInfo.hashAlgorithm !== OID_SHA256 || !Buffer.from(tstInfo.hashedMessage).equals(Buffer.from(sha256Digest))) {
    throw new TimestampError('Zeitstempel passt nicht zur Anfrage (messageImprint).')
  }
  if (!tstInfo.nonce || !Buffer.from(tstInfo.nonce).equals(Buffer.from(req.nonce))) {
    throw new TimestampError('Zeitstempel passt nicht zur Anfrage (nonce).')
  }
  return der
}

/** Zeitstempel über HTTP (RFC 3161, Abschnitt 3.4: application/timestamp-query → -reply). */
export function httpTimestampSource(url: string, opts: { timeoutMs?: number; headers?: Record<string, string> } = {}): TimestampSource {
  return async (digest) => {
    const req = buildTimestampRequest(digest)
    let res: Response
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/timestamp-query', accept: 'application/timestamp-reply', ...opts.headers },
        body: req.der,
        signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
      })
    } catch (e) {
      throw new TimestampError(`Zeitstempeldienst ${url} nicht erreichbar: ${e instanceof Error ? e.message : String(e)}`, { cause: e })
    }
    if (!res.ok) throw new TimestampError(`Zeitstempeldienst ${url}: HTTP ${res.status}`)
    return tokenFromResponse(new Uint8Array(await res.arrayBuffer()), digest, req)
  }
}

/** Zeitstempel von einem Dienst im selben Prozess (Demo, Tests): gleicher Anfrage-/Prüfweg wie über HTTP. */
export function localTimestampSource(respond: (timeStampReqDer: Uint8Array) => Promise<Uint8Array>): TimestampSource {
  return async (digest) => {
    const req = buildTimestampRequest(digest)
    return tokenFromResponse(await respond(req.der), digest, req)
  }
}
