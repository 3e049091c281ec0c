/**
 * Figure 5 — notice: generate + sign (PAdES, `signNotice`) vs generate only (`renderNotice`),
 * same notice input, alternating, cycling through the procedures. Uses the colleagues' modules
 * main/lib/notices and main/lib/signature when they are there; n/a otherwise.
 * Second row: generate + sign + RFC 3161 timestamp + DSS with CRL (PAdES B-LT), the demo TSA
 * (hub/tsa) on loopback over HTTP, against the same generate-only reference.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { BenchContext } from '../lib/context'
import { latencyRow, sideBySide } from '../lib/measure'
import { pickFunction, tryImport } from '../lib/optional'
import type { Figure, Row } from '../lib/types'

const FIG = '5 notice'
const NAME = 'notice generate + sign (PAdES)'
const TARGET = 'median ≤ 150 ms, ≤ 2×'
const NAME_LT = 'notice generate + sign + timestamp (PAdES B-LT, TSA on loopback)'
const CERT = join('assets', 'certs', 'demo-sachbearbeiter.p12')
const CERT_PASSWORD = 'demo'

export const figure: Figure = {
  id: 'notices',
  title: 'notice generate + sign',
  async run(ctx: BenchContext): Promise<Row[]> {
    const na = (reason: string): Row[] => [
      { figure: FIG, name: NAME, unit: 'ms', target: TARGET, verdict: 'n/a', note: reason },
    ]
    const notices = await tryImport(ctx.config.root, 'main/lib/notices/index')
    if (!notices.ok) return na(notices.reason)
    const signature = await tryImport(ctx.config.root, 'main/lib/signature/index')
    if (!signature.ok) return na(signature.reason)
    const render = pickFunction(notices.mod, ['renderNotice'])
    const sign = pickFunction(notices.mod, ['signNotice'])
    const sample = pickFunction(notices.mod, ['sampleNoticeInput'])
    const list = pickFunction(notices.mod, ['listProcedureIds'])
    const loadP12 = pickFunction(signature.mod, ['loadPkcs12'])
    if (!render || !sign || !sample || !loadP12) {
      const missing = Object.entries({
        renderNotice: render,
        signNotice: sign,
        sampleNoticeInput: sample,
        loadPkcs12: loadP12,
      })
        .filter(([, f]) => !f)
        .map(([n]) => n)
      return na(`not exported yet: ${missing.join(', ')}`)
    }
    const certFile = join(ctx.config.root, CERT)
    if (!existsSync(certFile)) return na(`${CERT} missing`)

    const identity = await loadP12.fn(readFileSync(certFile), CERT_PASSWORD)
    const tsaHttp = await tryImport(ctx.config.root, 'hub/tsa/http')
    const tsSource = pickFunction(signature.mod, ['httpTimestampSource'])
    const crlSource = pickFunction(signature.mod, ['cdpRevocationSource'])
    const startTsa = tsaHttp.ok ? pickFunction(tsaHttp.mod, ['startDemoTsaServer']) : undefined
    const ids = list ? (list.fn() as string[]) : ['wohngeld']
    const inputs = ids.map((id) => sample.fn(id))
    const now = new Date('2026-11-27T09:00:00Z')
    const input = (i: number) => inputs[i % inputs.length]
    let bytesSigned = 0
    let bytesPlain = 0
    const pair = await sideBySide({
      warmup: 5,
      runs: Math.max(ctx.config.runs, 20),
      measured: async (i) => {
        bytesSigned = ((await sign.fn(input(i), identity, { signingTime: now, now })) as Uint8Array)
          .length
      },
      reference: async (i) => {
        bytesPlain = ((await render.fn(input(i), { now })) as Uint8Array).length
      },
    })
    const rows: Row[] = [
      latencyRow({
        figure: FIG,
        name: NAME,
        pair,
        referenceLabel: 'generate only',
        medianMax: 150,
        ratioMax: 2,
        target: TARGET,
        note: `${ids.length} procedures cycled; last PDFs ${Math.round(bytesPlain / 1024)} KB plain, ${Math.round(bytesSigned / 1024)} KB signed`,
      }),
    ]
    if (!startTsa || !tsSource || !crlSource) {
      rows.push({
        figure: FIG,
        name: NAME_LT,
        unit: 'ms',
        target: TARGET,
        verdict: 'n/a',
        note: tsaHttp.ok
          ? 'httpTimestampSource/cdpRevocationSource not exported yet'
          : tsaHttp.reason,
      })
      return rows
    }
    const tsa = (await startTsa.fn({ port: 0 })) as {
      tsaUrl: string
      crlUrl: string
      close(): Promise<void>
    }
    try {
      const ltv = {
        timestamp: tsSource.fn(tsa.tsaUrl),
        revocation: crlSource.fn({ rewrite: () => tsa.crlUrl }),
      }
      let bytesLt = 0
      const pairLt = await sideBySide({
        warmup: 5,
        runs: Math.max(ctx.config.runs, 20),
        measured: async (i) => {
          bytesLt = (
            (await sign.fn(input(i), identity, { signingTime: now, now, ltv })) as Uint8Array
          ).length
        },
        reference: async (i) => {
          bytesPlain = ((await render.fn(input(i), { now })) as Uint8Array).length
        },
      })
      rows.push(
        latencyRow({
          figure: FIG,
          name: NAME_LT,
          pair: pairLt,
          referenceLabel: 'generate only',
          medianMax: 150,
          ratioMax: 2,
          target: TARGET,
          note: `demo TSA + CRL over HTTP on 127.0.0.1; last PDF ${Math.round(bytesLt / 1024)} KB (timestamp token, DSS with 3 certificates and a CRL)`,
        }),
      )
    } finally {
      await tsa.close()
    }
    return rows
  },
}
