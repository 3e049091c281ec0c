/**
 * Shared set-up of the intake-pool figures (intakeStall, intakeRate): a copy of the seeded
 * reference hub with N submissions in this process, a `serve` desk process wired to it on an
 * empty data folder, and probes that run in a thread of their own (a `cases.list` caller, RSA
 * decryption workers), so the hub's work on this thread does not distort what they measure.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import type { CryptoKey } from 'jose'
import type { RunningHub } from '../../hub/server'
import type { HubClient } from '../../main/hub-client'
import type { BenchContext } from './context'
import { startDeskProcess, type DeskProcess } from './desk'

export interface IntakeRig {
  hub: RunningHub
  desk: DeskProcess
  destinationId: string
  refs: string[]
  /** the subscriber's client (the reference fetches with it) */
  client: HubClient
  decryptionKey: CryptoKey
}

export async function startIntakeRig(ctx: BenchContext, count: number): Promise<IntakeRig> {
  const { seededHubDir } = await import('../figures/ingest')
  const { startHub } = await import('../../hub/server')
  const { createHubClient, loadDestinationKeys } = await import('../../main/hub-client/index')
  const { dir: hubDir, meta } = await seededHubDir(ctx, count)
  ctx.onClose(() => rmSync(hubDir, { recursive: true, force: true }))
  const started = Date.now()
  const hub = await startHub({
    dataDir: hubDir,
    clock: () => meta.seededAt + (Date.now() - started),
  })
  ctx.onClose(() => hub.close())
  const subscriber = hub.config.clients.find((c) => c.role === 'subscriber')
  const destination = hub.config.destinations[0]
  if (!subscriber || !destination) throw new Error('hub.json without subscriber or destination')
  const client = createHubClient({
    baseUrl: hub.url,
    clientId: subscriber.clientId,
    clientSecret: subscriber.clientSecret,
  })
  const refs: string[] = []
  for await (const r of client.listAllSubmissions(destination.destinationId, 500))
    refs.push(r.submissionId)
  const keys = await loadDestinationKeys(destination.privateKeysFile)
  const deskDir = mkdtempSync(join(tmpdir(), 'aktenfluss-bench-pool-desk-'))
  ctx.onClose(() => rmSync(deskDir, { recursive: true, force: true }))
  const desk = await startDeskProcess({
    root: ctx.config.root,
    dataDir: deskDir,
    extraArgs: ['--hub', hub.url, '--hub-config', join(hubDir, 'hub.json')],
  })
  ctx.onClose(() => desk.stop())
  return {
    hub,
    desk,
    destinationId: destination.destinationId,
    refs,
    client,
    decryptionKey: keys.encryption.key,
  }
}

// ---- cases.list from a thread of its own ----

const PROBE = `
const { workerData, parentPort } = require('node:worker_threads')
const http = require('node:http')
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
const body = JSON.stringify(workerData.input)
let stop = false
parentPort.on('message', (m) => { if (m === 'stop') stop = true })
const once = () => new Promise((resolve, reject) => {
  const t0 = performance.now()
  const req = http.request({ host: '127.0.0.1', port: workerData.port, path: '/api/cases.list',
    method: 'POST', agent, headers: { Authorization: 'Bearer ' + workerData.token,
    'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } }, (res) => {
    res.on('data', () => {})
    res.on('end', () => res.statusCode === 200 ? resolve(performance.now() - t0)
      : reject(new Error('cases.list: HTTP ' + res.statusCode)))
  })
  req.on('error', reject)
  req.end(body)
})
;(async () => {
  const samples = []
  try {
    while (!stop && samples.length < workerData.max) {
      samples.push(await once())
      await new Promise((r) => setTimeout(r, workerData.pauseMs))
    }
    parentPort.postMessage({ samples })
  } catch (e) { parentPort.postMessage({ samples, error: String(e && e.message) }) }
  agent.destroy()
})()
`

/**
 * Calls `cases.list` (the UI's first page, through the bridge's HTTP API) one after the other
 * with `pauseMs` between, until `stop()` or `max` samples; latencies in ms.
 */
export function listProbe(
  desk: DeskProcess,
  opts: { pauseMs?: number; max?: number; input?: unknown } = {},
): { stop(): Promise<number[]>; done: Promise<number[]> } {
  const w = new Worker(PROBE, {
    eval: true,
    workerData: {
      port: desk.port,
      token: desk.token,
      input: opts.input ?? { view: 'alle', sort: 'received', direction: 'desc', limit: 50 },
      pauseMs: opts.pauseMs ?? 25,
      max: opts.max ?? 100_000,
    },
  })
  const done = new Promise<number[]>((resolve, reject) => {
    w.once('message', (m: { samples: number[]; error?: string }) => {
      void w.terminate()
      if (m.error) reject(new Error(m.error))
      else resolve(m.samples)
    })
    w.once('error', reject)
  })
  return {
    done,
    stop: () => {
      w.postMessage('stop')
      return done
    },
  }
}

// ---- RSA-bound reference: the same tokens decrypted in N threads ----

const DECRYPTOR = `
const { workerData, parentPort } = require('node:worker_threads')
;(async () => {
  const { compactDecrypt } = await import(workerData.jose)
  parentPort.postMessage('ready')
  parentPort.once('message', async () => {
    const t0 = performance.now()
    for (const jwe of workerData.tokens) await compactDecrypt(jwe, workerData.key)
    parentPort.postMessage({ ms: performance.now() - t0, n: workerData.tokens.length })
  })
})()
`

/**
 * Decrypts every token once, shared out over `threads` worker threads that start together;
 * the wall time from the start signal to the last thread's end.
 */
export async function decryptInThreads(
  tokens: string[][],
  key: CryptoKey,
  threads: number,
  joseUrl: string,
): Promise<{ ms: number; jwes: number }> {
  const shares: string[][] = Array.from({ length: threads }, () => [])
  // whole submissions per thread, round robin (a submission's tokens stay together)
  tokens.forEach((t, i) => shares[i % threads]!.push(...t))
  const workers = shares.map(
    (share) =>
      new Worker(DECRYPTOR, { eval: true, workerData: { tokens: share, key, jose: joseUrl } }),
  )
  try {
    await Promise.all(
      workers.map(
        (w) => new Promise<void>((r, j) => (w.once('message', () => r()), w.once('error', j))),
      ),
    )
    const t0 = performance.now()
    const results = await Promise.all(
      workers.map(
        (w) =>
          new Promise<{ n: number }>((r, j) => {
            w.once('message', r)
            w.once('error', j)
            w.postMessage('go')
          }),
      ),
    )
    return { ms: performance.now() - t0, jwes: results.reduce((s, r) => s + r.n, 0) }
  } finally {
    await Promise.all(workers.map((w) => w.terminate()))
  }
}

/** Every JWE of the given submissions (metadata, data, attachments), fetched into memory. */
export async function fetchTokens(rig: IntakeRig, ids: string[]): Promise<string[][]> {
  const out: string[][] = []
  for (const id of ids) {
    const s = await rig.client.getSubmission(id)
    const parts = [s.encryptedMetadata, ...(s.encryptedData ? [s.encryptedData] : [])]
    for (const a of s.attachments) parts.push(await rig.client.getAttachment(id, a))
    out.push(parts)
  }
  return out
}
