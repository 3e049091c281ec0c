/**
 * Schlüssel und Zertifikat aus einer Demo-.p12 (node-forge entpackt; das Zertifikat wird aus den
 * Original-DER-Bytes mit pkijs gelesen, damit UTF-8-Namen nicht neu kodiert werden). Eigenständig,
 * weil der Referenz-Hub keinen App-Code importiert.
 */
import { webcrypto } from 'node:crypto'
import { readFileSync } from 'node:fs'
import * as asn1js from 'asn1js'
import forge from 'node-forge'
import * as pkijs from 'pkijs'

export const engine = new pkijs.CryptoEngine({ name: 'node-webcrypto', crypto: webcrypto as never })

export interface KeyPairFromP12 {
  certificate: pkijs.Certificate
  certificateDer: Uint8Array
  privateKey: webcrypto.CryptoKey
}

export async function loadP12(file: string, password: string): Promise<KeyPairFromP12> {
  const asn = forge.asn1.fromDer(forge.util.createBuffer(readFileSync(file).toString('binary')))
  const p12 = forge.pkcs12.pkcs12FromAsn1(asn, false, password)
  const keyOid = forge.pki.oids.pkcs8ShroudedKeyBag ?? ''
  const key = (p12.getBags({ bagType: keyOid })[keyOid] ?? []).find((b) => b.key)?.key
  if (!key) throw new Error(`${file}: kein privater Schlüssel`)
  const certOid = forge.pki.oids.certBag ?? ''
  const bag = (p12.getBags({ bagType: certOid })[certOid] ?? []).find((b) => {
    const pub = b.cert?.publicKey as forge.pki.rsa.PublicKey | undefined
    return pub?.n.equals(key.n) === true
  })
  if (!bag?.cert) throw new Error(`${file}: kein passendes Zertifikat`)
  const der = Uint8Array.from(
    Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(bag.cert)).getBytes(), 'binary'),
  )
  const pkcs8 = Buffer.from(
    forge.asn1.toDer(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(key))).getBytes(),
    'binary',
  )
  const privateKey = await webcrypto.subtle.importKey(
    'pkcs8',
    pkcs8,
    { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
    false,
    ['sign'],
  )
  const certificate = new pkijs.Certificate({
    schema: asn1js.fromBER(der.buffer.slice(der.byteOffset, der.byteOffset + der.byteLength))
      .result,
  })
  return { certificate, certificateDer: der, privateKey }
}
