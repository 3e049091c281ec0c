import { spawn, type ChildProcess } from 'node:child_process'
import { Agent, request } from 'node:http'
import { createInterface } from 'node:readline'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { jsonClient, keepAliveTimeoutMs } from './httpClient'

// A keep-alive HTTP server in another process (as the desk is) that closes a connection idle for
// exactly 2 s and says so (`Keep-Alive: timeout=2`). Node's own http server closes idle sockets
// lazily, so there the failure is a race (what made the 1M run fail only now and then); this one
// makes it deterministic.
const SERVER = `
const { createServer } = require('node:net')
const server = createServer((socket) => {
  let idle
  let buf = ''
  const arm = () => { clearTimeout(idle); idle = setTimeout(() => socket.destroy(), 2000) }
  socket.on('data', (d) => {
    buf += d.toString('latin1')
    for (;;) {
      const end = buf.indexOf('\\r\\n\\r\\n')
      if (end < 0) break
      const len = Number((/content-length:\\s*(\\d+)/i.exec(buf.slice(0, end)) || [])[1] || 0)
      if (buf.length < end + 4 + len) break
      buf = buf.slice(end + 4 + len)
      socket.write('HTTP/1.1 200 OK\\r\\nContent-Type: application/json\\r\\nContent-Length: 11\\r\\n' +
        'Connection: keep-alive\\r\\nKeep-Alive: timeout=2\\r\\n\\r\\n{"ok":true}')
      arm()
    }
  })
  socket.on('error', () => {})
  arm()
})
server.listen(0, '127.0.0.1', () => console.log(server.address().port))
`
/** synchronous work in the client's process, like a raw SQL reference over 1M encrypted rows */
const blockEventLoop = (ms: number) =>
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)

let child: ChildProcess
let port: number
beforeAll(async () => {
  child = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] })
  const stdout = child.stdout
  if (!stdout) throw new Error('no stdout')
  port = await new Promise<number>((resolve) =>
    createInterface({ input: stdout }).once('line', (l) => resolve(Number(l))),
  )
})
afterAll(() => {
  child.kill()
})

describe('bench JSON client', () => {
  it('reads the server keep-alive timeout', () => {
    expect(keepAliveTimeoutMs('timeout=5')).toBe(5000)
    expect(keepAliveTimeoutMs('max=100, timeout=2')).toBe(2000)
    expect(keepAliveTimeoutMs(undefined)).toBeUndefined()
    expect(keepAliveTimeoutMs('max=100')).toBeUndefined()
  })

  it('a plain keep-alive agent fails with "socket hang up" after the loop was blocked past the server timeout (the 1M crash)', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 4 })
    const post = () =>
      new Promise<void>((resolve, reject) => {
        const req = request(
          { host: '127.0.0.1', port, path: '/api/x', method: 'POST', agent },
          (res) => {
            res.resume()
            res.on('end', () => resolve())
          },
        )
        req.on('error', reject)
        req.end('{}')
      })
    const errors: string[] = []
    try {
      await post()
      for (let i = 0; i < 3; i++) {
        blockEventLoop(3000)
        await post().catch((e: Error) => errors.push(e.message))
      }
    } finally {
      agent.destroy()
    }
    expect(errors.length).toBeGreaterThan(0)
    expect(errors[0]).toMatch(/socket hang up|ECONNRESET/)
  })

  it('survives the same blocks: stale idle sockets are dropped before a request', async () => {
    const client = jsonClient({ port, token: 't' })
    try {
      expect(await client.call('x', {})).toEqual({ ok: true })
      for (let i = 0; i < 3; i++) {
        blockEventLoop(3000)
        expect(await client.call('x', {})).toEqual({ ok: true })
      }
    } finally {
      client.close()
    }
  })

  it('still reuses a connection that is not stale', async () => {
    const client = jsonClient({ port, token: 't' })
    const seen = new Set<string>()
    try {
      for (let i = 0; i < 5; i++) {
        await client.call('x', {})
        // the local port of the socket in use: one connection for back-to-back calls
        seen.add(String(client.lastLocalPort()))
      }
    } finally {
      client.close()
    }
    expect(seen.size).toBe(1)
  })
})
