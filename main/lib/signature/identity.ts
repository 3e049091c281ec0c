/**
 * Signaturidentität aus einer PKCS#12-Datei (.p12/.pfx).
 *
 * node-forge entpackt den Container (MAC-Prüfung, PBES2/3DES-Entschlüsselung). Das Zertifikat
 * wird dabei NICHT über forge neu kodiert (forge kodiert Nicht-ASCII-Namen beim Zurückschreiben
 * doppelt), sondern die Original-DER-Bytes aus dem CertBag werden übernommen und mit pkijs
 * gelesen. Der private Schlüssel wird als nicht exportierbarer WebCrypto-Schlüssel importiert.
 */
import { webcrypto } from 'node:crypto'
import * as asn1js from 'asn1js'
import forge from 'node-forge'
import * as pkijs from 'pkijs'

export interface SigningIdentity {
  /** DER des Signaturzertifikats (unverändert aus der Datei). */
  readonly certificateDer: Uint8Array
  /** Weitere Zertifikate aus dem Container (Kette), DER. */
  readonly chainDer: readonly Uint8Array[]
  readonly certificate: pkijs.Certificate
  readonly privateKey: webcrypto.CryptoKey
  /** commonName des Inhabers, z. B. „Jörg Weiß“. */
  readonly commonName: string
  /** Lesbarer Distinguished Name, z. B. „CN=Jörg Weiß, OU=Bürgeramt, O=…, C=DE“. */
  readonly subject: string
  readonly issuer: string
  readonly notBefore: Date
  readonly notAfter: Date
}

export type CertificateErrorCode =
  'WRONG_PASSWORD' | 'INVALID_FILE' | 'NO_KEY' | 'NO_CERTIFICATE' | 'UNSUPPORTED_KEY'

/** Typisierter Fehler beim Laden eines Zertifikats; `message` ist deutsch und für die UI gedacht. */
export class CertificateError extends Error {
  override readonly name = 'CertificateError'
  constructor(
    readonly code: CertificateErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

/** Falsches Passwort: „Das Passwort des Zertifikats ist falsch.“ */
export class WrongCertificatePasswordError extends CertificateError {
  constructor(options?: { cause?: unknown }) {
    super('WRONG_PASSWORD', 'Das Passwort des Zertifikats ist falsch.', options)
  }
}

const SHORT_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.5': 'SERIALNUMBER',
  '2.5.4.4': 'SN',
  '2.5.4.42': 'GN',
  '1.2.840.113549.1.9.1': 'E',
}

function attrValue(tv: pkijs.AttributeTypeAndValue): string {
  const v = tv.value as unknown as { valueBlock?: { value?: unknown } }
  const raw = v.valueBlock?.value
  return typeof raw === 'string' ? raw : ''
}

/** Distinguished Name in der üblichen Anzeige-Reihenfolge (CN zuerst). */
export function formatName(name: pkijs.RelativeDistinguishedNames): string {
  return name.typesAndValues
    .map((tv) => `${SHORT_NAMES[tv.type] ?? tv.type}=${attrValue(tv)}`)
    .reverse()
    .join(', ')
}

export function commonNameOf(name: pkijs.RelativeDistinguishedNames): string {
  const cn = name.typesAndValues.find((tv) => tv.type === '2.5.4.3')
  return cn ? attrValue(cn) : formatName(name)
}

function toBytes(binary: string): Uint8Array {
  return Uint8Array.from(Buffer.from(binary, 'binary'))
}

function parseCertificate(der: Uint8Array): pkijs.Certificate {
  const asn = asn1js.fromBER(der)
  if (asn.offset === -1)
    throw new CertificateError('INVALID_FILE', 'Das Zertifikat im Container ist nicht lesbar.')
  return new pkijs.Certificate({ schema: asn.result })
}

/**
 * Lädt eine Signaturidentität aus PKCS#12-Bytes.
 * @throws WrongCertificatePasswordError bei falschem Passwort
 * @throws CertificateError bei kaputter Datei, fehlendem Schlüssel oder Zertifikat
 */
export async function loadPkcs12(p12Bytes: Uint8Array, password: string): Promise<SigningIdentity> {
  let p12: forge.pkcs12.Pkcs12Pfx
  try {
    const asn = forge.asn1.fromDer(
      forge.util.createBuffer(Buffer.from(p12Bytes).toString('binary')),
    )
    p12 = forge.pkcs12.pkcs12FromAsn1(asn, false, password)
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e)
    if (/password|MAC could not be verified|decrypt/i.test(msg))
      throw new WrongCertificatePasswordError({ cause: e })
    throw new CertificateError(
      'INVALID_FILE',
      'Die Zertifikatsdatei ist beschädigt oder keine PKCS#12-Datei (.p12/.pfx).',
      { cause: e },
    )
  }

  const keyBags = [
    ...(p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag ?? '' })[
      forge.pki.oids.pkcs8ShroudedKeyBag ?? ''
    ] ?? []),
    ...(p12.getBags({ bagType: forge.pki.oids.keyBag ?? '' })[forge.pki.oids.keyBag ?? ''] ?? []),
  ]
  const key = keyBags.find((b) => b.key)?.key
  if (!key)
    throw new CertificateError('NO_KEY', 'Die Zertifikatsdatei enthält keinen privaten Schlüssel.')
  if (typeof key.n === 'undefined')
    throw new CertificateError('UNSUPPORTED_KEY', 'Nur RSA-Schlüssel werden unterstützt.')

  const certBags =
    p12.getBags({ bagType: forge.pki.oids.certBag ?? '' })[forge.pki.oids.certBag ?? ''] ?? []
  let signerDer: Uint8Array | undefined
  const chain: Uint8Array[] = []
  for (const bag of certBags) {
    // certificateToAsn1 nimmt die beim Lesen zwischengespeicherte Original-TBSCertificate-Struktur
    // (keine Neukodierung der Namen); nicht lesbare Zertifikate liegen als bag.asn1 vor.
    const raw = bag.cert
      ? forge.pki.certificateToAsn1(bag.cert)
      : (bag as unknown as { asn1?: forge.asn1.Asn1 }).asn1
    if (!raw) continue
    const der = toBytes(forge.asn1.toDer(raw).getBytes())
    const pub = bag.cert?.publicKey as forge.pki.rsa.PublicKey | undefined
    if (!signerDer && pub && pub.n?.equals(key.n) && pub.e?.equals(key.e)) signerDer = der
    else chain.push(der)
  }
  if (!signerDer)
    throw new CertificateError(
      'NO_CERTIFICATE',
      'Zum privaten Schlüssel fehlt das passende Zertifikat in der Datei.',
    )

  const pkcs8 = toBytes(
    forge.asn1.toDer(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(key))).getBytes(),
  )
  const privateKey = await webcrypto.subtle.importKey(
    'pkcs8',
    pkcs8,
    { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
    false,
    ['sign'],
  )

  const certificate = parseCertificate(signerDer)
  return {
    certificateDer: signerDer,
    chainDer: chain,
    certificate,
    privateKey,
    commonName: commonNameOf(certificate.subject),
    subject: formatName(certificate.subject),
    issuer: formatName(certificate.issuer),
    notBefore: certificate.notBefore.value,
    notAfter: certificate.notAfter.value,
  }
}
