/**
 * Sperrinformationen für PAdES B-LT: CRLs zu den Zertifikaten einer Signatur beschaffen.
 *
 * Produktiv: {@link cdpRevocationSource} lädt die CRL vom CRL-Verteilungspunkt des Zertifikats
 * (HTTP); `rewrite` kann die URL umlenken (Proxy, Spiegel, Demo-Dienst auf anderem Port). Eine
 * geladene CRL wird bis zu ihrem nextUpdate (höchstens `maxAgeMs`, Standard 10 min) wieder-
 * verwendet: sie belegt den Sperrstatus für jeden Zeitpunkt bis nextUpdate.
 * OCSP ist vorgesehen (Feld `ocsps`), die Demo-PKI nutzt nur CRLs.
 */
import * as asn1js from 'asn1js'
import * as pkijs from 'pkijs'

export interface RevocationValues {
  crls: Uint8Array[]
  ocsps: Uint8Array[]
}

/** Liefert Sperrinformationen für ein (nicht selbst signiertes) Zertifikat. */
export type RevocationSource = (cert: pkijs.Certificate) => Promise<RevocationValues>

export class RevocationError extends Error {
  override readonly name = 'RevocationError'
}

const OID_CRL_DISTRIBUTION_POINTS = '2.5.29.31'

/** HTTP(S)-URLs aus der Erweiterung cRLDistributionPoints. */
export function crlDistributionPoints(cert: pkijs.Certificate): string[] {
  const ext = cert.extensions?.find((e) => e.extnID === OID_CRL_DISTRIBUTION_POINTS)
  const parsed = ext?.parsedValue as pkijs.CRLDistributionPoints | undefined
  const urls: string[] = []
  for (const dp of parsed?.distributionPoints ?? []) {
    const names = Array.isArray(dp.distributionPoint) ? dp.distributionPoint : []
    for (const n of names)
      if (n.type === 6 && typeof n.value === 'string' && /^https?:/i.test(n.value))
        urls.push(n.value)
  }
  return urls
}

export function isSelfSigned(cert: pkijs.Certificate): boolean {
  return Buffer.from(cert.subject.toSchema().toBER()).equals(
    Buffer.from(cert.issuer.toSchema().toBER()),
  )
}

export function cdpRevocationSource(
  opts: { rewrite?: (url: string) => string; timeoutMs?: number; maxAgeMs?: number } = {},
): RevocationSource {
  const cache = new Map<string, { der: Uint8Array; until: number }>()
  const maxAge = opts.maxAgeMs ?? 10 * 60_000
  return async (cert) => {
    const urls = crlDistributionPoints(cert)
    if (!urls.length)
      throw new RevocationError(
        `Zertifikat ohne CRL-Verteilungspunkt: ${Buffer.from(cert.serialNumber.valueBlock.valueHexView).toString('hex')}`,
      )
    const errors: string[] = []
    for (const raw of urls) {
      const url = opts.rewrite ? opts.rewrite(raw) : raw
      const hit = cache.get(url)
      if (hit && Date.now() < hit.until) return { crls: [hit.der], ocsps: [] }
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000) })
        if (!res.ok) throw new Error(`HTTP ${res.status}`)
        const der = new Uint8Array(await res.arrayBuffer())
        const asn = asn1js.fromBER(
          der.buffer.slice(der.byteOffset, der.byteOffset + der.byteLength),
        )
        if (asn.offset === -1) throw new Error('keine CRL (kein DER)')
        const next =
          new pkijs.CertificateRevocationList({ schema: asn.result }).nextUpdate?.value.getTime() ??
          0
        cache.set(url, { der, until: Math.min(next, Date.now() + maxAge) })
        return { crls: [der], ocsps: [] }
      } catch (e) {
        errors.push(`${url}: ${e instanceof Error ? e.message : String(e)}`)
      }
    }
    throw new RevocationError(`Sperrliste nicht abrufbar (${errors.join('; ')})`)
  }
}

/** Sperrliste von einem Dienst im selben Prozess (Demo, Tests): eine CRL für alle Zertifikate. */
export function localRevocationSource(crl: () => Promise<Uint8Array>): RevocationSource {
  return async () => ({ crls: [await crl()], ocsps: [] })
}
