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

export function buildTimestampRequest(
  sha256Digest: Uint8Array,
  nonce: Uint8Array = randomBytes(8),
): TimestampRequest {
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

// Hot path ohne asn1js-Objektbaum: ein DER-TLV-Leser schneidet nur die Teile heraus (asn1js
// zerlegt sonst das ganze Token samt Zertifikat, ~1 ms je Durchgang); geprüft wird die Signatur des
// Tokens ohnehin erst in der Validierung (ltvVerify.ts).
interface Tlv {
  tag: number
  /** Beginn des Kopfs */
  start: number
  /** Beginn des Inhalts */
  body: number
  end: number
}

function tlv(buf: Uint8Array, at: number, limit = buf.length): Tlv {
  const tag = buf[at]
  let len = buf[at + 1]
  if (tag === undefined || len === undefined || (tag & 0x1f) === 0x1f)
    throw new TimestampError('Zeitstempel: kein DER.')
  let body = at + 2
  if (len & 0x80) {
    const n = len & 0x7f
    if (n === 0 || n > 4) throw new TimestampError('Zeitstempel: kein DER (unbestimmte Länge).')
    len = 0
    for (let i = 0; i < n; i++) len = len * 256 + (buf[body + i] ?? 0)
    body += n
  }
  const end = body + len
  if (end > limit) throw new TimestampError('Zeitstempel: Länge überschreitet die Daten.')
  return { tag, start: at, body, end }
}

function kids(buf: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = []
  for (let at = parent.body; at < parent.end;) {
    const t = tlv(buf, at, parent.end)
    out.push(t)
    at = t.end
  }
  return out
}

function oidIs(buf: Uint8Array, t: Tlv | undefined, dotted: string): boolean {
  if (!t || t.tag !== 0x06) return false
  const expected = new Uint8Array(new asn1js.ObjectIdentifier({ value: dotted }).toBER(false))
  return Buffer.from(buf.subarray(t.start, t.end)).equals(expected)
}

export function parseTimestampToken(der: Uint8Array): TimestampToken {
  const ci = tlv(der, 0)
  const [type, content] = kids(der, ci)
  if (!oidIs(der, type, OID_SIGNED_DATA) || !content || content.tag !== 0xa0)
    throw new TimestampError('Zeitstempel: kein SignedData.')
  const sdTlv = kids(der, content)[0]
  if (!sdTlv || sdTlv.tag !== 0x30) throw new TimestampError('Zeitstempel: kein SignedData.')
  const sd = kids(der, sdTlv)
  const encapTlv = sd[2]
  const encap = encapTlv ? kids(der, encapTlv) : []
  if (!oidIs(der, encap[0], OID_CT_TSTINFO))
    throw new TimestampError('Zeitstempel: Inhalt ist kein TSTInfo.')
  const explicit = encap[1]
  const octets = explicit && explicit.tag === 0xa0 ? kids(der, explicit)[0] : undefined
  if (!octets || octets.tag !== 0x04)
    throw new TimestampError('Zeitstempel: TSTInfo fehlt (oder nicht als DER).')
  const tstInfoDer = der.slice(octets.body, octets.end)
  const tstInfo = readTstInfo(tstInfoDer)
  const certs = sd.find((t, i) => i > 2 && t.tag === 0xa0)
  const certificatesDer = certs
    ? kids(der, certs)
        .filter((c) => c.tag === 0x30)
        .map((c) => der.slice(c.start, c.end))
    : []
  return { der, tstInfoDer, tstInfo, genTime: tstInfo.genTime, certificatesDer }
}

function children(b: asn1js.AsnType | undefined): asn1js.AsnType[] {
  const v = (b as asn1js.Constructed | undefined)?.valueBlock?.value
  return Array.isArray(v) ? v : []
}

/** TSTInfo (RFC 3161, 2.4.2) ohne Schema-Abgleich. */
export function readTstInfo(der: Uint8Array): TstInfoLite {
  const [version, policy, imprint, serial, genTime, ...opt] = children(
    asn1js.fromBER(ab(der)).result,
  )
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
export function tokenFromResponse(
  respDer: Uint8Array,
  sha256Digest: Uint8Array,
  req: TimestampRequest,
): Uint8Array {
  let statusTlv: Tlv | undefined
  let tokenTlv: Tlv | undefined
  try {
    ;[statusTlv, tokenTlv] = kids(respDer, tlv(respDer, 0))
  } catch {
    throw new TimestampError('Zeitstempeldienst: Antwort ist kein ASN.1.')
  }
  if (!statusTlv) throw new TimestampError('Zeitstempeldienst: Antwort ohne Status.')
  const [statusInt, ...rest] = children(
    asn1js.fromBER(ab(respDer.slice(statusTlv.start, statusTlv.end))).result,
  )
  const status = statusInt instanceof asn1js.Integer ? statusInt.valueBlock.valueDec : -1
  if (status !== 0 && status !== 1) {
    const text = children(rest[0])
      .map((t) => (t instanceof asn1js.Utf8String ? t.valueBlock.value : ''))
      .join('; ')
    throw new TimestampError(
      `Zeitstempeldienst hat abgelehnt (Status ${status}${text ? `: ${text}` : ''}).`,
    )
  }
  if (!tokenTlv) throw new TimestampError('Zeitstempeldienst: Antwort ohne Token.')
  const der = respDer.slice(tokenTlv.start, tokenTlv.end)
  const { tstInfo } = parseTimestampToken(der)
  if (
    tstInfo.hashAlgorithm !== OID_SHA256 ||
    !Buffer.from(tstInfo.hashedMessage).equals(Buffer.from(sha256Digest))
  ) {
    throw new TimestampError('Zeitstempel passt nicht zur Anfrage (messageImprint).')
  }
  if (!tstInfo.nonce || !Buffer.from(tstInfo.nonce).equals(Buffer.from(req.nonce))) {
    throw new TimestampError('Zeitstempel passt nicht zur Anfrage (nonce).')
  }
  return der
}

/** Zeitstempel über HTTP (RFC 3161, Abschnitt 3.4: application/timestamp-query → -reply). */
export function httpTimestampSource(
  url: string,
  opts: { timeoutMs?: number; headers?: Record<string, string> } = {},
): TimestampSource {
  return async (digest) => {
    const req = buildTimestampRequest(digest)
    let res: Response
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/timestamp-query',
          accept: 'application/timestamp-reply',
          ...opts.headers,
        },
        body: new Uint8Array(req.der), // a copy backed by a plain ArrayBuffer (BodyInit)
        signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
      })
    } catch (e) {
      throw new TimestampError(
        `Zeitstempeldienst ${url} nicht erreichbar: ${e instanceof Error ? e.message : String(e)}`,
        { cause: e },
      )
    }
    if (!res.ok) throw new TimestampError(`Zeitstempeldienst ${url}: HTTP ${res.status}`)
    return tokenFromResponse(new Uint8Array(await res.arrayBuffer()), digest, req)
  }
}

/** Zeitstempel von einem Dienst im selben Prozess (Demo, Tests): gleicher Anfrage-/Prüfweg wie über HTTP. */
export function localTimestampSource(
  respond: (timeStampReqDer: Uint8Array) => Promise<Uint8Array>,
): TimestampSource {
  return async (digest) => {
    const req = buildTimestampRequest(digest)
    return tokenFromResponse(await respond(req.der), digest, req)
  }
}
