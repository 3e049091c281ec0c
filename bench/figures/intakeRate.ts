/**
 * Figure 14 — ingest throughput against the RSA-bound rate of all cores: one `sync.run` of a
 * desk wired to the reference hub with N submissions (BENCH_POOL_COUNT, 1,000), in submissions
 * per second [≥ 2/3 of the reference]. Reference in the same run: every JWE (metadata, data,
 * attachments) of a sample of the same submissions (BENCH_POOL_RSA_SAMPLE, 200), fetched into
 * memory first, then decrypted with jose in as many worker threads as the machine has cores,
 * all starting together — submissions/s with nothing but the RSA-OAEP unwrap and AES-GCM.
 */
import { availableParallelism } from 'node:os'
import type { BenchContext } from '../lib/context'
import { decryptInThreads, fetchTokens, startIntakeRig } from '../lib/intakeRig'
import { summarize } from '../lib/stats'
import type { Figure, Row } from '../lib/types'

const FIG = '14 intake rate'
const TARGET = '≥ 2/3 of RSA-bound (all cores)'

export const figure: Figure = {
  id: 'intakeRate',
  title: 'ingest throughput vs the RSA-bound rate',
  async run(ctx: BenchContext): Promise<Row[]> {
    const n = Number(process.env.BENCH_POOL_COUNT ?? 1000)
    const rig = await startIntakeRig(ctx, n)
    const sample = rig.refs.slice(0, Number(process.env.BENCH_POOL_RSA_SAMPLE ?? 200))
    const tokens = await fetchTokens(rig, sample)
    const cores = availableParallelism()
    const rsa = await decryptInThreads(
      tokens,
      rig.decryptionKey,
      cores,
      import.meta.resolve('jose'),
    )
    const rsaRate = sample.length / (rsa.ms / 1000)

    const t0 = performance.now()
    const result = await rig.desk.call<{
      intake: { accepted: number; rejected: number; total: number }
      error: string | null
    }>('sync.run', {})
    const ms = performance.now() - t0
    const done = result.intake.accepted + result.intake.rejected
    const rate = done / (ms / 1000)
    const ratio = rate / rsaRate
    const complete = done === rig.refs.length && !result.error
    return [
      {
        figure: FIG,
        name: `ingest ${rig.refs.length.toLocaleString('en')} submissions (sync.run), submissions/s`,
        unit: 'ops/s',
        value: summarize([rate]),
        reference: summarize([rsaRate]),
        referenceLabel: `RSA-bound, ${cores} threads`,
        ratio,
        target: TARGET,
        verdict: ratio >= 2 / 3 && complete ? 'pass' : 'fail',
        note: `${done} of ${rig.refs.length} in ${Math.round(ms)} ms (${result.intake.accepted} accepted, ${result.intake.rejected} rejected${result.error ? `, error: ${result.error}` : ''}); reference: ${rsa.jwes} JWEs of ${sample.length} submissions in ${Math.round(rsa.ms)} ms on ${cores} threads; single run each`,
        extra: {
          submissions: rig.refs.length,
          passMs: Math.round(ms),
          rsaSample: sample.length,
          rsaJwes: rsa.jwes,
          rsaMs: Math.round(rsa.ms),
          threads: cores,
        },
      },
    ]
  },
}
