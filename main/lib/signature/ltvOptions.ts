// Langzeitprüfbarkeit (PAdES B-T/B-LT/B-LTA): Optionen, Konfiguration, Sperrinformationen.
import type * as pkijs from 'pkijs'
import { cdpRevocationSource, isSelfSigned } from './revocation'
import type { RevocationSource, RevocationValues } from './revocation'
import { httpTimestampSource } from './timestamp'
import type { TimestampSource } from './timestamp'

/**
 * Langzeitprüfbarkeit aus der Umgebung (Betrieb): AKTENFLUSS_TSA_URL = RFC-3161-Dienst (HTTP),
 * Sperrlisten vom CRL-Verteilungspunkt der Zertifikate, AKTENFLUSS_CRL_URL lenkt alle um
 * (z. B. `${hub}/pki/demo-ca.crl` für den Demo-Hub). Ohne AKTENFLUSS_TSA_URL: undefined (B-B).
 */
export function ltvFromEnvironment(env: NodeJS.ProcessEnv = process.env): LtvOptions | undefined {
  const tsaUrl = env.AKTENFLUSS_TSA_URL?.trim()
  if (!tsaUrl) return undefined
  const crlUrl = env.AKTENFLUSS_CRL_URL?.trim()
  const key = `${tsaUrl}|${crlUrl ?? ''}`
  // dieselben Quellen für dieselbe Konfiguration (die CRL bleibt bis nextUpdate im Cache)
  if (envLtv?.key !== key) {
    envLtv = {
      key,
      ltv: {
        timestamp: httpTimestampSource(tsaUrl),
        revocation: cdpRevocationSource(crlUrl ? { rewrite: () => crlUrl } : {}),
      },
    }
  }
  return envLtv.ltv
}
let envLtv: { key: string; ltv: LtvOptions } | undefined

export interface LtvOptions {
  /** RFC-3161-Zeitstempeldienst (produktiv: qualifizierter TSA, httpTimestampSource) */
  timestamp: TimestampSource
  /** Sperrinformationen (CRL/OCSP) für Signatur- und TSA-Zertifikat; ohne: nur B-T */
  revocation?: RevocationSource
  /** zusätzlich Dokumentzeitstempel über Signatur + DSS (PAdES B-LTA); braucht `revocation` */
  documentTimestamp?: boolean
}

/**
 * Sperrinformation je Aussteller einmal (die Demo-CA und übliche CAs führen alle ihre
 * Zertifikate in einer CRL; partitionierte CRLs bräuchten den Abgleich über den Verteilungspunkt).
 */
export async function collectRevocation(
  certs: pkijs.Certificate[],
  source: RevocationSource,
  done: Set<string> = new Set(),
): Promise<{ values: RevocationValues; issuers: Set<string> }> {
  const issuers = new Set(done)
  const todo: pkijs.Certificate[] = []
  for (const c of certs) {
    if (isSelfSigned(c)) continue
    const key = Buffer.from(c.issuer.toSchema().toBER(false)).toString('base64')
    if (issuers.has(key)) continue
    issuers.add(key)
    todo.push(c)
  }
  const got = await Promise.all(todo.map((c) => source(c)))
  return {
    values: { crls: got.flatMap((g) => g.crls), ocsps: got.flatMap((g) => g.ocsps) },
    issuers,
  }
}
