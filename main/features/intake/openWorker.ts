// The intake worker (a piscina task, one worker_thread per core): fetches one submission with the
// worker's own hub client, decrypts (RSA-OAEP key unwrap + AES-GCM) and verifies it, and writes its
// blobs. The main thread keeps the database: it hands out blob keys over the task's port and runs
// the short store transaction. Built as its own entry (out/main/intake-worker.js).
import { threadId, type MessagePort } from 'node:worker_threads'
import { createHubClient, type HubClient } from '../../hub-client/client'
import { BlobStore } from '../../core/blobs'
import { fetchAndOpen } from './fetchOpen'
import { createOpenerConfig, loadOpenerConfig, type OpenerConfig } from './openConfig'
import { toWireError, type OpenAnswer, type OpenTask, type WireOpenerSpec } from './openWire'
import { sha256Hex } from '../../core/blobs'

// one client per connection (its token is reused across tasks), one opener per configuration
const clients = new Map<string, HubClient>()
const openers = new Map<string, OpenerConfig>()

function clientFor(c: OpenTask['connection']): HubClient {
  const key = JSON.stringify(c)
  let client = clients.get(key)
  if (!client) {
    client = createHubClient({
      baseUrl: c.baseUrl,
      clientId: c.clientId,
      clientSecret: c.clientSecret,
      ...(c.tokenUrl ? { tokenUrl: c.tokenUrl } : {}),
      ...(c.tokenScope ? { tokenScope: c.tokenScope } : {}),
      ...(c.timeoutMs ? { timeoutMs: c.timeoutMs } : {}),
    })
    clients.set(key, client)
  }
  return client
}

function openerFor(spec: WireOpenerSpec): OpenerConfig {
  if ('assetsDir' in spec) return loadOpenerConfig(spec.assetsDir, spec.limits)
  const key = JSON.stringify(spec.inline)
  let config = openers.get(key)
  if (!config) {
    config = createOpenerConfig(spec.inline)
    openers.set(key, config)
  }
  return config
}

type KeyAnswer = { id: number; stored?: boolean; key?: Uint8Array; error?: string }

/** Asks the main thread for the blob key of a content, one question at a time per task. */
function keyService(port: MessagePort) {
  let next = 0
  const waiting = new Map<number, (a: KeyAnswer) => void>()
  port.on('message', (a: KeyAnswer) => {
    waiting.get(a.id)?.(a)
    waiting.delete(a.id)
  })
  return (sha: string) =>
    new Promise<KeyAnswer>((resolve) => {
      const id = next++
      waiting.set(id, resolve)
      port.postMessage({ id, sha })
    })
}

export default async function openTask(task: OpenTask): Promise<OpenAnswer> {
  const port = task.port
  try {
    if (task.fault === 'crash') process.exit(70) // a worker that dies mid-task (tests only)
    if (task.fault === 'throw') throw new Error('Testfehler im Eingangs-Worker')
    const ask = keyService(port)
    const opened = await fetchAndOpen({
      client: clientFor(task.connection),
      submissionId: task.submissionId,
      keys: task.keys,
      opener: openerFor(task.opener),
      putBlob: async (bytes) => {
        const sha = sha256Hex(bytes)
        const a = await ask(sha)
        if (a.error !== undefined) throw new Error(a.error)
        if (a.stored) return sha
        return BlobStore.writeReserved(
          task.blobRoot,
          bytes,
          a.key ? Buffer.from(a.key.buffer, a.key.byteOffset, a.key.byteLength) : undefined,
        )
      },
    })
    return { ok: true, opened, threadId }
  } catch (err) {
    return { ok: false, error: toWireError(err), threadId }
  } finally {
    port.close()
  }
}
