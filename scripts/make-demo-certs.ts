/**
 * Erzeugt die DEMO-Zertifikate in assets/certs/ (nur für Demo und Tests, keine echten Personen).
 *
 *   npx tsx scripts/make-demo-certs.ts [--out assets/certs] [--password demo]
 *
 * - eine Demo-Wurzel-CA „Aktenfluss Demo-CA – NUR ZUM TESTEN“
 * - demo-sachbearbeiter.p12: natürliche Person „Jörg Weiß“ (fiktiv)
 * - demo-siegel.p12: Behördensiegel „Stadtverwaltung Görlitz — Siegel“ (Demo)
 * - demo-tsa.p12: Demo-Zeitstempeldienst (EKU timeStamping, kritisch) für hub/tsa
 * - demo-ca.p12: Schlüssel + Zertifikat der Demo-CA (hub/tsa stellt damit die Sperrliste aus)
 *
 * Alle End-Zertifikate tragen einen CRL-Verteilungspunkt ({@link DEMO_CRL_URL}); der Demo-Dienst
 * (hub/tsa, im Referenz-Hub eingehängt oder `npx tsx hub/tsa/cli.ts`) liefert dort die CRL.
 *
 * RSA-2048 (Schlüssel mit node:crypto erzeugt, schnell), Zertifikate und PKCS#12 mit node-forge.
 * Namen mit Umlauten werden als UTF8String kodiert (valueTagClass UTF8), das Land als
 * PrintableString. Key Usage: digitalSignature + nonRepudiation.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import forge from 'node-forge'

interface Party {
  file: string
  friendlyName: string
  subject: forge.pki.CertificateField[]
}

const UTF8 = forge.asn1.Type.UTF8

function utf8(name: string, value: string): forge.pki.CertificateField {
  return { name, value, valueTagClass: UTF8 } as unknown as forge.pki.CertificateField
}

function argValue(flag: string): string | undefined {
  const i = process.argv.indexOf(flag)
  return i >= 0 ? process.argv[i + 1] : undefined
}

function newKeyPair(): {
  privateKey: forge.pki.rsa.PrivateKey
  publicKey: forge.pki.rsa.PublicKey
} {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  })
  return {
    privateKey: forge.pki.privateKeyFromPem(privateKey),
    publicKey: forge.pki.publicKeyFromPem(publicKey),
  }
}

function serial(): string {
  const b = randomBytes(16)
  b[0] = ((b[0] ?? 0) & 0x7f) | 0x10 // positiv, 16 Byte
  return b.toString('hex')
}

const NOT_BEFORE = new Date(Date.UTC(2025, 0, 1, 0, 0, 0))
const NOT_AFTER = new Date(Date.UTC(2035, 11, 31, 23, 59, 59))
/** Fester Demo-Ort der Sperrliste (Standardport von hub/tsa/cli.ts). */
const DEMO_CRL_URL = 'http://127.0.0.1:8790/pki/demo-ca.crl'

function main(): void {
  const outDir = resolve(argValue('--out') ?? join(import.meta.dirname, '..', 'assets', 'certs'))
  const password = argValue('--password') ?? 'demo'
  mkdirSync(outDir, { recursive: true })

  // Demo-CA
  const caKeys = newKeyPair()
  const ca = forge.pki.createCertificate()
  ca.publicKey = caKeys.publicKey
  ca.serialNumber = serial()
  ca.validity.notBefore = NOT_BEFORE
  ca.validity.notAfter = NOT_AFTER
  const caSubject = [
    { name: 'countryName', value: 'DE' },
    utf8('organizationName', 'Aktenfluss Demo'),
    utf8('commonName', 'Aktenfluss Demo-CA – NUR ZUM TESTEN'),
  ]
  ca.setSubject(caSubject)
  ca.setIssuer(caSubject)
  ca.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ])
  ca.sign(caKeys.privateKey, forge.md.sha256.create())
  const caSki = ca.generateSubjectKeyIdentifier().getBytes()
  writeFileSync(join(outDir, 'demo-ca.pem'), forge.pki.certificateToPem(ca))

  writeFileSync(
    join(outDir, 'demo-ca.p12'),
    Buffer.from(
      forge.asn1
        .toDer(
          forge.pkcs12.toPkcs12Asn1(caKeys.privateKey, [ca], password, {
            algorithm: 'aes256',
            friendlyName: 'Aktenfluss Demo-CA',
            generateLocalKeyId: true,
          }),
        )
        .getBytes(),
      'binary',
    ),
  )

  const parties: Array<Party & { tsa?: boolean }> = [
    {
      file: 'demo-sachbearbeiter.p12',
      friendlyName: 'Jörg Weiß (Demo)',
      subject: [
        { name: 'countryName', value: 'DE' },
        utf8('localityName', 'Görlitz'),
        utf8('organizationName', 'Stadtverwaltung Görlitz (Demo)'),
        utf8('organizationalUnitName', 'Bürgeramt'),
        utf8('commonName', 'Jörg Weiß'),
      ],
    },
    {
      file: 'demo-siegel.p12',
      friendlyName: 'Stadtverwaltung Görlitz — Siegel (Demo)',
      subject: [
        { name: 'countryName', value: 'DE' },
        utf8('localityName', 'Görlitz'),
        utf8('organizationName', 'Stadtverwaltung Görlitz (Demo)'),
        utf8('commonName', 'Stadtverwaltung Görlitz — Siegel'),
      ],
    },
    {
      file: 'demo-tsa.p12',
      friendlyName: 'Aktenfluss Demo-Zeitstempeldienst',
      tsa: true,
      subject: [
        { name: 'countryName', value: 'DE' },
        utf8('organizationName', 'Aktenfluss Demo'),
        utf8('commonName', 'Aktenfluss Demo-Zeitstempeldienst – NUR ZUM TESTEN'),
      ],
    },
  ]

  for (const party of parties) {
    const keys = newKeyPair()
    const cert = forge.pki.createCertificate()
    cert.publicKey = keys.publicKey
    cert.serialNumber = serial()
    cert.validity.notBefore = NOT_BEFORE
    cert.validity.notAfter = NOT_AFTER
    cert.setSubject(party.subject)
    cert.setIssuer(caSubject)
    cert.setExtensions([
      { name: 'basicConstraints', cA: false, critical: true },
      party.tsa
        ? { name: 'keyUsage', digitalSignature: true, critical: true }
        : { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
      ...(party.tsa ? [{ name: 'extKeyUsage', timeStamping: true, critical: true }] : []),
      { name: 'subjectKeyIdentifier' },
      { name: 'authorityKeyIdentifier', keyIdentifier: caSki },
      { name: 'cRLDistributionPoints', altNames: [{ type: 6, value: DEMO_CRL_URL }] },
    ])
    cert.sign(caKeys.privateKey, forge.md.sha256.create())
    const p12 = forge.pkcs12.toPkcs12Asn1(keys.privateKey, [cert, ca], password, {
      algorithm: 'aes256',
      friendlyName: party.friendlyName,
      generateLocalKeyId: true,
    })
    const der = forge.asn1.toDer(p12).getBytes()
    writeFileSync(join(outDir, party.file), Buffer.from(der, 'binary'))
    console.log(`geschrieben: ${join(outDir, party.file)}`)
  }
  console.log(`Demo-Passwort: "${password}"`)
}

main()
