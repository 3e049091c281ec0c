/**
 * Figure 6 — ingest of N submissions from the reference hub (list, fetch, decrypt, verify,
 * store, accept) vs download + decrypt only [≤ 1.5×].
 *
 * Measured through the stable scriptable API: a desk process started with
 * `--hub URL --hub-config hub.json` on an empty data folder, one `sync.run` over HTTP
 * (intake dominates: no outbox entries, no other desks). Reference in this process: list all
 * pending submissions with the desk's hub client, fetch each submission and its attachments,
 * decrypt every JWE with jose (concurrency 4, like openSubmissions) — nothing stored or acked,
 * so the hub is still full for the measured pass that follows.
 *
 * n/a until main/features/intake/intake.ts exists and the desk reports `hubConfigured`.
 * The seeded hub folder is cached in /tmp by N, seed and the hub's sources (seeding encrypts
 * and builds PDFs, which takes a while); every run works on a copy.
 */
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import type { BenchContext } from '../lib/context'
import { CACHE_ROOT, pruneStale } from '../lib/data'
import { startDeskProcess } from '../lib/desk'
import { tryImport } from '../lib/optional'
import { summarize } from '../lib/stats'
import type { Figure, Row } from '../lib/types'

const FIG = '6 ingest'
const TARGET = '≤ 1.5× download+decrypt'
const SEED = 'bench'

interface HubMeta {
  count: number
  seededAt: number
  seedMs: number
}

function sourcesHash(root: string): string {
  const h = createHash('sha256')
  const walk = (dir: string) => {
    for (const f of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const p = join(dir, f.name)
      if (f.isDirectory()) walk(p)
      else if (/\.(ts|json)$/.test(f.name) && !f.name.endsWith('.test.ts'))
        h.update(p).update(readFileSync(p))
    }
  }
  // only what shapes the seeded folder: the seeder, the store, the bootstrap and the procedures
  walk(join(root, 'hub', 'seed'))
  for (const f of ['hub/store.ts', 'hub/bootstrap.ts', 'hub/keys.ts', 'assets/procedures.json']) {
    const p = join(root, f)
    if (existsSync(p)) h.update(f).update(readFileSync(p))
  }
  walk(join(root, 'assets', 'procedures', 'schemas'))
  return h.digest('hex').slice(0, 12)
}

/** A seeded hub folder from the cache (seeding it first when needed), copied for this run. */
export async function seededHubDir(
  ctx: BenchContext,
  count: number,
): Promise<{ dir: string; meta: HubMeta }> {
  const { startHub } = await import('../../hub/server')
  const cacheDir = join(CACHE_ROOT, `hub-${count}-s${SEED}-${sourcesHash(ctx.config.root)}`)
  if (!existsSync(join(cacheDir, 'bench-meta.json'))) {
    ctx.log(`seeding the reference hub with ${count} submissions into ${cacheDir} …`)
    mkdirSync(CACHE_ROOT, { recursive: true })
    const staging = mkdtempSync(join(CACHE_ROOT, '.staging-hub-'))
    try {
      const hub = await startHub({ dataDir: staging })
      const seededAt = Date.now()
      const t0 = performance.now()
      try {
        // the seeder in its own process (`npm run hub:seed`), so building PDFs and encrypting
        // runs on the second core while this process serves the hub
        const code = await new Promise<number | null>((resolve, reject) => {
          const child = spawn(
            process.execPath,
            [
              '--import',
              'tsx',
              'hub/seed/cli.ts',
              '--hub',
              hub.url,
              '--hub-config',
              join(staging, 'hub.json'),
              '--count',
              String(count),
              '--seed',
              SEED,
              '--concurrency',
              '8',
            ],
            { cwd: ctx.config.root, stdio: ['ignore', 'ignore', 'inherit'] },
          )
          child.once('error', reject)
          child.once('exit', (c) => resolve(c))
        })
        if (code !== 0) throw new Error(`hub:seed exited with ${code}`)
      } finally {
        await hub.close()
      }
      const meta: HubMeta = { count, seededAt, seedMs: performance.now() - t0 }
      writeFileSync(join(staging, 'bench-meta.json'), JSON.stringify(meta))
      rmSync(cacheDir, { recursive: true, force: true })
      renameSync(staging, cacheDir)
      ctx.log(`seeded in ${(meta.seedMs / 1000).toFixed(1)} s`)
      pruneStale(`hub-${count}-s${SEED}-`, cacheDir)
    } catch (err) {
      rmSync(staging, { recursive: true, force: true })
      throw err
    }
  }
  const meta = JSON.parse(readFileSync(join(cacheDir, 'bench-meta.json'), 'utf8')) as HubMeta
  const dir = mkdtempSync(join(tmpdir(), 'aktenfluss-bench-hub-'))
  for (const f of readdirSync(cacheDir)) copyFileSync(join(cacheDir, f), join(dir, f))
  // hub.json names the keys file by absolute path: point it into the copy
  const hubJson = join(dir, 'hub.json')
  const config = JSON.parse(readFileSync(hubJson, 'utf8')) as {
    destinations: { privateKeysFile: string }[]
  }
  for (const d of config.destinations) d.privateKeysFile = join(dir, basename(d.privateKeysFile))
  writeFileSync(hubJson, JSON.stringify(config, null, 2) + '\n', { mode: 0o600 })
  return { dir, meta }
}

export const figure: Figure = {
  id: 'ingest',
  title: 'ingest from the reference hub',
  async run(ctx: BenchContext): Promise<Row[]> {
    const n = ctx.config.ingestCount
    const name = `ingest ${n.toLocaleString('en')} submissions (sync.run)`
    const na = (reason: string): Row[] => [
      { figure: FIG, name, unit: 'ms', target: TARGET, verdict: 'n/a', note: reason },
    ]
    const referenceOnly = process.env.BENCH_INGEST_REFERENCE_ONLY === '1'
    if (!referenceOnly) {
      const intake = await tryImport(ctx.config.root, 'main/features/intake/intake')
      if (!intake.ok) return na(`desk intake loop: ${intake.reason}`)
    }

    const { startHub } = await import('../../hub/server')
    const { createHubClient, loadDestinationKeys } = await import('../../main/hub-client/index')
    const { compactDecrypt } = await import('jose')
    const { dir: hubDir, meta } = await seededHubDir(ctx, n)
    ctx.onClose(() => rmSync(hubDir, { recursive: true, force: true }))
    const started = Date.now()
    // keep the hub's clock near the seeding time so the 14-day auto-reject never fires on cached data
    const hub = await startHub({
      dataDir: hubDir,
      clock: () => meta.seededAt + (Date.now() - started),
    })
    ctx.onClose(() => hub.close())
    const subscriber = hub.config.clients.find((c) => c.role === 'subscriber')
    const destination = hub.config.destinations[0]
    if (!subscriber || !destination) return na('hub.json without subscriber or destination')

    // ---- reference: download + decrypt only ----
    const client = createHubClient({
      baseUrl: hub.url,
      clientId: subscriber.clientId,
      clientSecret: subscriber.clientSecret,
    })
    const keys = await loadDestinationKeys(destination.privateKeysFile)
    const tRef = performance.now()
    const refs: string[] = []
    for await (const r of client.listAllSubmissions(destination.destinationId, 500))
      refs.push(r.submissionId)
    // the per-submission work is independent: a sample gives the rate, scaled to all N
    const sample = refs.slice(0, Math.min(refs.length, ctx.config.ingestRefCount))
    let jwes = 0
    let next = 0
    const worker = async () => {
      while (next < sample.length) {
        const id = sample[next++] as string
        const s = await client.getSubmission(id)
        const parts = [s.encryptedMetadata, ...(s.encryptedData ? [s.encryptedData] : [])]
        parts.push(...(await Promise.all(s.attachments.map((a) => client.getAttachment(id, a)))))
        for (const jwe of parts) {
          await compactDecrypt(jwe, keys.encryption.key)
          jwes++
        }
      }
    }
    await Promise.all(Array.from({ length: 4 }, worker))
    const sampleMs = performance.now() - tRef
    const refMs = (sampleMs / Math.max(1, sample.length)) * refs.length
    const reference = summarize([refMs])
    const refNote =
      sample.length < refs.length
        ? `reference = download+decrypt of ${sample.length} submissions (${jwes} JWEs) in ${Math.round(sampleMs)} ms, scaled to ${refs.length}`
        : `reference: ${jwes} JWEs`
    const refExtra = {
      submissions: refs.length,
      referenceSample: sample.length,
      jwes,
      refPerSubmissionMs: Math.round((sampleMs / Math.max(1, sample.length)) * 100) / 100,
    }
    if (referenceOnly) {
      return [
        {
          figure: FIG,
          name: `download + decrypt ${refs.length} submissions (reference only)`,
          unit: 'ms',
          value: reference,
          target: TARGET,
          verdict: 'info',
          note: refNote,
          extra: refExtra,
        },
      ]
    }

    // ---- measured: one sync pass of a desk wired to this hub ----
    const deskDir = mkdtempSync(join(tmpdir(), 'aktenfluss-bench-ingest-desk-'))
    ctx.onClose(() => rmSync(deskDir, { recursive: true, force: true }))
    const hubJson = join(hubDir, 'hub.json')
    const desk = await startDeskProcess({
      root: ctx.config.root,
      dataDir: deskDir,
      extraArgs: ['--hub', hub.url, '--hub-config', hubJson],
    })
    try {
      const status = await desk.call<{ hubConfigured: boolean }>('sync.status', {})
      if (!status.hubConfigured)
        return na(
          'intake.ts exists but the desk does not wire the hub yet (sync.status.hubConfigured = false)',
        )
      const t0 = performance.now()
      const result = await desk.call<{
        intake: { accepted: number; rejected: number; acknowledged: number; total: number }
        error: string | null
      }>('sync.run', {})
      const ms = performance.now() - t0
      // what the hub thinks afterwards (every submission should be accepted or rejected there)
      const states: Record<string, number> = {}
      for (const id of refs) {
        const st = (await hub.submissionState(id)) ?? 'missing'
        states[st] = (states[st] ?? 0) + 1
      }
      const value = summarize([ms])
      const ratio = ms / refMs
      const complete =
        result.intake.accepted + result.intake.rejected === refs.length && !result.error
      return [
        {
          figure: FIG,
          name,
          unit: 'ms',
          value,
          reference,
          referenceLabel: 'download+decrypt',
          ratio,
          target: TARGET,
          verdict: ratio <= 1.5 && complete ? 'pass' : 'fail',
          note: `${result.intake.accepted} accepted, ${result.intake.rejected} rejected, ${result.intake.acknowledged} acknowledged of ${refs.length}; hub states ${JSON.stringify(states)}; ${(refs.length / (ms / 1000)).toFixed(0)} submissions/s${result.error ? `; error: ${result.error}` : ''}; single run each; ${refNote}`,
          extra: { ...refExtra, ...result.intake, hubStates: JSON.stringify(states) },
        },
      ]
    } finally {
      await desk.stop()
    }
  },
}
